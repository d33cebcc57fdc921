"""Live captions replayed: the live session's recognition on a corpus meeting, on a virtual
clock, to choose its settings quickly (bench/live.py measures the real thing at real time).

The meeting's sound arrives as the virtual clock runs; each decode advances the clock by what
it cost: the process's CPU time (one thread by default, so a loaded machine slows the replay
but hardly its figures; --slow 0.6 stands for two threads on a quiet machine), or with --cost
A,B a fixed A seconds plus B per second of sound decoded, the same in every run, so two settings
are compared on the same decode times (their WER and latency no longer move with the machine's
load; tiny.en's decode is dominated by its encoder, which hears a padded 30 s whatever the
buffer). The waiting for sound costs nothing. The decode work is printed too: decodes, and
seconds of sound decoded per second of meeting. Prints the live WER and the latency from each truth word's end to its
caption being sent; --show prints where sent words and truth differ, --verbose each decode,
--why the latency of the words by why they were sent (agreed, settled, at a pause).

Usage: .venv/bin/python bench/live_replay.py MEDIA [--model bundled] [--show] [--set k=v ...]
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import pickle
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import caption_metrics as cm
import live_parts
from live import truth_file, truth_words

from archivist.adapters.live.recognizer import WhisperLiveRecognizer
from archivist.adapters.whisper import models
from archivist.domain.live.rollup import RollUp
from archivist.domain.live.session import LiveSession
from archivist.domain.live.settings import LiveSettings

RATE = 16000
PIECE = 0.1   # seconds of sound per packet


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Source:
    """The meeting's sound as it would arrive live, on the virtual clock."""

    def __init__(self, pcm: bytes, clock: Clock) -> None:
        self.pcm, self.clock, self.pos = pcm, clock, 0

    @property
    def ended(self) -> bool:
        return self.pos >= len(self.pcm)

    def read(self, wait: float) -> bytes:
        arrived = min(len(self.pcm), int(self.clock.now * RATE) * 2)
        if arrived <= self.pos:   # nothing yet: wait for the next packet
            # The next packet's time, always later: (int(now / PIECE) + 1) * PIECE gives now
            # back for some times (4.3 / 0.1 is 42.99...), and the replay waited there forever.
            self.clock.now = max((math.floor(self.clock.now / PIECE + 1e-6) + 1) * PIECE,
                                 self.clock.now + 1e-6)
            arrived = min(len(self.pcm), int(self.clock.now * RATE) * 2)
        data, self.pos = self.pcm[self.pos:arrived], arrived
        return data

    def restart(self) -> None:
        pass

    def close(self) -> None:
        pass


class Timed:
    """The recognizer, each decode advancing the virtual clock by its cost."""

    def __init__(self, inner: WhisperLiveRecognizer, clock: Clock, slow: float,
                 cost: tuple[float, float] | None = None,
                 beam_cost: tuple[float, float] | None = None,
                 cache: dict | None = None, made_by: tuple = ()) -> None:
        self.inner, self.clock, self.slow, self.model_cost = inner, clock, slow, cost
        self.decodes, self.cost, self.longest, self.heard = 0, 0.0, 0.0, 0.0
        self.spent = 0.0   # modelled seconds of the decodes of the current call
        self.verbose = False
        decode_once = inner._decode

        def counted(prompt: str, beam: int):   # heard again without the prompt: twice
            self.decodes += 1
            seconds = inner.end - inner.start
            self.heard += seconds
            if cost is not None:
                fixed, per_second = beam_cost if beam > 1 and beam_cost else cost
                self.spent += fixed + per_second * seconds
            if cache is None:
                return decode_once(prompt, beam)
            # With modelled decode times the same buffer, prompt and beam decode the same in
            # every run: a --try after the first decodes only where it differs. `made_by`: the
            # recognizer's settings, which shape its words too.
            key = (round(inner.start, 4), round(inner.end, 4), prompt, beam, made_by)
            if key not in cache:
                cache[key] = decode_once(prompt, beam)
            return list(cache[key])

        inner._decode = counted  # type: ignore[method-assign]

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def decode(self, prompt: str, final: bool = False):
        started, self.spent = time.process_time(), 0.0
        words = self.inner.decode(prompt, final=final)
        modelled = self.model_cost is not None
        spent = self.spent if modelled else (time.process_time() - started) * self.slow
        self.clock.now += spent
        self.cost += spent
        self.longest = max(self.longest, self.inner.end - self.inner.start)
        if self.verbose:
            print(f"{self.clock.now:7.1f} decode {self.inner.start:7.1f}-{self.inner.end:7.1f} "
                  f"cost {spent:.2f}: {' '.join(w.word for w in words)[-90:]}", file=sys.stderr)
        return words


