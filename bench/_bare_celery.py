"""Bare Celery: a task that only counts itself, on the same broker and settings as Archivist's
(late acknowledgement, prefetch 1). The baseline of bench/pipeline.py."""

from __future__ import annotations

import os

import redis
from celery import Celery

BROKER = os.environ["BENCH_BROKER"]
app = Celery("bare", broker=BROKER)
app.conf.update(task_ignore_result=True, task_acks_late=True, worker_prefetch_multiplier=1,
                task_default_queue=os.environ["BENCH_QUEUE"], worker_hijack_root_logger=False)
_counter = redis.Redis.from_url(BROKER)


@app.task(name="bare.noop")
def noop(n: int) -> None:
    _counter.incr(f"{os.environ['BENCH_QUEUE']}:done")
