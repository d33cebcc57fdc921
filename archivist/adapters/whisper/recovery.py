"""Speech the decoding skipped, heard again: each gap between words where someone speaks,
decoded on its own with a little of the words around it.

Decoding a recording end to end, each 30 s with its own text before it, Whisper leaves out
speech: tiny.en skips dev 2101's roll call whole (13–31 s, one voice reading names and
"Present." in turn) and the answers of 2103's ("Board member Brandon." written, "Present."
not). Decoding the roll call again from its start does not help: given the 18 s alone tiny.en
skips it again (Whisper's no-speech rule) or, made to write, loops one name. Cut into pieces
of a few seconds at the quietest moments, each decoded alone, it writes most of it ("Council
member America. Present. Council member member. Present."); an answer missed between two
names is heard when its piece runs from the word before to the word after. What comes back
goes in where captions.recovered trusts it.

A gap is tried only where the voice detector heard speech and the sound stands out from the
room's noise (as voicing measures it) for `least` seconds or more, so pauses, music beds and
steady noise cost nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from archivist.adapters.whisper import audio, speech, voicing
from archivist.adapters.whisper.decoding import Recognition
from archivist.domain.captions import guards
from archivist.domain.captions import recovered as trust
from archivist.domain.models import Segment

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("archivist.whisper")
AROUND = 2.5      # seconds of the words either side of a gap decoded with it, as context
SHORTEST = 3.0    # seconds a piece of a long gap lasts at least: Whisper needs words around a word
LONGEST = 7.0     # ... and at most: longer, tiny.en skips or loops it as it did the whole
# Passes over the gaps: words found in a long gap leave shorter ones, with new words either
# side to hear them by (on dev 2101 the first pass wrote five of the roll call's seven names).
PASSES = 2
EDGE = 0.2        # seconds of a gap next to a word that count as that word's ring, not speech
# Share of a recording's length whose gaps are decoded again, at most (both passes counted):
# each piece costs a decode of its own, and a recording the model mostly skipped (music the VAD
# took for speech, a language it does not know) must not be decoded a second time whole. On
# dev the gaps tried (both passes) came to 15 % of 2101 (its roll call), 14 % of 2106, 3 % of
# 2103 and 2104: a fifth lets all of them through and bounds the rest at a fifth more decoding.
MOST_SHARE = 0.2


def recovered(recognition: Recognition, said: speech.SpeechOnly, sound: audio.Sound,
              segments: Sequence[Segment], least: float,
              step: Callable[[], None] = lambda: None,
              within: Sequence[tuple[float, float]] | None = None) -> list[Segment]:
    """`segments` (a recording's, in order) with what the model hears, piece by piece, in
    each gap between their words where someone speaks for `least` seconds or more, while the
    gaps tried add up to MOST_SHARE of the recording's length or less. `step` is called before
    each piece (it raises to stop: a piece that decodes to nothing calls back nothing else).
    `within` (recording seconds): only the gaps that reach into one of these stretches."""
    levels = voicing.levels(sound)
    tried: set[tuple[float, float]] = set()
    left = MOST_SHARE * sound.seconds   # seconds of gap still to try
    for _ in range(PASSES):
        todo = [gap for gap in gaps(segments, said.voiced(), levels, least) if gap not in tried
                and (within is None or any(gap[0] < b and a < gap[1] for a, b in within))]
        for start, end in todo:
            if end - start > left:   # a shorter gap may still fit
                log.info("unheard speech left: over recovery's share", extra={
                    "at": round(start, 1), "until": round(end, 1)})
                continue
            left -= end - start
            tried.add((start, end))
            lo, hi = max(0.0, start - AROUND), min(sound.seconds, end + AROUND)
            found = []
            for at, until in pieces(said, said.speech_time(lo), said.speech_time(hi)):
                step()
                heard = recognition.alone(at, until)
                # A piece that loops was not heard; the others of a long gap may well have been
                # (a roll call the first decoding looped through, said once, is such a gap).
                if not guards.looped([w.word for s in heard for w in s.words]):
                    found.extend(heard)
            added = trust.trusted(found, (start, end), segments)
            log.info("unheard speech decoded again", extra={
                "at": round(start, 1), "until": round(end, 1),
                "heard": " ".join(s.text.strip() for s in found)[:300],
                "kept": " ".join(s.text.strip() for s in added)[:300]})
            segments = trust.spliced(segments, added)
    return list(segments)


def gaps(segments: Sequence[Segment], voiced: Sequence[tuple[float, float]],
         levels: np.ndarray, least: float) -> list[tuple[float, float]]:
    """The gaps between words (recording seconds: the word before's end, the word after's
    start) where the voice detector heard speech and the sound stands out from the noise
    floor for `least` seconds or more."""
    import numpy as np

    words = [w for s in segments for w in s.words]
    duration = len(levels) * voicing.FRAME
    edges = [0.0, *(t for w in words for t in (w.start, w.end)), duration]
    heard = np.zeros(len(levels), dtype=bool)
    for a, b in voiced:
        heard[int(a / voicing.FRAME):int(b / voicing.FRAME)] = True
    reach = int(voicing.FLOOR_SECONDS / voicing.FRAME)
    found = []
    for start, end in zip(edges[0::2], edges[1::2]):
        a, b = int((start + EDGE) / voicing.FRAME), int((end - EDGE) / voicing.FRAME)
        if (b - a) * voicing.FRAME < least:
            continue
        floor = float(np.percentile(levels[max(0, a - reach):b + reach], 10))
        loud = (levels[a:b] >= floor + voicing.FLOOR_DB) & heard[a:b]
        if np.count_nonzero(loud) * voicing.FRAME >= least:
            found.append((start, end))
    return found


def pieces(said: speech.Samples, start: float, end: float) -> list[tuple[float, float]]:
    """[start, end) (seconds into `said`) cut into pieces SHORTEST to LONGEST seconds long (the
    last too, if the whole is), each cut at the quietest moment there (a pause between words,
    as often as not)."""
    import numpy as np

    step = int(voicing.FRAME * audio.SAMPLE_RATE)
    out: list[tuple[float, float]] = []
    at = start
    while end - at > LONGEST:
        first = int((at + SHORTEST) * audio.SAMPLE_RATE)
        # Not past end - SHORTEST: a last piece of a fraction of a second is too short to hear.
        last = int(min(at + LONGEST, end - SHORTEST) * audio.SAMPLE_RATE)
        samples = said.read(first, last).astype(np.float64)
        frames = samples[:samples.size // step * step].reshape(-1, step)
        cut = (first + int(np.argmin(np.mean(frames ** 2, axis=1))) * step) / audio.SAMPLE_RATE
        out.append((at, cut))
        at = cut
    out.append((at, end))
    return out
