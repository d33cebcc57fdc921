"""The filter links of the queue fit a 390 px phone whole: found by hand in Chromium, the
"cancelled" state link broke across two lines ("cancelle" / "d"), since the links have no
space between them and the page lets a word break anywhere when it must."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone(browser: Any, station: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=station.url, viewport=PHONE)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", ["/jobs", "/recordings"])
def test_each_filter_link_stays_on_one_line_on_a_phone(phone, url) -> None:
    phone.goto(url)
    links = phone.locator("nav.filters a")
    assert links.count() >= 3
    broken = phone.evaluate("""() => [...document.querySelectorAll('nav.filters a')]
        .filter(a => a.getClientRects().length > 1).map(a => a.textContent)""")
    assert broken == []
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
