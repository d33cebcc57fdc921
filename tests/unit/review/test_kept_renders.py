"""What a render keeps outside the process (domain/rendered.py): a render in a fresh process
that reuses it writes exactly the files a render from nothing writes, and nothing kept under
other code, other settings or in a damaged file is ever reused."""

from __future__ import annotations

import pickle
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archivist.adapters.kept_renders import KeptRenders
from archivist.domain import rendered, transcript_json
from archivist.domain.captions import forget
from archivist.domain.captions.cues import Cue
from tests.unit.captions.test_caption_incremental import PROFILES, corrected, files, meeting


def kept_files(transcript, profile, earlier: bytes | None = None) -> tuple[dict[str, str], bytes]:
    """The files a fresh process renders, reusing the body `earlier`; and the body it keeps."""
    forget()   # a new process: nothing remembered in it
    with rendered.keeping(rendered.Kept.loads(earlier)) as used:
        texts = files(transcript, profile)
    return texts, used.dumps()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), lines=st.integers(1, 40), edits=st.integers(0, 6),
       profile=st.sampled_from(PROFILES), other=st.sampled_from(PROFILES))
def test_a_fresh_process_reusing_a_kept_render_writes_what_a_render_from_nothing_writes(
        seed, lines, edits, profile, other) -> None:
    before = meeting(seed, lines)
    after = corrected(before, random.Random(seed), edits)
    _, body = kept_files(before, other)      # the worker's render (perhaps other settings)
    again, body_after = kept_files(after, profile, body)
    forget()
    assert again == files(after, profile)
    # ... and what it kept in turn serves the next process the same way.
    assert kept_files(after, profile, body_after)[0] == again


def test_a_kept_render_spares_the_work_it_kept() -> None:
    transcript = meeting(5, 30)
    _, body = kept_files(transcript, PROFILES[0])
    kept = rendered.Kept.loads(body)
    assert len(kept) > 30
    # Every piece replaced by a wrong answer: a render that reuses them all shows it.
    for key, value in kept.pieces.items():
        # a run's cues, each with the span of the run's words it shows
        if isinstance(value, tuple) and value and isinstance(value[0], tuple) \
                and value[0] and isinstance(value[0][0], Cue):
            kept.pieces[key] = ((Cue(0.0, 1.0, ("kept",)), (0, 1)),)
    forget()
    with rendered.keeping(kept):
        assert "kept" in files(transcript, PROFILES[0])["council.srt"]


def test_other_renderer_code_keeps_nothing(monkeypatch) -> None:
    _, body = kept_files(meeting(6, 10), PROFILES[0])
    assert len(rendered.Kept.loads(body)) > 0
    monkeypatch.setattr(rendered, "code_version", lambda: "a later release")
    assert len(rendered.Kept.loads(body)) == 0


@pytest.mark.parametrize("body", [b"", b"not zlib", zlib.compress(b"not a pickle"),
                                  zlib.compress(pickle.dumps(("other", "body"))),
                                  zlib.compress(pickle.dumps(
                                      (rendered.FORMAT, rendered.code_version(),
                                       {"k": pytest.MonkeyPatch})))])
def test_a_damaged_or_foreign_body_keeps_nothing(body) -> None:
    # Never an object of another class, whatever the file holds.
    assert len(rendered.Kept.loads(body)) == 0


def test_a_recordings_kept_render_is_one_file_replaced_whole(tmp_path) -> None:
    store = KeptRenders(tmp_path / "rendered")
    assert store.kept(7) is None
    transcript = meeting(8, 12)
    with rendered.kept_for(store, 7):
        first = files(transcript, PROFILES[0])
    body = store.kept(7)
    assert body and len(rendered.Kept.loads(body)) > 0
    forget()
    with rendered.kept_for(store, 7):
        assert files(transcript, PROFILES[0]) == first
    assert [p.name for p in (tmp_path / "rendered").iterdir()] == ["7"]


def test_a_render_that_fails_keeps_nothing(tmp_path) -> None:
    store = KeptRenders(tmp_path)
    with pytest.raises(RuntimeError), rendered.kept_for(store, 3):
        files(meeting(9, 5), PROFILES[0])
        raise RuntimeError("the mount went away")
    assert store.kept(3) is None


def test_a_store_that_cannot_write_costs_time_only(tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    store = KeptRenders(blocked)
    store.keep(1, b"body")   # logged, not raised
    assert store.kept(1) is None


def test_a_render_that_fails_inside_a_save_keeps_the_last_whole_one(tmp_path) -> None:
    # A save stores its JSON and renders inside one block; a render that fails in it (the
    # mount went away) must not replace the last whole render's pieces with the JSON alone.
    store = KeptRenders(tmp_path)
    transcript = meeting(10, 8)
    with rendered.kept_for(store, 4):
        files(transcript, PROFILES[0])
    whole = store.kept(4)
    with rendered.kept_for(store, 4):
        transcript_json.dumps(transcript)
        with pytest.raises(OSError), rendered.kept_for(store, 4):
            raise OSError("the mount went away")
    assert store.kept(4) == whole


def test_only_the_most_recently_rendered_recordings_are_kept(tmp_path) -> None:
    import os

    store = KeptRenders(tmp_path, kept=2)
    for recording_id in (1, 2, 3):
        store.keep(recording_id, b"body %d" % recording_id)
        os.utime(tmp_path / str(recording_id), (1000 + recording_id, 1000 + recording_id))
    store.keep(2, b"body 2 again")   # rendered again: the newest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2", "3"]
    crashed = tmp_path / ".7.abc"
    crashed.write_bytes(b"half")
    os.utime(crashed, (1000, 1000))
    store.keep(3, b"body 3 again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2", "3"]
