"""The transcriber's health probe: is every model the settings name (the station's and each
city's own) on this machine, or one it may fetch? (Nothing is loaded, joined or downloaded.)"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from archivist.adapters.whisper import models
from archivist.domain.health import ProbeResult, Status

_WORST = {Status.OK: 0, Status.DEGRADED: 1, Status.DOWN: 2}


class WhisperProbe:
    """Health of the transcriber: is each configured model on this machine?"""

    name = "whisper"

    def __init__(self, model: str, data_dir: str = "~/.local/share/archivist",
                 allow_download: bool = False,
                 cities: Iterable[Mapping[str, Any]] | None = None) -> None:
        self._model = model
        self._data_dir = data_dir
        self._allow_download = allow_download
        self._cities = list(cities or [])

    def check(self) -> ProbeResult:
        """The station's model first; then each city whose own model differs, by name (a typo in
        a city's `model` fails every job of that city, so health must say so before they run)."""
        results = [self._check(self._model)]
        seen = {self._model}
        for city in self._cities:
            model = city.get("model")
            if not model or model in seen:
                continue
            seen.add(model)
            result = self._check(model)
            results.append(ProbeResult(result.status, f"{city.get('name', '?')}: {result.detail}"))
        worst = max(results, key=lambda r: _WORST[Status(r.status)]).status
        return ProbeResult(worst, "; ".join(r.detail for r in results))

    def _check(self, model: str) -> ProbeResult:
        if model == models.AUTO:
            found = self._check(models.chosen(self._data_dir))
            return ProbeResult(found.status, f"auto: {found.detail}")
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
        # A hub repository ("org/name") may hold any model; a bare name must be one faster-whisper
        # knows, or it will never download (a typo such as "smal.en").
        names = models.known_names()
        if "/" not in model and model not in names:
            # The settings' own words first: "atuo" is a typo of auto, not of turbo.
            near = difflib.get_close_matches(model, models.SETTING_WORDS, n=1) or \
                difflib.get_close_matches(model, names, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            return ProbeResult(Status.DOWN, f"{model!r} is not a model name nor a model folder "
                               f"({hint}names: {', '.join([*models.SETTING_WORDS, *names])})")
        if self._allow_download:
            return ProbeResult(Status.DEGRADED, f"model {model!r} not yet downloaded (on first use)")
        return ProbeResult(Status.DOWN, f"model {model!r} is not on this machine")
