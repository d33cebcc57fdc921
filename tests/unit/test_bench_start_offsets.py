"""The caption bench times a caption against the words it shows where they were said, not
against the same word said earlier: a roll call says "Present." every few seconds."""

from __future__ import annotations

import json
from pathlib import Path

from archivist.domain.captions.cues import Cue
from bench import caption_metrics as cm

# Dev 2101's opening (the corpus's utterances) and tiny.en's captions of its roll call as
# main wrote them on 2026-12-06: the names misheard, the "present"s heard.
UTTERANCES = [
    (10.18, 12.05, "Will the clerk please call the roll?"),
    (13.05, 30.95, "Council member Whitaker. Present. Council member Moreno. Present. "
                   "Council member Becker. Present. Council member Murphy. Present. "
                   "Council member Nguyen. Present. Council member Lindqvist. Present. "
                   "Mayor Tanaka. Present."),
    (32.25, 34.14, "Thank you. We have a quorum."),
]
CAPTIONS = [
    Cue(10.08, 12.15, ("Will the clerk please call the roll?",)),
    Cue(13.05, 15.68, ("Council member, where did he come?",)),
    Cue(15.68, 20.99, ("Console member module present.", "Console member maker. Present")),
    Cue(20.99, 26.19, ("councilmen mama, present,", "councilmen mama, union. present.")),
    Cue(26.19, 27.66, ("Council Member Linde,",)),
    Cue(27.66, 30.93, ("Mr. present met on our car", "present.")),
    Cue(32.17, 34.13, ("Thank We have a quorum.",)),
]


def truth(tmp_path: Path) -> cm.Truth:
    media = tmp_path / "2101.mp4"
    media.with_suffix(".json").write_text(json.dumps({"utterances": [
        {"start": s, "end": e, "text": t} for s, e, t in UTTERANCES]}))
    media.with_suffix(".txt").write_text("\n".join(t for _, _, t in UTTERANCES))
    return cm.load_truth(media)


def test_a_roll_call_caption_is_timed_against_its_own_present(tmp_path):
    offsets, unmatched = cm.start_offsets(CAPTIONS, truth(tmp_path))
    # Every caption here appears within a few tenths of its first word; aligned against an
    # earlier "Present." three of them read 7 to 10 s late.
    assert unmatched == 0
    assert len(offsets) == len(CAPTIONS)
    assert max(abs(x) for x in offsets) <= 0.8
    assert cm.figures(CAPTIONS, truth(tmp_path))["offset_p90"] <= 0.8


def test_a_late_caption_still_reads_late(tmp_path):
    # The bench must not pull a truly late caption onto an earlier word: "Thank you. We have a
    # quorum." shown 1.5 s after it was said counts 1.5 s late.
    late = [*CAPTIONS[:-1], Cue(33.75, 35.6, ("Thank you. We have a quorum.",))]
    offsets, _ = cm.start_offsets(late, truth(tmp_path))
    assert abs(offsets[-1] - 1.5) < 0.05
