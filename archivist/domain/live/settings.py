"""How a live session listens: its settings (`live:` in config.yml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LiveSettings:
    """How a session listens (live: in config.yml)."""

    chunk_seconds: float = 1.0     # decode at most once per this much new sound
    trim_after: float = 10.0       # from this length, cut the buffer at a sentence sent
    max_seconds: float = 30.0      # the buffer never holds more
    pause_seconds: float = 1.5     # no speech this long: decode, send it all, new row
    settle_seconds: float = 1.5    # a word said this long before the buffer's end is sent
    # Words sent before the buffer given to the model as what was said before it (never words
    # the buffer itself holds: the model would take them as said already, and skip them).
    prompt_words: int = 40
    # At a pause, the sound of the last words sent (up to this many seconds of them) is kept
    # for the next decode to hear before what is said next (a short reply is not heard alone);
    # their words are not sent again. 0: only the last half second of the pause is kept.
    context_seconds: float = 0.0
    # A pause heard only once the speaker went on (it came while a decode ran) ends the row
    # and makes the words before it final too, as a pause heard at once does.
    late_pauses: bool = False
    # After a pause, the first decode waits until this much of the new speech is heard (a
    # decode of its first fraction of a second writes guesses the next decode can agree on).
    first_seconds: float = 0.0
    # A word of at most this many letters is sent only once three successive decodes agree on
    # it (two decodes agree on a short word wrongly more often); 0: two, as every word.
    short_letters: int = 0
    # The names among the words sent before the buffer (capitalised words not opening a
    # sentence, the last this many, each once) given to the model before the prompt's words.
    prompt_names: int = 0
    # Mark a new speaker with `>>` where the voice of the first words after a pause differs
    # from the voice of the last words before it (by Voices: the offline detector's test).
    speaker_changes: bool = False
    # With speaker_changes, a pause this long ends a turn too (the voice after it is compared
    # with the voice before it), while the row and the buffer go on to `pause_seconds`: people
    # answer each other within a second, and the longer pause keeps what the model hears.
    turn_pause_seconds: float = 0.6
    source_timeout: float = 3.0    # no sound this long: the source is down
    retry_max: float = 2.0         # longest wait between attempts to reopen the source
