"""The transcriber's health probe: is the configured model on this machine?"""

from __future__ import annotations

from pathlib import Path

from archivist.adapters.whisper.models import resolve_model
from archivist.domain.health import ProbeResult, Status


class WhisperProbe:
    """Health of the transcriber: is the configured model on this machine? (It is not loaded.)"""

    name = "whisper"

    def __init__(self, model: str) -> None:
        self._model = model

    def check(self) -> ProbeResult:
        source, name = resolve_model(self._model)
        folder = Path(source)
        if folder.is_dir():
            if (folder / "model.bin").is_file():
                return ProbeResult(Status.OK, f"model {name} at {folder}")
            return ProbeResult(Status.DOWN, f"{folder} has no model.bin (not a CTranslate2 Whisper model)")
        if source.startswith(("/", "~", ".")) or source.count("/") > 1:  # a path, not a hub name
            return ProbeResult(Status.DOWN, f"model folder {source} does not exist")
        return self._check_cached(name)

    @staticmethod
    def _check_cached(name: str) -> ProbeResult:
        try:
            from faster_whisper.utils import _MODELS  # names faster-whisper knows
            from huggingface_hub import try_to_load_from_cache
        except ImportError as exc:  # pragma: no cover - both ship with faster-whisper
            return ProbeResult(Status.DOWN, f"faster-whisper not installed: {exc}")
        repo = _MODELS.get(name, name)
        try:
            cached = try_to_load_from_cache(repo, "model.bin")
        except ValueError as exc:  # not a valid hub name either
            return ProbeResult(Status.DOWN, f"model {name!r} is neither a folder nor a model name: {exc}")
        if isinstance(cached, str):
            return ProbeResult(Status.OK, f"model {name} in the local cache")
        return ProbeResult(Status.DOWN, f"model {name!r} is not on this machine")
