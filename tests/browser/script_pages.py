"""static/archivist.js in Chromium over markup a test gives (a dashboard row, a recording's
actions), the API answered by the test: no station, so a script's behaviour is checked alone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).parents[2] / "archivist" / "entrypoints" / "web" / "static" / "archivist.js"


@contextmanager
def script_page(browser: Any, url: str, markup: str,
                answers: Mapping[str, tuple[int, dict[str, Any]]]) -> Iterator[Any]:
    """A page at `url` holding `markup` and the station's script; `answers` by "METHOD /path"
    ("POST /api/v1/jobs": (202, {...})); anything else a 404. Dialogs are accepted."""
    origin = url[:url.index("/", url.index("//") + 2)]
    context = browser.new_context()

    def answer(route: Any) -> None:
        path = route.request.url.removeprefix(origin)
        if route.request.url == url:
            route.fulfill(content_type="text/html", body=markup)
        elif path == "/archivist.js":
            route.fulfill(content_type="text/javascript", body=SCRIPT.read_text())
        elif (found := answers.get(f"{route.request.method} {path}")) is not None:
            route.fulfill(status=found[0], json=found[1])
        else:
            route.fulfill(status=404, json={"error": {"message": "not here"}})
    context.route(f"{origin}/**", answer)
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    opened.goto(url)
    try:
        yield opened
    finally:
        context.close()
