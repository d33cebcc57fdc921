"""The thread of `live start` that keeps the transcript in the database: the session's end
waits for its last keep from a database that answers, not from one that hangs."""

from __future__ import annotations

import threading
import time

from archivist.entrypoints.live_keeping import HUNG, HUNG_WAIT, TranscriptKeeping


class Keeper:
    def __init__(self, takes: float = 0.0) -> None:
        self.takes, self.kept = takes, 0
        self.release = threading.Event()

    def catch_up(self) -> None:
        pass

    def keep(self, name: str) -> None:
        self.release.wait(self.takes)
        self.kept += 1


def test_the_end_waits_for_the_last_keep_of_a_database_that_answers():
    keeper = Keeper(takes=0.3)
    keeping = TranscriptKeeping("Riverton", keeper, lambda: "20261206T070000Z", every=0.05).start()
    time.sleep(0.2)
    keeping.stop(wait=10.0)
    kept = keeper.kept
    time.sleep(0.5)
    assert kept >= 1 and keeper.kept == kept   # the last keep done, and nothing after it


def test_the_end_does_not_wait_for_a_database_that_hangs():
    keeper = Keeper(takes=60.0)
    keeping = TranscriptKeeping("Riverton", keeper, lambda: "20261206T070000Z", every=0.05).start()
    time.sleep(HUNG + 0.3)   # a keep under way for longer than a database answers in
    asked = time.monotonic()
    keeping.stop(wait=10.0)
    assert time.monotonic() - asked < HUNG_WAIT + 0.3
    keeper.release.set()
