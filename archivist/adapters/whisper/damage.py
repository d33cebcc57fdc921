"""The damage ledger: what a recording's sound lost on the way in, and whether it can be captioned.

While the sound is decoded, the ledger counts the packets demuxed, those the decoder refused
and those missing (a jump in the timestamps: bytes lost on a network, a file cut in the
middle), and owes the silence that stands in for each so that the sound after it keeps its
place. At the end it judges the recording: cut off (`truncated`), too damaged to caption
(`damaged`), or captioned, its damage logged. Plain arithmetic: no PyAV, no file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from archivist.domain.errors import MediaError

log = logging.getLogger("archivist.whisper")

# More packets than this share of the sound refused by the decoder, or as many separate gaps
# in its timestamps, and the recording is damaged, whether or not the file says how long it is
# (Matroska through a pipe, MediaRecorder webm, MPEG-TS do not). A gap counts once, however
# long: an hour of clean sound with a five-minute hole (a network dropped) is captioned, the
# hole silence and named in the log; a stream that breaks up every few seconds is not. The
# share a cut-off file may lack (5 %): a stream captured over a lossy network with a few bad
# packets is still captioned, its lost sound kept as silence so what follows stays in time.
DAMAGE_LIMIT = 0.05
# A file whose sound stops this much short of what its header promises was cut off.
TRUNCATION_SLACK = 2.0
# A jump in the timestamps longer than this is the clock's, not lost sound (an encoder
# restarted on a new clock): the sound goes on after it, no silence stands in.
LONGEST_LOSS = 600.0


class DamageLedger:
    """The damage to one recording's sound, counted as its packets are decoded.

    Times are seconds on the recording's timestamps; `origin` is where its sound begins (the
    first packet's time when None). `typical` is a packet's usual length (0 if unknown).
    """

    def __init__(self, origin: float | None = None, typical: float = 0.0) -> None:
        self.origin = origin
        self.typical = typical
        self.packets = 0       # demuxed
        self.refused = 0       # the decoder refused: silence stands in
        self.gaps: list[tuple[float, float]] = []  # (where from the origin, seconds) never
        # there (a jump in the timestamps): silence stands in
        self.owed = 0.0        # seconds of silence standing in for damage, not yet written
        self.filled = 0.0      # seconds of silence written for damage
        self.padded = 0.0      # seconds of silence written before the sound begins (no damage)
        self._lead = 0.0       # seconds of that not yet written
        self.reached = 0.0     # where the last packet decoded ends, from the origin
        self._start: float | None = None   # where the packet just demuxed begins
        self._next: float | None = None    # where the next packet should begin

    def demuxed(self, start: float | None) -> None:
        """A packet beginning at `start` (None: it does not say). A gap before it, since the
        packet before ended, is sound lost: owed as silence."""
        self.packets += 1
        self._start = start
        if start is None:
            return
        if self.origin is None:
            self.origin = start
        if self._next is not None:
            gap = start - self._next
            # Half a packet's slack: timestamps rounded to their time base never trip it.
            if max(self.typical / 2, 0.005) < gap <= LONGEST_LOSS:
                self.gaps.append((self._next - self.origin, gap))
                self.owed += gap
        self._next = None   # until this packet's length is known

    def refuse(self, seconds: float) -> None:
        """The decoder refused the packet just demuxed, `seconds` long (0: it does not say):
        its length (or a typical packet's) is owed as silence."""
        self.refused += 1
        length = seconds or self.typical
        self.owed += length
        self._ended(length)

    def decoded(self, seconds: float) -> None:
        """The packet just demuxed was decoded into `seconds` of sound: a typical length."""
        self.typical = seconds or self.typical
        if self._start is not None:
            self.reached = max(self.reached, self._start + seconds - (self.origin or 0.0))
        self._ended(seconds)

    def _ended(self, length: float) -> None:
        # Where the next packet should begin; unknown when this one's time or length is.
        self._next = self._start + length if self._start is not None and length else None

    def lead(self, seconds: float) -> None:
        """The recording begins `seconds` before its sound does (a video frame first): that much
        silence goes before the first sound, as a player plays it; it is not damage."""
        self._lead = max(0.0, seconds)

    @property
    def owing(self) -> float:
        """Seconds of silence to write before the next sound: the lead, then what damage owes."""
        return self._lead + self.owed

    def settle(self, written: float) -> None:
        """`written` seconds of silence now stand in for what was owing."""
        lead = min(self._lead, written)
        self.padded += lead
        self.filled += written - lead
        self._lead = self.owed = 0.0

    @property
    def missing(self) -> float:
        """Seconds of sound never there: the gaps in the timestamps."""
        return sum(seconds for _, seconds in self.gaps)

    @property
    def damaged(self) -> int:
        """Packets refused and gaps: each a place where the sound broke."""
        return self.refused + len(self.gaps)

    def judge(self, path: Path | str, seconds: float, expected: float | None) -> None:
        """Judge a recording whose sound came to `seconds` (silence included) where it declares
        `expected` seconds (None: it does not say). Raises MediaError for one cut off or too
        damaged to caption; logs the damage of one that passes."""
        decoded = seconds - self.filled - self.padded
        if decoded <= 0:
            raise MediaError(path, "no audio could be decoded (damaged or empty audio track)")
        if self.damaged:
            log.warning("damaged sound replaced by silence", extra={
                "recording": str(path), "packets": self.refused, "of_packets": self.packets,
                "gaps": len(self.gaps), "missing": round(self.missing, 2),
                "where": ", ".join(f"{seconds:.1f} s at {at:.1f} s" for at, seconds in
                                   self.gaps[:5]) + (" ..." if len(self.gaps) > 5 else ""),
                "seconds": round(self.filled, 2)})
        # The least sound a whole recording of its declared length gives.
        least = expected - max(TRUNCATION_SLACK, 0.05 * expected) if expected else 0.0
        end = self.reached or decoded  # a damaged tail is a cut-off one: no sound goes on past it
        # A gap is where the stream lost its sound, not where the file stops short.
        short = decoded + self.missing < least
        if end < least or (short and not self.damaged):
            stops = end if end < least else decoded
            raise MediaError(path, f"truncated: audio stops at {stops:.1f}s of {expected:.1f}s")
        # One lost packet never refuses a recording: a cut file's last packet is often incomplete.
        if self.damaged > max(1, DAMAGE_LIMIT * self.packets) or short:
            raise MediaError(path, f"damaged: {self._what()} "
                                   f"({decoded:.1f} s of {expected or seconds:.1f} s decoded)")

    def _what(self) -> str:
        refused = f"{self.refused} packets of sound could not be decoded"
        if not self.gaps:
            return refused
        plural = "s" if len(self.gaps) > 1 else ""
        missing = (f"{len(self.gaps)} gap{plural} in the sound "
                   f"({self.missing:.1f} s missing, lost or cut out)")
        return f"{missing} and {refused}" if self.refused else missing
