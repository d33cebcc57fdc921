"""The transcriber's health probe: is the configured model on this machine? (Nothing is loaded,
joined or downloaded.)"""

from __future__ import annotations

from pathlib import Path

from archivist.adapters.whisper import models
from archivist.domain.health import ProbeResult, Status


class WhisperProbe:
    """Health of the transcriber: is the configured model on this machine?"""

    name = "whisper"

    def __init__(self, model: str, data_dir: str = "~/.local/share/archivist",
                 allow_download: bool = False) -> None:
        self._model = model
        self._data_dir = data_dir
        self._allow_download = allow_download

    def check(self) -> ProbeResult:
        model = self._model
        if model in ("", models.BUNDLED, "tiny.en"):
            return ProbeResult(Status.OK, "model tiny.en (bundled)")
        folder = Path(model).expanduser()
        if folder.is_dir():
            if (folder / "model.bin").is_file():
                return ProbeResult(Status.OK, f"model {folder.name} at {folder}")
            return ProbeResult(Status.DOWN, f"{folder} has no model.bin (not a CTranslate2 Whisper model)")
        if models.is_path(model):
            return ProbeResult(Status.DOWN, f"model folder {model} does not exist")
        if model == models.BASE and models.base_packaged():
            return ProbeResult(Status.OK, "model base (packaged)")
        if model in models.installed(self._data_dir):
            return ProbeResult(Status.OK, f"model {model} in {models.models_dir(self._data_dir)}")
        if self._allow_download:
            return ProbeResult(Status.DEGRADED, f"model {model!r} not yet downloaded (on first use)")
        return ProbeResult(Status.DOWN, f"model {model!r} is not on this machine")
