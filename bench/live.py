"""Live captions measured: a meeting played at real time through a local UDP stream, captioned
live by `archivist live start` to the fake encoder.

Reports, for the recording:
- latency from the end of each spoken word (corpus truth) to its caption leaving for the
  encoder (the session's `sent` time), p50 and p95, over the live words matched to the truth;
- the WER of the live captions, beside the WER of the offline captions of the same file
  (`archivist transcribe`, cached by bench/_corpus.py);
- CPU share of the machine's cores and peak memory (VmHWM) of the live process, and (every
  `--every` seconds while playing) the CPU share over that minute and the memory (RSS) then, as
  a short series: flat over a long meeting is what "bounded" means;
- where the latency goes (bench/live_parts.py): before the session heard the word's sound (the
  player, UDP, the session's ffmpeg), the decoded end's offset from the truth's, and the
  session's own wait (decodes, agreement, the pause), p50 / p95 of each;
- for a meeting longer than `--stretch` minutes (10), each stretch's words sent and matched,
  latency p50 / p95 / max, live WER, CPU share and RSS (bench/live_stretches.py): whether any
  of them drifts over the meeting.

The truth gives each utterance's start and end; a word's time is interpolated by its character
position (bench/caption_metrics.py), good to a few tenths of a second, and a word's end is
taken as the next word's start (the utterance's end for its last). The player's start is taken
as the moment it was launched, so a word's latency includes ffmpeg's start-up (conservative).

Usage: .venv/bin/python bench/live.py [--media FILE] [--split held] [--model base] [--show]
                                      [--threads N] [--every 60] [--stretch 10]
  Default: the shortest held-back corpus meeting, or the bundled sample when the corpus is not
  made. Run on a quiet machine for figures to quote; the load is printed before and after.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus
import caption_metrics as cm
import live_parts
import live_stretches

from archivist.testing.fake_encoder import FakeEncoder

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "archivist" / "samples" / "1001-1-Riverton Council Sample (20261103).mp4"
CLI = [sys.executable, "-m", "archivist.entrypoints.cli"]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def truth_file(media: Path) -> Path:
    """The corpus truth beside a recording (the bundled sample's is .truth.json)."""
    plain = media.with_suffix(".json")
    return plain if plain.exists() else media.with_suffix(".truth.json")


def truth_words(media: Path) -> list[tuple[str, float]]:
    """(word, end time) of each truth word: its end is the next word's start, or its
    utterance's end for the last of an utterance."""
    data = json.loads(truth_file(media).read_text(encoding="utf-8"))
    out: list[tuple[str, float]] = []
    for u in data["utterances"]:
        text, start, end = u["text"], float(u["start"]), float(u["end"])
        timed = []
        for m in re.finditer(r"\S+", text):
            at = start + (end - start) * m.start() / max(len(text), 1)
            timed.extend((w, at) for w in cm.normalise(m.group()))
        for i, (w, _at) in enumerate(timed):
            out.append((w, timed[i + 1][1] if i + 1 < len(timed) else end))
    return out


def process_figures(pid: int) -> tuple[float, int]:
    """(CPU seconds of the process and its children so far, its peak memory in bytes)."""
    return _figures(pid, "VmHWM:")


def resident(pid: int) -> tuple[float, int]:
    """(CPU seconds of the process and its children so far, its memory now in bytes)."""
    return _figures(pid, "VmRSS:")


def _figures(pid: int, memory: str) -> tuple[float, int]:
    cpu = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    peak = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(memory):
                peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    return cpu, peak


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def percentile(values: list[float], q: float) -> float:
    return cm.percentile(values, q) if values else float("nan")


def play(media: Path, url: str, pid: int, every: float) -> tuple[int, list[tuple[float, float, int]]]:
    """Play `media` at real time to `url`; while it plays, every `every` seconds: (minutes
    in, CPU share of the cores over that stretch, RSS of the live process)."""
    player = subprocess.Popen(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-i",
                               str(media), "-map", "0:a:0", "-c:a", "aac", "-b:a", "96k",
                               "-f", "mpegts", url], stdin=subprocess.DEVNULL)
    series: list[tuple[float, float, int]] = []
    started = last = time.monotonic()
    cpu_last, _ = resident(pid)
    cores = os.cpu_count() or 1
    while True:
        try:
            code = player.wait(timeout=max(0.0, last + every - time.monotonic()))
            return code, series
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            cpu, rss = resident(pid)
            series.append(((now - started) / 60, (cpu - cpu_last) / (now - last) / cores, rss))
            print(f"  {series[-1][0]:5.1f} min: CPU {series[-1][1]:.0%} of {cores} cores, "
                  f"RSS {rss / 2**20:.0f} MB, load {load()}", flush=True)
            cpu_last, last = cpu, now


