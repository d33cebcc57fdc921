"""`archivist transcribe` stopped by Ctrl-C mid-decode, at a terminal: what became of the job is
said on a line of its own, not run on after the progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import pytest

from archivist.domain.jobs.stops import RunStopped
from archivist.entrypoints.cli import transcribe
from archivist.entrypoints.cli.app import Answered


class _Screen:
    """What reaches the terminal, in order: the bar opening, moving, closing, and lines."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def bar(self, label: str) -> Any:
        screen = self

        class Bar:
            def __enter__(self) -> Self:
                screen.events.append("bar shown")
                return self

            def update(self, fraction: float, _eta: float | None) -> None:
                screen.events.append("bar moved")

            def __exit__(self, *exc: object) -> None:
                screen.events.append("bar cleared")

        return Bar()

    def echo(self, message: str = "", err: bool = False) -> None:
        self.events.append(message)


class _StoppedMidDecode:
    """Jobs whose run is stopped by Ctrl-C a tenth of the way through the decode."""

    def caption_here(self, path: Path, *args: Any, on_progress: Any, **kwargs: Any) -> Any:
        on_progress(0.1, 20.0)
        raise RunStopped(KeyboardInterrupt(), "its job is marked cancelled")


def test_the_interruption_is_said_after_the_bar_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Screen()
    monkeypatch.setattr(transcribe, "_ProgressBar", screen.bar)
    monkeypatch.setattr(transcribe.click, "echo", screen.echo)
    council = Path("/mnt/flex-3/Council (20261103).mp4")

    with pytest.raises(Answered) as ended:
        transcribe._caption_each(None, _StoppedMidDecode(), [council], {},  # type: ignore[arg-type]
                                 ["srt"], None, False, "", None)

    assert ended.value.code == 130
    assert screen.events == ["bar shown", "bar moved", "bar cleared",
                             f"interrupted: {council} (its job is marked cancelled)"]
