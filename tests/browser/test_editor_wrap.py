"""The editor's row preview (static/editor/wrap.js) lays a line out as the captions will:
the same rows as the domain's line layout (domain/captions/segmentation.py, breaks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from archivist.domain.captions import breaks
from archivist.domain.captions.segmentation import Token, _Run
from tests.browser.editor_modules import open_modules

LINES = [
    "Good evening, everyone.",
    "Good evening, everyone. I would like to call this regular meeting of the city",
    "Council member Anderson. Present. Council member Lopez.",
    "The fee is $3,000 for out-of-the-way lots at 7% a year, said Mr. Villanueva",
    "Item 7 on the agenda is resolution 2026-114 about Kessler Avenue",
    "I think that we should move to approve the minutes of the last meeting as amended",
    ">> Thank you, Madam Chair. [APPLAUSE] The motion carries four to one.",
    "Supercalifragilisticexpialidocious-ordinance-amendment passes",
    "Please rise for the Pledge of Allegiance.",
    "We have received 12 million dollars from the state for the water main on Route 9 and",
    "“Quoted words,” she said — and then (briefly) left the room; nobody followed her.",
    "a an the this of in on at to for with from by and but or nor so yet because",
    "Dr. Okafor and Ms. Pruitt of the Planning Commission will speak at 10:30 p.m. tonight",
]
PAIRS = [("Mr.", "Lopez"), ("meeting.", "Next"), ("one,", "two"), ("4", "million"),
         ("Item", "7"), ("Maple", "Avenue"), ("the", "budget"), ("of", "the"), ("said", "and"),
         ("went", "to"), ("“Hello.”", "Then"), ("I", "Think"), ("$", "20"), ("Council", "Member"),
         ("fee", "—"), ("x", "--y"), ("seven", "percent"), ("Éric", "Ngô"), ("[MUSIC]", "Then")]


def python_rows(text: str, max_chars: int, max_lines: int) -> dict[str, Any]:
    """The rows the domain gives a line (as one caption), greedy rows when it does not fit."""
    toks = [Token(chunk, 0.0, 0.0, glued=k > 0)
            for word in text.split() for k, chunk in enumerate(
                word[i:i + max_chars] for i in range(0, len(word), max_chars))]
    run = _Run(toks)
    laid = run.layout(0, len(toks), max_chars, max_lines)
    if laid is not None:
        starts = laid[1]
    else:
        starts = (0,)
        for k in range(1, len(toks)):
            if run.width(starts[-1], k + 1) > max_chars:
                starts += (k,)
    rows = [run.text(a, b) for a, b in zip(starts, (*starts[1:], len(toks)))]
    return {"rows": rows, "fits": laid is not None}


@pytest.fixture(scope="module")
def wrap_page(browser: Any) -> Iterator[Any]:
    yield from open_modules(browser)


@pytest.mark.parametrize("max_chars,max_lines", [(32, 2), (20, 3), (42, 2)])
def test_the_editor_wraps_lines_as_the_captions_do(wrap_page: Any, max_chars: int,
                                                   max_lines: int) -> None:
    for text in LINES:
        js = wrap_page.evaluate("([t, c, l]) => window.editor.wrap.wrap(t, c, l)", [text, max_chars, max_lines])
        assert js == python_rows(text, max_chars, max_lines), text


def test_the_editor_prices_breaks_as_the_captions_do(wrap_page: Any) -> None:
    for left, right in PAIRS:
        js = wrap_page.evaluate("([a, b]) => window.editor.wrap.quality(a, b)", [left, right])
        assert js == breaks.quality(left, right), (left, right)
