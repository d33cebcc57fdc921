"""The editor's script modules (static/editor/) loaded alone in Chromium, without a server:
`window.editor.<module>` is each module's exports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

STATIC = Path(__file__).parents[2] / "archivist" / "entrypoints" / "web" / "static" / "editor"
ORIGIN = "http://editor.test"
MODULES = ("wrap", "model", "checks", "find")


def open_modules(browser: Any) -> Iterator[Any]:
    """A page with the editor's modules loaded (for a module-scoped fixture)."""
    context = browser.new_context()
    imports = "".join(f'import * as {name} from "./{name}.js"; ' for name in MODULES)
    index = f'<script type="module">{imports} window.editor = {{{", ".join(MODULES)}}};</script>'

    def serve(route: Any) -> None:
        name = route.request.url.removeprefix(ORIGIN + "/")
        if name == "index.html":
            route.fulfill(content_type="text/html", body=index)
        else:
            route.fulfill(content_type="text/javascript", body=(STATIC / name).read_text())
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    page.goto(f"{ORIGIN}/index.html")
    page.wait_for_function("() => window.editor !== undefined")
    yield page
    context.close()
