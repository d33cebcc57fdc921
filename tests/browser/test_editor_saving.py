"""Saving in the caption editor as staff really do it: Ctrl+S pressed twice, typing on while
the save is on its way. The editor's own modules (review.js over model.js) in Chromium, the
API answered by the test, each answer held until the test lets it go."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.editor_modules import ORIGIN, STATIC

PROFILE = {"max_chars": 32, "max_lines": 2, "max_cps": 20}
SEGMENTS = [{"start": 1.0, "end": 3.0, "text": "Call to order.", "words": []},
            {"start": 4.0, "end": 6.0, "text": "Roll call please.", "words": []}]
PAGE = """<!doctype html><html lang="en"><title>editor</title>
<meta name="csrf-token" content="token">
<p id="message"></p>
<form id="save"><input name="note"><button type="submit">Save</button>
  <button type="button" id="approve">Approve</button></form>
<div id="conflict" hidden></div><div id="applied" hidden></div><div id="suggestions" hidden></div>
<span id="revision"></span><span id="revision-by"></span><span id="review-state"></span>
<ol id="history"></ol><div id="report"></div><div id="revision-view" hidden></div>
<script type="module">
import {Review} from "./review.js";
import {Transcript} from "./model.js";
const editor = {transcript: null, dirty: false, key: "draft"};
const say = (text) => { document.getElementById("message").textContent = text; };
const open = (body, since) => {       // as main.js opens a revision
  editor.transcript = new Transcript(body, PROFILE);
  editor.dirty = false;
  editor.transcript.onChange(() => { editor.dirty = true; });
  if (since) { editor.transcript.load(since); }
};
open({recording: 1, revision: 2, segments: SEGMENTS});
const review = new Review({setup: {recording: 1, city: "Riverton"}, base: "/api/v1/recordings/1",
  say, editor, open, checks: {checked: new Set(), learn() {}, compute() {}}, showChecks() {},
  draft: {drop() {}, keep() { return true; }}});
window.editing = {editor, review};
</script>"""


class Held:
    """The editor's saves as the server received them, each answered only when let go."""

    def __init__(self) -> None:
        self.saves: list[Any] = []

    def route(self, route: Any) -> None:
        request, path = route.request, route.request.url.removeprefix(ORIGIN)
        if path == "/index.html":
            route.fulfill(content_type="text/html", body=PAGE.replace("PROFILE", json.dumps(PROFILE))
                          .replace("SEGMENTS", json.dumps(SEGMENTS)))
        elif request.method == "PUT":
            self.saves.append(route)
        elif path == "/api/v1/cities/Riverton/vocabulary":
            route.fulfill(json={"city": "Riverton", "configured": [], "learned": ["McKenzie"]})
        elif path.startswith("/api/v1/recordings/1/transcript/revisions"):
            route.fulfill(json={"recording": 1, "current_revision": 2, "revisions": [
                {"revision": 2, "author": "staff:dana", "created_at": None, "note": None},
                {"revision": 1, "author": "machine", "created_at": None, "note": None}]})
        elif path.startswith("/api/v1/recordings/1/transcript?revision="):
            route.fulfill(json={"recording": 1, "revision": 1, "segments": SEGMENTS})
        elif path.startswith("/api/"):
            route.fulfill(status=404, json={"error": {"message": "not here"}})
        elif path.startswith("/recordings/"):
            route.fulfill(content_type="text/html", body="<p>report</p>")
        else:
            route.fulfill(content_type="text/javascript", body=(STATIC / path.lstrip("/")).read_text())

    def answer(self, page: Any, index: int, revision: int, names: tuple[str, ...] = ()) -> None:
        """Let save `index` through as the server saves it: the revision of what it sent."""
        sent = json.loads(self.saves[index].request.post_data)
        self.saves[index].fulfill(json={
            "recording": 1, "revision": revision, "segments": sent["segments"],
            "applied": {"captions": "done", "search": "done", "cablecast": "not_published"},
            "review": {"state": "in_review"}, "suggested_vocabulary": list(names)},
            headers={"ETag": f'"{revision}"'})
        page.wait_for_timeout(300)


