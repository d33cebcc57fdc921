"""Property-based tests: random word streams through segmentation and every writer."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archivist.domain.captions import (
    FORMATS,
    CaptionSettings,
    CueRules,
    broadcast_cues,
    charset,
    guards,
    render,
    segmentation,
)
from archivist.domain.captions.timecode import frame_at
from archivist.domain.models import Segment, Transcript, Word
from tests.captions.scc_readers import (
    PYCAPTION_READS,
    as_read_by,
    ffmpeg_decode,
    ffmpeg_shape,
    pycaption_decode,
)
from tests.examples import examples

VOCABULARY = [
    "the", "and", "of", "Council", "Member", "Lopez", "Maple", "Avenue", "moved", "to", "approve",
    "$4,200,000", "10:30", "a.m.", "item", "7", "4", "million", "Nguyễn", "José", "Núñez", "Łódź",
    "Zoë", "São", "Ærø", "“quoted”", "don’t", "5–6", "wait…", "—", "½", "♪", "*", "{x}", "a|b",
    "~", "^_^", "back\\slash", "`tick`", "中文", "🙂", "ß", "Øre", "¿Qué?", "€20", "I", "a", "OK.",
    "Thank", "you.", "Yes,", "no.", "Mr.", "Dr.", "St.", "well-known", "x" * 33,
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
]

word_text = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=45),
)


@st.composite
def transcripts(draw, max_words: int = 120) -> Transcript:
    """Return a transcript with random words, timings (dense to sparse) and segments."""
    dense = draw(st.booleans())
    n = draw(st.integers(0, max_words))
    t = draw(st.floats(0, 30))
    words = []
    for _ in range(n):
        t += draw(st.floats(0, 0.1) if dense else st.one_of(st.floats(0, 1), st.floats(0, 40)))
        length = draw(st.floats(0, 0.3) if dense else st.floats(0, 3))
        words.append(Word(t, t + length, " " + draw(word_text), draw(st.floats(0.5, 1))))
        t += length
    segments = []
    i = 0
    while i < len(words):
        size = draw(st.integers(1, 25))
        chunk = tuple(words[i:i + size])
        keep_words = draw(st.integers(0, 9)) > 0   # now and then a segment of text only
        # Mostly confident speech, sometimes the figures of doubtful text.
        doubt = draw(st.integers(0, 4)) == 0
        segments.append(Segment(chunk[0].start, chunk[-1].end, "".join(w.word for w in chunk),
                                chunk if keep_words else (),
                                avg_logprob=draw(st.floats(-2, 0)) if doubt else -0.2,
                                no_speech_prob=draw(st.floats(0, 1)) if doubt else 0.02,
                                compression_ratio=draw(st.floats(0.5, 3)) if doubt else 1.4))
        if draw(st.integers(0, 5)) == 0:
            segments.append(Segment(chunk[-1].end, chunk[-1].end, "", ()))   # empty segment
        i += size
    return Transcript(tuple(segments), t + 5)


def glyphs(texts) -> str:
    """Return the characters of `texts` without any whitespace: what must appear in order."""
    return "".join("".join(texts).split())


def spoken(t: Transcript, spell=str) -> str:
    """Return the words a caption file must show for `t`, in order, without whitespace."""
    out = []
    for seg in t.segments:
        said = [w.word for w in seg.words] if seg.words else seg.text.split()
        out.extend(spell(w) for w in said)
    return glyphs(out)


def check_cues(cues, rules: CueRules) -> None:
    for cue in cues:
        assert 1 <= len(cue.lines) <= rules.max_lines
        assert all(0 < len(line) <= rules.max_chars and line == line.strip() for line in cue.lines)
        assert 0 < cue.end - cue.start <= rules.max_duration + 1e-9
    for a, b in zip(cues, cues[1:]):
        assert a.end <= b.start


FAST = settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(transcripts(), st.sampled_from([CueRules(), CueRules(max_chars=42),
                                       CueRules(max_lines=3, max_cps=15)]))
def test_segmentation_keeps_the_rules_and_every_word_in_order(t, rules):
    cues = segmentation.segment(t, rules)
    check_cues(cues, rules)
    assert glyphs(line for c in cues for line in c.lines) == spoken(t)


@FAST
@given(transcripts())
def test_every_scc_decodes_to_its_cues(t):
    settings_ = CaptionSettings()
    clean = guards.clean(t)
    cues = broadcast_cues(clean, settings_)
    check_cues(cues, settings_.broadcast)
    assert glyphs(line for c in cues for line in c.lines) == spoken(clean, charset.transliterate)

    seen = pycaption_decode(render(t, ["scc"], settings_)["scc"])
    expected = [as_read_by(c.lines, PYCAPTION_READS) for c in cues]
    kept = [(c, e) for c, e in zip(cues, expected) if e]   # a caption of only █ shows nothing
    assert [s.lines for s in seen] == [e for _, e in kept]
    for (cue, _), s in zip(kept, seen):
        # Cues are spaced for sending: each appears on its own frame, never late.
        assert abs(s.on - frame_at(cue.start)) <= 1
        assert s.off is None or s.off > s.on
    assert all(a.on < b.on and (a.off is None or a.off <= b.on) for a, b in zip(seen, seen[1:]))


@FAST
@given(transcripts())
def test_web_files_show_every_word_in_order(t):
    out = render(t, FORMATS, CaptionSettings(web=CueRules(max_chars=42)))
    clean = guards.clean(t)
    vtt_lines = [html.unescape(line) for block in out["vtt"].split("\n\n")[1:]
                 for line in block.split("\n")[1:]]
    srt_lines = [line for block in out["srt"].split("\n\n") for line in block.split("\n")[2:]]
    assert glyphs(vtt_lines) == spoken(clean)
    assert glyphs(srt_lines) == spoken(clean).replace("-->", "->")
    # The plain transcript: every segment's text, in order, after its stamp and the notes.
    body = [p for p in out["txt"].split("\n\n") if p.strip() and not p.startswith("Note: ")]
    assert glyphs(re.sub(r"^\[\d\d:\d\d:\d\d\] ", "", p) for p in body) == glyphs(
        s.text for s in clean.segments)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(t=transcripts(max_words=60))
def test_ffmpeg_decodes_every_scc_without_warnings(t, tmp_path):
    settings_ = CaptionSettings()
    cues = broadcast_cues(guards.clean(t), settings_)
    decoded = ffmpeg_decode(render(t, ["scc"], settings_)["scc"], tmp_path)
    expected = [ffmpeg_shape(c.lines) for c in cues]
    assert [lines for _, _, lines in decoded] == [e for e in expected if e]
