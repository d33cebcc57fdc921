"""An `archivist worker` whose transcriber answers at once: the pipeline's own cost, measured
by bench/pipeline.py. Not for stations."""

from __future__ import annotations

import sys
from typing import Any

from celery import signals

from archivist.domain.models import Segment, Transcript, Word
from archivist.entrypoints import worker


class Instant:
    """A Transcriber that hears one sentence in every file, instantly."""

    model_name = "instant"

    def transcribe(self, media: Any, on_progress: Any, cancelled: Any) -> Transcript:
        on_progress(1.0, 1.0)
        words = (Word(0.0, 0.5, " Call"), Word(0.5, 0.7, " to"), Word(0.7, 1.2, " order."))
        return Transcript((Segment(0.0, 1.2, "Call to order.", words),), duration=2.0,
                          model="instant")


@signals.worker_process_init.connect
def _instant(**_: Any) -> None:
    worker.container().transcriber.override(Instant())


if __name__ == "__main__":
    worker.celery_app.worker_main(["worker", "--loglevel=WARNING", *sys.argv[1:]])
