"""`archivist report` on the bundled sample, transcribed by the real bundled model."""

from __future__ import annotations

import json

import pytest

from tests.e2e.media import SAMPLE

pytestmark = pytest.mark.slow


def test_report_of_the_sample_from_its_transcript(archivist, tmp_path):
    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    archivist("transcribe", str(recording), check=True)
    beside = recording.with_name(recording.stem + ".report.json")
    written = json.loads(beside.read_text())

    shown = archivist("report", str(recording))
    assert shown.returncode in (0, 1), shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"Caption report for {recording.name}"
    verdicts = [line for line in lines if line.startswith(("PASS ", "FAIL "))]
    assert len(verdicts) == 15          # 7 targets per profile, and punctuation
    assert (shown.returncode == 1) == any(v.startswith("FAIL") for v in verdicts)
    # Nobody has approved a revision or put a person's captions beside it: it says how to.
    assert lines[-1].startswith("Accuracy: not measured yet (approve a revision in review")


    # The JSON, from the recording or its transcript, is what transcribe wrote beside it.
    for path in (recording, recording.with_suffix(".json")):
        as_json = archivist("report", str(path), "--json")
        assert as_json.returncode == shown.returncode
        found = json.loads(as_json.stdout)
        assert found.pop("accuracy")["measure"] is None
        assert found == written
    assert written["passed"] is (shown.returncode == 0)

    # What the sample says, and when, against what the report measured.
    truth = json.loads(SAMPLE.with_name(SAMPLE.stem + ".truth.json").read_text())
    said = sum(len(u["text"].split()) for u in truth["utterances"])
    assert abs(written["words"] - said) <= 0.15 * said
    assert written["duration_s"] == pytest.approx(truth["duration"], abs=0.5)
    for name, profile in written["profiles"].items():
        assert profile["longest_line"] <= 32 and profile["lines_per_caption"]["max"] <= 2, name
        assert profile["reading_rate_cps"]["p95"] <= 20.0 and profile["overlaps"] == 0
        assert profile["speech_covered"] >= 0.96
    for span in written["low_confidence"]:
        assert 0 <= span["start"] <= span["end"] <= truth["duration"]


def test_report_without_a_transcript_says_how_to_make_one(archivist, tmp_path):
    recording = tmp_path / SAMPLE.name
    recording.write_bytes(SAMPLE.read_bytes())
    result = archivist("report", str(recording))
    assert result.returncode == 2
    assert "no transcript beside it" in result.stderr and "archivist transcribe" in result.stderr
    broken = tmp_path / "meeting.json"
    broken.write_text("{\"segments\": 3}")
    result = archivist("report", str(broken))
    assert result.returncode == 2 and "meeting.json" in result.stderr
    assert "Traceback" not in result.stderr
