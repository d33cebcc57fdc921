"""`archivist models`: the Whisper models on this machine and what each costs here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from archivist.entrypoints.cli.app import Context, _fail, cli

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "1001-1-Riverton Council Sample (20261103).mp4"
# A probe of one model on the sample gives up after this long (a large model on a busy machine).
_PROBE_SECONDS = 600
# The recommended model is the most accurate that runs at least this many times faster than
# real time on this many cores (judged from CPU time, which a busy machine moves less than wall).
FAST_ENOUGH, CORES = 4.0, 2


def costs_path(data_dir: str) -> Path:
    """Where the last figures are kept: `--probe` and `bench/foundation.py --models` write them."""
    return Path(data_dir).expanduser() / "models" / "costs.json"


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--probe", is_flag=True,
              help="Measure each model on the 33-second sample now (CPU seconds per audio minute, "
                   "peak memory) and keep the figures.")
@click.pass_obj
def models(obj: Context, as_json: bool, probe: bool) -> None:
    """List the Whisper models this machine has (bundled, packaged, downloaded), which the
    station and its cities use, and what each costs here (from the last probe or benchmark)."""
    from archivist.adapters.whisper import models as whisper_models

    config = obj.config
    data_dir = config["data_dir"]
    here = whisper_models.installed(data_dir)
    costs = _read_costs(costs_path(data_dir))
    if probe:
        for name in here:
            costs[name] = {**costs.get(name, {}), **_probe(name, obj.config_path)}
        path = costs_path(data_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(costs, indent=2) + "\n", encoding="utf-8")
    station = whisper_models.setting_name(config["whisper"]["model"])
    users: dict[str, list[str]] = {}
    for city in config["library"]["cities"] or []:
        if isinstance(city, dict) and city.get("model"):
            users.setdefault(whisper_models.setting_name(str(city["model"])), []).append(str(city.get("name")))
    rows = [{"model": name, "folder": found.source, "mb": _megabytes(Path(found.source)),
             "station_default": name == station, "cities": users.get(name, []),
             **costs.get(name, {})} for name, found in here.items()]
    missing = sorted({station, *users} - set(here))
    best = recommended(rows)
    if as_json:
        click.echo(json.dumps({"models": rows, "not_here": missing, "recommended": best}, indent=2))
        return
    for row in rows:
        used = (["station default"] if row["station_default"] else []) + \
            [f"city {c}" for c in row["cities"]]
        size = f"{row['mb']:>6.0f} MB" if row["mb"] else "joined on first use"
        click.echo(f"{row['model']:<16} {size}  {_cost(row)}"
                   + (f"  [{', '.join(used)}]" if used else ""))
    for name in missing:
        click.echo(f"{name:<16} not on this machine (fetched on first use if whisper.allow_download)")
    if not costs:
        click.echo("no figures yet: `archivist models --probe` measures each model on the sample")
    elif best:
        click.echo(f"recommended: {best} (the most accurate here that runs at least "
                   f"{FAST_ENOUGH:g}x faster than real time on {CORES} cores)")


def recommended(rows: list[dict[str, Any]]) -> str | None:
    """The most accurate model measured (WER on the held half, else dev) among those fast enough."""
    fit = [(row.get("wer_held", row.get("wer_dev")), row["model"]) for row in rows
           if row.get("cpu_s_per_audio_min")
           and 60 * CORES / row["cpu_s_per_audio_min"] >= FAST_ENOUGH
           and row.get("wer_held", row.get("wer_dev")) is not None]
    return min(fit)[1] if fit else None


def _cost(row: dict[str, Any]) -> str:
    if "cpu_s_per_audio_min" not in row:
        return "cost not measured"
    parts = [f"{row['cpu_s_per_audio_min']:.1f} CPU s per audio minute",
             f"{row['realtime']:.0f}x real time" if row.get("realtime") else "",
             f"peak {row['peak_mb']:.0f} MB" if row.get("peak_mb") else "",
             f"WER dev {row['wer_dev']:.3f} held {row['wer_held']:.3f}" if "wer_held" in row else "",
             f"({row.get('source', '')} {row.get('measured', '')})".rstrip()]
    return ", ".join(p for p in parts if p)


def _read_costs(path: Path) -> dict[str, dict[str, Any]]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _megabytes(folder: Path) -> float:
    model = folder / "model.bin"
    return model.stat().st_size / 1e6 if model.is_file() else 0.0


def _probe(name: str, config_path: str | None) -> dict[str, Any]:
    """One model on the sample, in a child process (so its peak memory is its own)."""
    env = {**os.environ, "ARCHIVIST_WHISPER_MODEL": name}
    args = [sys.executable, "-m", "archivist.entrypoints.cli.model_probe", str(SAMPLE)]
    if config_path:
        args += ["--config", config_path]
    started = time.monotonic()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(timeout=_PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        _fail(f"probing {name}: no answer within {_PROBE_SECONDS} s")
    if child.returncode != 0:
        _fail(f"probing {name}: {err.decode(errors='replace').strip().splitlines()[-1:]}")
    figures: dict[str, Any] = json.loads(out)
    figures["measured"] = time.strftime("%Y-%m-%d", time.gmtime())
    figures["source"] = f"probe on the sample, {time.monotonic() - started:.0f} s"
    return figures
