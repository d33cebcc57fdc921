"""bench/live_replay.py's kept decodes: reused only for the media and model they were made for."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

# The bench imports its own `live` (bench/live.py), which tests/unit/live would shadow.
_tests_live = sys.modules.pop("live", None)
from bench import live_replay as lr  # noqa: E402

if _tests_live is not None:
    sys.modules["live"] = _tests_live

MADE_FOR = {"media": "2101.mp4", "model": "bundled (/models/base)"}


def test_kept_decodes_come_back_for_the_same_media_and_model(tmp_path: Path) -> None:
    path = tmp_path / "2101.decodes"
    assert lr.kept_decodes(path, MADE_FOR) == {}
    lr.keep_decodes(path, MADE_FOR, {(0.0, 2.0, "", 1, ()): ["words"]})
    assert lr.kept_decodes(path, MADE_FOR) == {(0.0, 2.0, "", 1, ()): ["words"]}


@pytest.mark.parametrize("other", [{**MADE_FOR, "media": "2102.mp4"},
                                   {**MADE_FOR, "model": "small (/models/small)"}])
def test_decodes_kept_for_other_media_or_another_model_are_refused(tmp_path: Path, other) -> None:
    path = tmp_path / "kept.decodes"
    lr.keep_decodes(path, MADE_FOR, {(0.0, 2.0, "", 1, ()): ["words"]})
    with pytest.raises(ValueError, match=r"2101\.mp4"):
        lr.kept_decodes(path, other)


def test_a_file_of_the_old_kind_names_nothing_and_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.decodes"
    path.write_bytes(pickle.dumps({(0.0, 2.0, "", 1): ["words"]}))
    with pytest.raises(ValueError, match="unnamed"):
        lr.kept_decodes(path, MADE_FOR)


def test_the_offline_captions_compared_are_made_with_the_replays_model(tmp_path, monkeypatch):
    """--offline compares the live words with the offline captions of the same model (the
    station's default `auto` may pick another, e.g. the packaged base)."""
    monkeypatch.syspath_prepend(str(Path(lr.__file__).parent))
    import _corpus

    asked: list[object] = []

    def transcribe(media, env, model=None, fresh=False):
        asked.append(model)
        (tmp_path / f"{media.stem}.json").write_text('{"segments": []}')
        return tmp_path, {}

    monkeypatch.setattr(_corpus, "transcribe", transcribe)
    monkeypatch.setattr(_corpus, "code_version", _corpus.code_version)   # offline_text swaps it
    assert lr.offline_text(tmp_path / "2101.mp4", 10.0, "bundled") == ""
    assert asked == ["bundled"]