@pytest.fixture
def editing(browser: Any) -> Iterator[tuple[Any, Held]]:
    held = Held()
    context = browser.new_context()
    context.route(f"{ORIGIN}/**", held.route)
    page = context.new_page()
    page.goto(f"{ORIGIN}/index.html")
    page.wait_for_function("() => window.editing !== undefined")
    yield page, held
    context.close()


def type_in(page: Any, text: str) -> None:
    page.evaluate("(text) => { const t = window.editing.editor.transcript; t.setText(t.lines[0].id, text); }",
                  text)


def test_ctrl_s_pressed_twice_saves_once(editing: tuple[Any, Held]) -> None:
    """Two saves from one revision went out at once: one made revision 3, the other was
    refused as stale, and, answered second, told staff someone else had saved first and
    offered to save their text again on top: a revision twice over, of their own words."""
    page, held = editing
    type_in(page, "Call to order, please.")
    page.evaluate("() => { const form = document.getElementById('save'); form.requestSubmit(); "
                  "form.requestSubmit(); }")
    page.wait_for_timeout(300)
    assert len(held.saves) == 1
    held.answer(page, 0, 3)
    assert page.inner_text("#message") == "Saved as revision 3."
    assert page.evaluate("() => document.getElementById('conflict').hidden")
    page.evaluate("() => document.getElementById('save').requestSubmit()")   # a later save goes
    page.wait_for_timeout(300)
    assert len(held.saves) == 2
    assert held.saves[1].request.headers["if-match"] == '"3"'


def test_words_typed_while_a_save_is_on_its_way_stay_and_wait_for_the_next(
        editing: tuple[Any, Held]) -> None:
    """The saved revision was opened over the lines when the answer came: whatever staff had
    typed since (a save applies captions, search and Cablecast: seconds) was gone, with no
    word said. It stays, unsaved, on top of the new revision."""
    page, held = editing
    type_in(page, "Call to order, please.")
    page.evaluate("() => document.getElementById('save').requestSubmit()")
    page.wait_for_timeout(300)
    type_in(page, "Call to order, please, everyone.")
    held.answer(page, 0, 3)
    state = page.evaluate("""() => { const e = window.editing.editor;
        return {text: e.transcript.lines[0].text, dirty: e.dirty, revision: e.transcript.revision}; }""")
    assert state == {"text": "Call to order, please, everyone.", "dirty": True, "revision": 3}
    assert "Saved as revision 3" in page.inner_text("#message")
    assert "not saved" in page.inner_text("#message")


def test_adding_a_typed_name_to_the_vocabulary_by_keyboard_says_so_and_keeps_the_focus(
        editing: tuple[Any, Held]) -> None:
    """The "Add it to Riverton's vocabulary" button gave way to a sentence saying so: the
    focus fell to the page's body and a screen reader heard nothing (the sentence is not in
    the page's status line)."""
    page, held = editing
    type_in(page, "Call to order, McKenzie.")
    page.evaluate("() => document.getElementById('save').requestSubmit()")
    page.wait_for_timeout(300)
    held.answer(page, 0, 3, names=("McKenzie",))
    page.focus("#learn")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('learn')")
    focused = page.evaluate("() => document.activeElement.closest('#suggestions') !== null")
    assert focused
    assert "Added to Riverton's vocabulary: McKenzie" in page.inner_text("#message")


def test_closing_a_revision_viewed_by_keyboard_goes_back_to_its_view_button(
        editing: tuple[Any, Held]) -> None:
    """Close hid the revision being viewed, with the focus in it: the focus fell to the
    page's body."""
    page, _ = editing
    page.evaluate("() => window.editing.review.history()")
    page.wait_for_selector("button[aria-label='View revision 1']")
    page.focus("button[aria-label='View revision 1']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#revision-view:not([hidden]) button")
    page.keyboard.press("Enter")     # Close has the focus once the revision shows
    page.wait_for_selector("#revision-view[hidden]", state="attached")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == \
        "View revision 1"
