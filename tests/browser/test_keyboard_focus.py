"""Staff working by keyboard keep their place: a button that goes away once pressed leaves
the focus on what it answered, not on the top of the page."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import PASSWORD, STAFF, Served


def test_caption_this_now_by_keyboard_leaves_the_focus_on_its_answer(page: Any,
                                                                     station: Served) -> None:
    """Enter on "Caption this now" queued the job and took the button away, and the focus
    with it: to the body, so the next Tab started again from "Skip to the page"."""
    page.goto("/login?next=/")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{station.url}/")
    button = page.locator("button.caption-now").first
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("tr.shelf-row .feedback:has-text('queued')")
    focused = page.evaluate("""() => { const a = document.activeElement;
        return {tag: a.tagName, row: !!a.closest('tr.shelf-row'), text: a.textContent}; }""")
    assert focused["row"] and "queued" in focused["text"], focused