class Record:
    def __init__(self) -> None:
        self.words: list[tuple[float, str]] = []
        self.why: list[str] = []     # why each word was sent (live_parts.WHY)
        self.reason = "?"

    def began(self, source): pass
    def rows(self, rows): pass
    def gap(self, start, end, wall): pass
    def status(self, status): pass
    def stop_requested(self): return False
    def ended(self): pass

    def sent(self, words) -> None:
        self.words.extend((wall, w.word) for w, wall, _latency in words)
        self.why.extend(self.reason for _ in words)


def tag_reasons(session: LiveSession, record: Record) -> None:
    """Tag each word `session` sends with why (the step it was sent in, then whether decodes
    agreed on it or it was sent as read): wraps the session's steps and its agreement."""
    step = {"now": "end"}

    def in_step(name: str, method):
        def wrapped(*args, **kwargs):
            before, step["now"] = step["now"], name
            try:
                return method(*args, **kwargs)
            finally:
                step["now"] = before
        return wrapped

    for name, attr in (("step", "_step"), ("pause", "_paused"), ("late", "_paused_late"),
                       ("lost", "_source_lost")):
        setattr(session, attr, in_step(name, getattr(session, attr)))
    agreement = session._agreement
    offer, flush = agreement.offer, agreement.flush

    def offered(decoded):
        record.reason = f"{step['now']}/agreed"
        return offer(decoded)

    def flushed(until=None):
        record.reason = f"{step['now']}/{'flushed' if until is None else 'settled'}"
        return flush(until)

    agreement.offer, agreement.flush = offered, flushed   # type: ignore[method-assign]


def settings_of(pairs: list[str]) -> tuple[LiveSettings, dict[str, float]]:
    """LiveSettings from `field=value` pairs, and the rest (the recognizer's beam_size and
    guard_loops) apart."""
    values = dict(p.split("=", 1) for p in pairs)
    fields = {name: f.type for name, f in LiveSettings.__dataclass_fields__.items()}
    def value(name: str, text: str) -> float | int | bool:
        kind = fields[name]
        if kind in (bool, "bool"):
            return text.lower() in ("1", "true", "yes")
        return int(text) if kind in (int, "int") else float(text)

    chosen = LiveSettings(**{k: value(k, v) for k, v in values.items() if k in fields})
    return chosen, {k: float(v) for k, v in values.items() if k not in fields}


RECOGNIZER = ("beam_size", "guard_loops", "final_beam_size", "twice_words", "window_seconds")


def replay(pcm: bytes, model, pairs: list[str], slow: float, verbose: bool,
           cost: tuple[float, float] | None = None,
           beam_cost: tuple[float, float] | None = None, cache: dict | None = None):
    """One live session over the sound on a virtual clock: (record, timed recognizer, clock)."""
    settings, extra = settings_of(pairs)
    unknown = set(extra) - set(RECOGNIZER)
    if unknown:
        raise SystemExit(f"unknown settings: {', '.join(sorted(unknown))}")
    clock = Clock()
    inner = WhisperLiveRecognizer(
        lambda: model, max_seconds=settings.max_seconds,
        beam_size=int(extra.get("beam_size", 1)),
        guard_loops=bool(extra.get("guard_loops", 1)),
        final_beam_size=int(extra.get("final_beam_size", 0)),
        twice_words=int(extra.get("twice_words", 0)),
        **({"window_seconds": extra["window_seconds"]} if "window_seconds" in extra else {}))
    # The window as the recognizer has it (its default too): decodes kept at another window
    # are other words.
    made_by = (settings.max_seconds, *(extra.get(k) for k in RECOGNIZER[:-1]),
               inner.window_seconds)
    recognizer = Timed(inner, clock, slow, cost, beam_cost, cache, made_by)
    recognizer.verbose = verbose
    record = Record()
    session = LiveSession("Bench", "replay", Source(pcm, clock), recognizer, None, record,
                          RollUp(), settings, clock=clock, wall=clock)
    tag_reasons(session, record)
    session.run(lambda: False)
    return record, recognizer, clock


def kept_decodes(path: Path, made_for: dict[str, str]) -> dict:
    """The decodes kept in `path` (none if there is no such file) for `made_for` (the media's
    name and the model). ValueError for a file kept for other media or another model: its
    decodes would be another recording's words."""
    if not path.exists():
        return {}
    try:
        kept = pickle.loads(path.read_bytes())
    except Exception as exc:
        raise ValueError(f"{path}: not a file of kept decodes ({exc})") from None
    found = kept.get("made_for") if isinstance(kept, dict) else None
    if found != made_for:
        raise ValueError(f"{path} keeps decodes made for {found or 'an unnamed recording'}, not "
                         f"{made_for}: give another --decodes file")
    return dict(kept["decodes"])