def run(media: Path, model: str | None = None, show: bool = False, every: float = 60.0,
        threads: int = 0, live: dict | None = None, stretch: float = 600.0) -> int:
    data = json.loads(truth_file(media).read_text(encoding="utf-8"))
    truth_text = " ".join(u["text"] for u in data["utterances"])
    duration = float(data["duration"])
    model = model or "bundled"   # both: the station's `auto` may pick another for recordings
    print(f"{media.name}: {duration:.0f} s, model {model}, live.cpu_threads "
          f"{threads or 'default'}; load before: {load()} ({os.cpu_count()} cores)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-live-"))
    encoder = FakeEncoder().start()
    port = free_udp_port()
    url = f"udp://127.0.0.1:{port}"
    config: dict = {"data_dir": str(work / "data"), "library": {"cities": [{
        "name": "Bench", "path": str(work),
        "live": {"source": url, "encoder": {"host": "127.0.0.1", "port": encoder.port}}}]}}
    config["live"] = {"model": model, **(live or {})}
    if threads:
        config["live"]["cpu_threads"] = threads
    (work / "station.yml").write_text(yaml.safe_dump(config))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env["ARCHIVIST_CONFIG"] = str(work / "station.yml")
    session = subprocess.Popen([*CLI, "live", "start", "Bench"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    status = work / "data" / "live" / "Bench" / "status.json"
    deadline = time.monotonic() + 120
    while not status.exists() and time.monotonic() < deadline and session.poll() is None:
        time.sleep(0.2)   # the model is loaded before the session begins
    if not status.exists():
        print(session.communicate(timeout=10)[1], file=sys.stderr)
        return 1
    cpu_before, _ = process_figures(session.pid)
    played = time.time()
    started = time.monotonic()
    played_code, series = play(media, url, session.pid, every)
    cpu_played, _ = process_figures(session.pid)
    wall = time.monotonic() - started
    # A session behind the speech still has sound queued: wait until it has heard the whole
    # meeting, the source has been quiet for live.source_timeout and the buffer was decoded a
    # last time (nothing more sent for 10 s), at most 5 minutes.
    transcript = next((work / "data" / "live" / "Bench" / "sessions").iterdir()) / "transcript.jsonl"
    size, steady = -1, time.monotonic()
    while time.monotonic() - started < duration + 300:
        heard = json.loads(status.read_text()).get("stream_seconds", 0) >= duration - 1
        if transcript.stat().st_size != size:
            size, steady = transcript.stat().st_size, time.monotonic()
        elif heard and time.monotonic() - steady >= 10:
            break
        time.sleep(0.5)
    _cpu, peak = process_figures(session.pid)
    subprocess.run([*CLI, "live", "stop", "Bench"], env=env, capture_output=True, timeout=60)
    session.wait(30)
    encoder.stop()
    if played_code:
        print("the player failed", file=sys.stderr)
        return 1

    (folder,) = (work / "data" / "live" / "Bench" / "sessions").iterdir()
    events = [json.loads(line) for line in (folder / "transcript.jsonl").read_text().splitlines()]
    sent = [e for e in events if e["kind"] == "word"]
    live_words = [(w, e["sent"]) for e in sent for w in cm.normalise(e["word"])]
    said = truth_words(media)
    matcher = difflib.SequenceMatcher(a=[w for w, _ in said], b=[w for w, _ in live_words],
                                      autojunk=False)
    # Each live word's event (its decoded end and the session's own latency): the parts.
    events_of = [e for e in sent for _w in cm.normalise(e["word"])]
    latencies, matched, pieces = [], [], []
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            _w, end = said[block.a + k]
            latencies.append(live_words[block.b + k][1] - (played + end))
            matched.append((end, latencies[-1]))
            event = events_of[block.b + k]
            pieces.append(live_parts.parts(played, end, float(event["sent"]),
                                           float(event["latency"]), float(event["end"])))
    if show:   # where the live words and the truth differ, at the truth's time
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                at = said[min(i1, len(said) - 1)][1]
                print(f"{tag:8} {at:7.1f} s  truth: {' '.join(w for w, _ in said[i1:i2])!r}"
                      f"  live: {' '.join(w for w, _ in live_words[j1:j2])!r}")
    live_text = " ".join(e["word"] for e in sent)
    live_wer = cm.word_error_rate(truth_text, live_text)
    print(f"load after: {load()}")
    print(f"live: {len(sent)} words sent, {len(latencies)} matched to the truth; "
          f"{sum(1 for e in events if e['kind'] == 'gap')} gaps; encoder showed "
          f"{len(encoder.words)} words")
    print(f"latency (truth word end -> caption sent): p50 {percentile(latencies, 0.5):.2f} s, "
          f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies, default=float('nan')):.2f} s"
          f"   targets: p50 <= 2.5 s, p95 <= 4 s")
    if pieces:
        print("where it goes: " + live_parts.summary(pieces))
    if len(encoder.words) == len(sent):   # the roll-up's send path: the encoder's thread, TCP
        shown = [at - float(e["sent"]) for (at, _w), e in zip(encoder.words, sent, strict=True)]
        print(f"the fake encoder showed each word p50 {percentile(shown, 0.5):.3f} s, p95 "
              f"{percentile(shown, 0.95):.3f} s, max {max(shown):.3f} s after it was sent")
    print(f"CPU while playing: {cpu_played - cpu_before:.0f} s over {wall:.0f} s = "
          f"{(cpu_played - cpu_before) / wall / (os.cpu_count() or 1):.0%} of {os.cpu_count()} cores; "
          f"peak memory {peak / 2**20:.0f} MB")
    if series:
        print(f"every {every:.0f} s (minute: CPU share, RSS): " + ", ".join(
            f"{at:.1f}: {share:.0%} {rss / 2**20:.0f} MB" for at, share, rss in series))
    if duration > stretch:
        print(f"by {stretch / 60:g}-minute stretch of the meeting (words sent / matched; latency "
              f"p50 / p95 / max; live WER; the live process's CPU share of {os.cpu_count()} cores, "
              "mean of the samples; its RSS, lowest-highest sample):")
        heard = [(w, float(e["end"])) for e in sent for w in cm.normalise(e["word"])]
        for part in live_stretches.stretches(stretch, duration, matched, said, heard,
                                             [(at * 60, share, rss) for at, share, rss in series]):
            print("  " + live_stretches.line(part))
    offline_env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    offline_env["ARCHIVIST_DATA_DIR"] = str(work / "offline")
    # Keyed by the code less its live parts (as the replay's): a change to the live captions
    # does not caption the meeting offline again (an hour's meeting costs minutes of CPU).
    import live_replay

    _corpus.code_version = live_replay.offline_code   # type: ignore[assignment]
    out, _timing = _corpus.transcribe(media, offline_env, model)
    offline = json.loads((out / f"{media.stem}.json").read_text())
    offline_text = " ".join(s["text"] for s in offline["segments"])
    print(f"WER: live {live_wer:.1%}, offline {cm.word_error_rate(truth_text, offline_text):.1%} "
          f"(target: live within 5 points)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--media", type=Path, help="a recording with a corpus truth beside it")
    parser.add_argument("--split", default="held", choices=_corpus.SPLITS)
    parser.add_argument("--model", help="whisper.model for both (default: the bundled tiny.en)")
    parser.add_argument("--show", action="store_true",
                        help="print where the live words differ from the truth")
    parser.add_argument("--threads", type=int, default=0,
                        help="live.cpu_threads: threads a live decode uses (default: the setting's)")
    parser.add_argument("--live", action="append", default=[], metavar="KEY=VALUE",
                        help="a live: setting for the session (YAML value), e.g. context_seconds=3")
    parser.add_argument("--every", type=float, default=60.0,
                        help="seconds between the CPU and memory samples printed as a series")
    parser.add_argument("--stretch", type=float, default=10.0,
                        help="minutes of the meeting per line of the figures by stretch, printed "
                             "for a meeting longer than that (default 10)")
    args = parser.parse_args()
    if args.every <= 0:
        parser.error("--every must be above 0")
    if args.stretch <= 0:
        parser.error("--stretch must be above 0")
    media = args.media or next(iter(_corpus.recordings(args.split)), SAMPLE)
    if not truth_file(media).exists():
        print(f"{media}: no truth (.json) beside it", file=sys.stderr)
        return 2
    live = {k: yaml.safe_load(v) for k, v in (pair.split("=", 1) for pair in args.live)}
    return run(media, args.model, args.show, args.every, args.threads, live, args.stretch * 60)


if __name__ == "__main__":
    sys.exit(main())
