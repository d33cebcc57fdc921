"""`archivist models`: the Whisper models on this machine and what each costs here."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from archivist.domain import model_choice
from archivist.entrypoints.cli.app import Context, _fail, cli

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "1001-1-Riverton Council Sample (20261103).mp4"
# A probe of one model on the sample gives up after this long (a large model on a busy machine).
_PROBE_SECONDS = 600


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
    costs: dict[str, Any] = whisper_models.read_costs(data_dir)
    if probe:
        for name in here:
            costs[name] = {**costs.get(name, {}), **_probe(name, obj.config_path)}
        whisper_models.write_costs(data_dir, costs)
    setting = str(config["whisper"]["model"])
    station = whisper_models.setting_name(setting, data_dir)
    users: dict[str, list[str]] = {}
    for city in config["library"]["cities"] or []:
        if isinstance(city, dict) and city.get("model"):
            users.setdefault(whisper_models.setting_name(str(city["model"]), data_dir),
                             []).append(str(city.get("name")))
    rows = [{"model": name, "folder": found.source, "mb": _megabytes(Path(found.source)),
             "station_default": name == station, "cities": users.get(name, []),
             **costs.get(name, {})} for name, found in here.items()]
    missing = sorted({station, *users} - set(here))
    best = whisper_models.chosen(data_dir)
    if as_json:
        click.echo(json.dumps({"models": rows, "not_here": missing, "recommended": best,
                               "station_setting": setting}, indent=2))
        return
    default = "station default" + (" (auto)" if setting == whisper_models.AUTO else "")
    for row in rows:
        used = ([default] if row["station_default"] else []) + \
            [f"city {c}" for c in row["cities"]]
        size = f"{row['mb']:>6.0f} MB" if row["mb"] else "joined on first use"
        click.echo(f"{row['model']:<16} {size}  {_cost(row)}"
                   + (f"  [{', '.join(used)}]" if used else ""))
    for name in missing:
        click.echo(f"{name:<16} not on this machine (fetched on first use if whisper.allow_download)")
    if not costs:
        click.echo("no figures yet: `archivist models --probe` measures each model on the sample")
    click.echo(f"recommended: {best} (the most accurate here that runs at least "
               f"{model_choice.FAST_ENOUGH:g}x faster than real time on {model_choice.CORES} "
               f"cores; whisper.model: auto uses it)")


def _cost(row: dict[str, Any]) -> str:
    if "cpu_s_per_audio_min" not in row:
        return "cost not measured"
    parts = [f"{row['cpu_s_per_audio_min']:.1f} CPU s per audio minute",
             f"{row['realtime']:.0f}x real time" if row.get("realtime") else "",
             f"peak {row['peak_mb']:.0f} MB" if row.get("peak_mb") else "",
             f"WER dev {row['wer_dev']:.3f} held {row['wer_held']:.3f}" if "wer_held" in row else "",
             f"({row.get('source', '')} {row.get('measured', '')})".rstrip()]
    return ", ".join(p for p in parts if p)


def _megabytes(folder: Path) -> float:
    model = folder / "model.bin"
    return model.stat().st_size / 1e6 if model.is_file() else 0.0


def _probe(name: str, config_path: str | None) -> dict[str, Any]:
    """One model on the sample, in a child process (so its peak memory is its own)."""
    # On the command line, not ARCHIVIST_WHISPER_MODEL: a station file naming whisper.model
    # outweighs the environment, and every model would be measured as that one.
    args = [sys.executable, "-m", "archivist.entrypoints.cli.model_probe", str(SAMPLE),
            "--model", name]
    if config_path:
        args += ["--config", config_path]
    started = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