def keep_decodes(path: Path, made_for: dict[str, str], decodes: dict) -> None:
    """Keep `decodes` in `path` with what they were made for (written whole, then renamed)."""
    part = path.with_suffix(".part")
    part.write_bytes(pickle.dumps({"made_for": made_for, "decodes": decodes}))
    part.replace(path)


def offline_text(media: Path, until: float, model: str) -> str:
    """The offline captions' words (the pipeline's, as `archivist transcribe --model model`
    makes them; cached by bench/_corpus.py) that begin before `until` (stream seconds)."""
    import os

    import _corpus

    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env["ARCHIVIST_DATA_DIR"] = str(_corpus.CACHE / "live-replay-offline")
    # Keyed by the code less the live parts: a change to the live recognition does not make
    # the offline captions again.
    _corpus.code_version = offline_code   # type: ignore[assignment]
    # The replay's model: the station's default (`auto`) may pick another (the packaged base).
    out, _timing = _corpus.transcribe(media, env, model)
    segments = json.loads((out / f"{media.stem}.json").read_text())["segments"]
    return " ".join(w["word"].strip() for s in segments for w in s.get("words") or ()
                    if float(w["start"]) < until)


LIVE_CODE = ("archivist/adapters/live", "archivist/domain/live")


def offline_code() -> str:
    """A short hash of the archivist package but its live parts (committed tree and edits)."""
    import hashlib

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=Path(__file__).resolve().parents[1],
                              capture_output=True, text=True).stdout

    listing = [line for line in git("ls-tree", "-r", "HEAD", "archivist").splitlines()
               if not line.split("\t")[-1].startswith(LIVE_CODE)]
    digest = hashlib.sha256("\n".join(listing).encode())
    digest.update(git("diff", "HEAD", "--", "archivist",
                      *(f":!{path}" for path in LIVE_CODE)).encode())
    return digest.hexdigest()[:12]


def cost_of(text: str) -> tuple[float, float]:
    """'A,B' (seconds per decode, seconds per second of sound decoded)."""
    try:
        fixed, per_second = (float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--cost wants A,B (two numbers), not {text!r}") from None
    return fixed, per_second


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("media", type=Path)
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--slow", type=float, default=1.0, help="decode cost multiplier")
    parser.add_argument("--cost", type=cost_of, metavar="A,B",
                        help="each decode costs A s plus B s per second of sound in the buffer "
                             "(instead of its CPU time): the same decode times in every run. "
                             "The README's costs (0.35,0.02; 0.7,0.04) were measured with the "
                             "whole 30-s window; at window_seconds 10 a decode costs about a "
                             "third of that")
    parser.add_argument("--beam-cost", type=cost_of, metavar="A,B",
                        help="with --cost: what a decode with a beam over 1 costs instead")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--prompt-words", type=int, help="words sent given as the prompt")
    parser.add_argument("--until", type=float, default=86400.0,
                        help="replay only so much (the truth too: utterances begun by then)")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="each decode on stderr")
    parser.add_argument("--why", action="store_true",
                        help="the matched words' latency by why they were sent (agreed, "
                             "settled, at a pause: bench/live_parts.py)")
    parser.add_argument("--set", action="append", default=[],
                        help="field=value for every run: a LiveSettings field (prompt_words "
                             "too) or the recognizer's beam_size, guard_loops (1, 0), "
                             "final_beam_size (the decode sent whole, at a pause), "
                             "twice_words (a phrase this long said twice is a loop) or "
                             "window_seconds (the least sound the encoder hears; 30: all)")
    parser.add_argument("--try", dest="tries", action="append", default=[],
                        help="one run's settings, 'field=value field=value' (over --set); "
                             "several --try compare them on the same sound in one run")
    parser.add_argument("--decodes", type=Path, metavar="FILE",
                        help="with --cost: keep the decodes in FILE (a pickle, one per media "
                             "and model, refused for others) and reuse them in later runs")
    parser.add_argument("--figures", type=Path, metavar="FILE",
                        help="append each run's figures to FILE, a JSON line each (to pool "
                             "files: truth words, WER, every word's latency)")
    parser.add_argument("--offline", action="store_true",
                        help="print the offline captions' WER over the same stretch too")
    args = parser.parse_args()
    from faster_whisper import WhisperModel

    found = models.locate(args.model, Path.home() / ".local/share/archivist", False)
    made_for = {"media": args.media.name, "model": f"{args.model} ({found.source})"}
    try:   # before the model loads and the sound is read: a wrong file is told at once
        kept = kept_decodes(args.decodes, made_for) if args.cost and args.decodes else {}
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(args.media), "-t", str(args.until),
                          "-vn", "-ac", "1",
                          "-ar", str(RATE), "-f", "s16le", "-"], capture_output=True,
                         check=True).stdout
    model = WhisperModel(found.source, device="cpu", compute_type="int8",
                         cpu_threads=args.threads)
    base = list(args.set)
    if args.prompt_words is not None:
        base.append(f"prompt_words={args.prompt_words}")
    data = json.loads(truth_file(args.media).read_text())
    begun = [u for u in data["utterances"] if float(u["start"]) < args.until]
    last_end = max((float(u["end"]) for u in begun), default=0.0)
    truth_text = " ".join(u["text"] for u in begun)
    said = [w for w in truth_words(args.media) if w[1] <= last_end + 1e-6]
    offline = ""
    if args.offline:
        wer = cm.word_error_rate(truth_text, offline_text(args.media, last_end, args.model))
        offline = f" (offline {wer:.1%})"
    cache: dict | None = kept if args.cost else None   # decodes, shared by the --try runs
    for tried in args.tries or [""]:
        pairs = base + tried.split()
        started = time.perf_counter()
        record, recognizer, clock = replay(pcm, model, pairs, args.slow, args.verbose, args.cost,
                                           args.beam_cost, cache)
        wall = time.perf_counter() - started
        report(args, pairs, record, recognizer, clock, wall, truth_text, said, offline)
        if cache is not None and args.decodes:
            keep_decodes(args.decodes, made_for, cache)
    return 0


