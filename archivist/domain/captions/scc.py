"""SCC writer: pop-on CEA-608 captions on CC1, timed in 29.97 fps drop-frame.

Each caption is one event: erase the hidden buffer, load the lines, then End Of Caption
(EOC) swaps it onto the screen. Every two bytes cost one frame to transmit, so an event
starts early enough that its EOC lands on the cue's start frame. Events never overlap: when
speech is too dense to load a caption in time, its EOC is shifted later. A caption is
cleared by an Erase Displayed Memory (EDM) at its end unless the next EOC replaces it first;
when the next caption is already loading at that moment, the EDM rides inside its event.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from archivist.domain import rendered
from archivist.domain.captions import charset, timecode
from archivist.domain.captions.cues import Cue

HEADER = "Scenarist_SCC V1.0"
COLUMNS = 32
Pair = tuple[int, int]

# Control codes for channel 1 (CC1), before parity.
RCL: Pair = (0x14, 0x20)   # resume caption loading: pop-on mode
ENM: Pair = (0x14, 0x2E)   # erase non-displayed memory
EDM: Pair = (0x14, 0x2C)   # erase displayed memory
EOC: Pair = (0x14, 0x2F)   # end of caption: show what was loaded
PAD = 0x00                 # null, `80` with parity

# First byte of the preamble address code for rows 1..15, and whether the row is the
# second of its pair (second bytes 0x60-0x7F instead of 0x40-0x5F).
_PAC_ROW = {1: (0x11, 0), 2: (0x11, 1), 3: (0x12, 0), 4: (0x12, 1), 5: (0x15, 0),
            6: (0x15, 1), 7: (0x16, 0), 8: (0x16, 1), 9: (0x17, 0), 10: (0x17, 1),
            11: (0x10, 0), 12: (0x13, 0), 13: (0x13, 1), 14: (0x14, 0), 15: (0x14, 1)}


def pac(row: int, indent: int) -> Pair:
    """Return the preamble address code putting white text at `row`, column `indent` (0, 4.. 28)."""
    first, second_half = _PAC_ROW[row]
    return first, 0x40 + 0x20 * second_half + 0x10 + indent // 4 * 2


def tab_offset(columns: int) -> Pair:
    """Return the code moving the cursor 1 to 3 columns right."""
    return 0x17, 0x20 + columns


def _line_units(text: str, row: int) -> list[list[Pair]]:
    """Return the units (doubled codes or text pairs) that draw one centred line."""
    if len(text) > COLUMNS:
        raise ValueError(f"caption line longer than {COLUMNS} columns: {text!r}")
    column = (COLUMNS - len(text)) // 2
    units = [[pac(row, column - column % 4)] * 2]
    if column % 4:
        units.append([tab_offset(column % 4)] * 2)
    pending: list[int] = []
    for code in charset.encode(text):
        if isinstance(code, int):
            pending.append(code)
            if len(pending) == 2:
                units.append([(pending[0], pending[1])])
                pending = []
            continue
        if pending:   # two-byte codes start on a frame boundary: pad the odd byte
            units.append([(pending[0], PAD)])
            pending = []
        elif units[-1] == [code, code]:
            # A third copy in a row would read as a repeat to decoders that skip every
            # repeated code (ffmpeg): a null pair between keeps "♪♪" two notes.
            units.append([(PAD, PAD)])
        units.append([code, code])
    if pending:
        units.append([(pending[0], PAD)])
    return units


def caption_units(lines: Sequence[str], bottom_row: int) -> list[list[Pair]]:
    """Return the units loading `lines` into the hidden buffer, bottom line on `bottom_row`."""
    top = bottom_row - len(lines) + 1
    if top < 1 or bottom_row > 15:
        raise ValueError(f"{len(lines)} lines do not fit above row {bottom_row}")
    units = [[ENM, ENM], [RCL, RCL]]
    for i, line in enumerate(lines):
        units.extend(_line_units(line, top + i))
    return units


def load_seconds(lines: Sequence[str], bottom_row: int = 15) -> float:
    """Return how soon after the caption before it a caption of `lines` can appear.

    That is the frames that send it (one a byte pair) after the doubled EOC that showed the
    one before; `schedule` shows it later when its cue starts sooner than that.
    """
    top = bottom_row - len(lines) + 1
    if top < 1 or bottom_row > 15:
        raise ValueError(f"{len(lines)} lines do not fit above row {bottom_row}")
    # ENM and RCL (two frames each), each line's frames, then the EOC of the one before.
    return _seconds(4 + sum(_line_frames(line) for line in lines) + 2)


@lru_cache(maxsize=20_000)
def _units(lines: tuple[str, ...], bottom_row: int) -> tuple[list[Pair], ...]:
    # Remembered: a correction leaves most captions of a long meeting as they were.
    return tuple(caption_units(lines, bottom_row))


@rendered.remembering("scc line frames")
@lru_cache(maxsize=65536)
def _line_frames(text: str) -> int:
    # The frames a line takes are the same on any row; cue segmentation asks for the same
    # lines many times over (every cue it weighs), so they are counted once.
    return sum(len(u) for u in _line_units(text, 1))


@lru_cache(maxsize=4096)
def _seconds(frames: int) -> float:
    return timecode.seconds_at(frames)


def _hex(pair: Pair) -> str:
    return _HEX[pair[0]] + _HEX[pair[1]]


_HEX = [f"{charset.with_parity(byte):02x}" for byte in range(256)]   # each byte, with parity


def _insert_erase(units: list[list[Pair]], first_frame: int, clear_at: int) -> None:
    """Put an EDM between units, on the first frame at or after `clear_at`."""
    frame = first_frame
    for i, unit in enumerate(units):
        if frame >= clear_at:
            units.insert(i, [EDM, EDM])
            return
        frame += len(unit)
    units.append([EDM, EDM])


def schedule(cues: Sequence[Cue], bottom_row: int = 15) -> list[tuple[int, list[Pair]]]:
    """Return events (first frame, pairs) that show `cues`, in order, never overlapping."""
    events: list[tuple[int, list[Pair]]] = []
    free = 0                      # first frame no event occupies
    clear_at: int | None = None   # when the caption on screen should be erased
    for cue in cues:
        lines = [line for line in cue.lines if line]
        if not lines:
            continue
        units = list(_units(tuple(lines), bottom_row))   # a copy: an erase may go inside
        load = sum(len(u) for u in units)
        want_on, want_off = timecode.frame_at(cue.start), timecode.frame_at(cue.end)
        # EOC on the cue's start, unless loading can't finish by then: then as soon as it can.
        on = max(want_on, free + load)
        if clear_at is not None and clear_at < on - 1:   # else this EOC replaces it in time
            if clear_at + 2 <= on - load:
                events.append((clear_at, [EDM, EDM]))
                free = clear_at + 2
            else:
                # This caption is loading when the last one should go: erase mid-load.
                on = max(on, free + load + 2)
                _insert_erase(units, on - load - 2, clear_at)
                load += 2
        events.append((on - load, [p for u in units for p in u] + [EOC, EOC]))
        free = on + 2
        # A caption shown late still stays up as long as it would have (up to a second).
        kept_up = min(max(want_off - want_on, 2), 30) if on > want_on else 2
        clear_at = max(want_off, on + kept_up, free)
    if clear_at is not None:
        events.append((clear_at, [EDM, EDM]))
    return events


def write(cues: Sequence[Cue], *, start_timecode: str = "00:00:00;00", row: int = 15) -> str:
    """Return the SCC file showing `cues`; times are offset by `start_timecode`."""
    if not 1 <= row <= 15:
        raise ValueError(f"SCC caption row must be 1 to 15, got {row}")
    offset = timecode.parse(start_timecode)
    events = schedule(cues, row) or [(0, [EDM, EDM])]
    body = [f"{timecode.label(first + offset)}\t{' '.join(_hex(p) for p in pairs)}"
            for first, pairs in events]
    return HEADER + "\n\n" + "\n\n".join(body) + "\n"
