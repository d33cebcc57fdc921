"""The editor's rules, run in Chromium as the page runs them: find and replace, passages to
check, lines cut to caption size, nudges that keep lines in order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.editor_modules import open_modules

PROFILE = {"max_chars": 32, "max_lines": 2, "max_cps": 20}


@pytest.fixture(scope="module")
def js(browser: Any) -> Iterator[Any]:
    yield from open_modules(browser)


def words(text: str, start: float = 0.0, low: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Whisper-style words of `text`, 0.4 s each; those in `low` heard with little confidence."""
    return [{"start": start + 0.4 * k, "end": start + 0.4 * k + 0.35, "word": " " + w,
             "probability": 0.2 if w in low else 0.95} for k, w in enumerate(text.split())]


def segment(text: str, start: float = 0.0, low: tuple[str, ...] = ()) -> dict[str, Any]:
    said = words(text, start, low)
    return {"start": start, "end": said[-1]["end"], "text": text, "words": said}


def test_find_and_replace_by_whole_word_and_case(js: Any) -> None:
    counts = js.evaluate("""([segments, profile]) => {
        const {Transcript} = window.editor.model, {replaceAll} = window.editor.find;
        const run = (whole, matchCase) =>
          replaceAll(new Transcript({segments}, profile), "Uyen", "Nguyen", whole, matchCase).count;
        return [run(true, true), run(true, false), run(false, false)];
    }""", [[segment("Council member Uyen."), segment("uyen said Uyenson", 5)], PROFILE])
    assert counts == [1, 2, 3]


def test_passages_to_check_are_unsure_words_numbers_and_unknown_names(js: Any) -> None:
    found = js.evaluate("""([segments, profile]) => {
        const {Transcript} = window.editor.model, {Checks} = window.editor.checks;
        const t = new Transcript({segments}, profile);
        const checks = new Checks(["Kessler Avenue"], 0.5);
        checks.compute(t.lines);
        const before = checks.items.map((i) => [i.word, i.reason]);
        t.setText(t.lines[0].id, t.lines[0].text.replace("Villanova", "Villanueva"));
        checks.compute(t.lines);
        return {before, after: checks.items.map((i) => i.word)};
    }""", [[segment("Paving Kessler Avenue costs 3,000 dollars said Villanova slash fan.",
                    low=("slash",))], PROFILE])
    reasons = dict(found["before"])
    assert set(reasons) == {"3,000", "Villanova", "slash"}   # not "Paving": a sentence starts
    assert "unsure" in reasons["slash"] and reasons["3,000"] == "a number"
    assert "vocabulary" in reasons["Villanova"]
    # What a person typed is theirs: the corrected name is no longer flagged.
    assert "Villanueva" not in found["after"] and "slash" in found["after"]


def test_a_long_segment_becomes_caption_sized_lines(js: Any) -> None:
    text = ("Good evening everyone and welcome to the regular meeting of the Riverton city "
            "council where tonight we will hear the budget for the water main on Kessler Avenue")
    lines = js.evaluate("""([segments, profile]) => {
        const {Transcript} = window.editor.model, {wrap} = window.editor.wrap;
        return new Transcript({segments}, profile).lines.map((l) =>
          ({text: l.text, start: l.start, end: l.end, fits: wrap(l.text, 32, 2).fits}));
    }""", [[segment(text)], PROFILE])
    assert len(lines) > 1 and all(line["fits"] for line in lines)
    assert " ".join(line["text"] for line in lines) == text
    starts = [line["start"] for line in lines]
    assert starts == sorted(starts) and all(line["start"] < line["end"] for line in lines)
    assert not any(line["text"].endswith((" the", " Kessler")) for line in lines[:-1])


def test_a_word_typed_at_the_end_of_a_full_line_does_not_open_as_a_line_of_no_time(
        js: Any) -> None:
    """Staff typed "meeting" after "regular" at the end of a full line and saved: the server
    times a word added after the line's last heard word at the line's end, with no length
    (domain/review/retime.py), and the editor cut the saved segment there into a line of its
    own from 5.68 to 5.68 ("∞ cps too fast"), then refused every save ("line 2 ends before it
    starts") until staff found and nudged it. Each cut keeps a length; the lines still lie in
    order inside the segment."""
    said = words("Good evening, everyone. I would like to call this regular", 1.98)
    said[-1]["end"] = 5.68
    said.append({"start": 5.68, "end": 5.68, "word": " meeting", "probability": 1.0})
    saved = {"start": 1.62, "end": 5.68, "words": said,
             "text": "Good evening, everyone. I would like to call this regular meeting"}
    after = segment("meeting on the city council to order.", 5.68)
    found = js.evaluate("""([segments, profile]) => {
        const t = new window.editor.model.Transcript({segments}, profile);
        return {lines: t.lines.map((l) => [l.start, l.end, l.text]), problem: t.problem()};
    }""", [[saved, after], PROFILE])
    lines = found["lines"]
    assert found["problem"] == "", lines
    assert all(end - start >= 0.1 - 1e-9 for start, end, _ in lines), lines
    assert all(a[1] <= b[0] + 1e-9 for a, b in zip(lines, lines[1:])), lines
    assert lines[0][0] == 1.62 and lines[-2][1] == 5.68
    assert " ".join(text for *_, text in lines[:-1]) == saved["text"]


def test_nudges_move_a_tenth_and_keep_lines_in_order(js: Any) -> None:
    times = js.evaluate("""([segments, profile]) => {
        const {Transcript} = window.editor.model;
        const t = new Transcript({segments, duration: 20}, profile);
        const [a, b] = t.lines;
        t.nudge(b.id, "start", 1);
        const once = [b.start, b.end];
        for (let i = 0; i < 100; i++) { t.nudge(b.id, "start", -1); }
        const earliest = b.start;
        for (let i = 0; i < 100; i++) { t.nudge(b.id, "start", 1); }
        return {once, earliest, latest: b.start, end: b.end, before: a.start};
    }""", [[segment("First line here."), segment("Second line here.", 3.0)], PROFILE])
    assert times["once"][0] == pytest.approx(3.1)
    assert times["earliest"] == pytest.approx(times["before"])   # never before the line above
    assert times["latest"] == pytest.approx(times["end"] - 0.1)  # never past its own end