def report(args, pairs, record, recognizer, clock, wall, truth_text, said, offline) -> None:
    """One run's figures (and with --show, where its words and the truth differ)."""
    live = [(w, at) for at, word in record.words for w in cm.normalise(word)]
    matcher = difflib.SequenceMatcher(a=[w for w, _ in said], b=[w for w, _ in live],
                                      autojunk=False)
    latencies = [live[b.b + k][1] - said[b.a + k][1]
                 for b in matcher.get_matching_blocks() for k in range(b.size)]
    why_of = [why for (_at, word), why in zip(record.words, record.why, strict=True)
              for _w in cm.normalise(word)]
    reasons = [(why_of[b.b + k], live[b.b + k][1] - said[b.a + k][1])
               for b in matcher.get_matching_blocks() for k in range(b.size)]
    if args.show:
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                print(f"{tag:8} {said[i1][1] if i1 < len(said) else 0:7.1f}  "
                      f"truth: {' '.join(w for w, _ in said[i1:i2])!r:50} "
                      f"live: {' '.join(w for w, _ in live[j1:j2])!r}")
    ops: dict[str, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops[tag] = ops.get(tag, 0) + max(i2 - i1, j2 - j1)
    errors = cm.word_errors(truth_text, " ".join(w for _, w in record.words))
    wer = errors.rate
    pace = f"cost {args.cost[0]}+{args.cost[1]}/s" if args.cost else f"slow {args.slow}"
    if args.cost and args.beam_cost:
        pace += f", beam {args.beam_cost[0]}+{args.beam_cost[1]}/s"
    print(f"{args.media.name[:4]} [{' '.join(pairs) or 'defaults'}] {pace}: "
          f"{len(live)} sent, {len(said)} truth, ops {ops}; WER {wer:.1%}{offline}; "
          f"latency p50 {cm.percentile(latencies, 0.5):.2f} p95 {cm.percentile(latencies, 0.95):.2f} "
          f"max {max(latencies, default=float('nan')):.2f}; decodes {recognizer.decodes} "
          f"({recognizer.decodes / max(clock.now, 1e-9) * 60:.0f}/min, "
          f"{recognizer.heard / max(clock.now, 1e-9):.1f} s heard per s), "
          f"{recognizer.cost:.0f} s of {clock.now:.0f} s, longest buffer "
          f"{recognizer.longest:.1f} s; replay took {wall:.0f} s", flush=True)
    if args.why:   # the matched words by why they were sent
        for line in live_parts.by_why(reasons):
            print("    " + line, flush=True)
    if args.figures:
        with args.figures.open("a") as out:
            out.write(json.dumps({"media": args.media.name, "until": args.until,
                                  "settings": " ".join(pairs), "errors": errors.errors,
                                  "words": errors.words, "offline": offline,
                                  "latencies": latencies}) + "\n")


if __name__ == "__main__":
    sys.exit(main())
