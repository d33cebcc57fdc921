"""The job rules, with fakes standing in for the database, broker, storage and model."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archivist.domain.captioning import Captioning
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.errors import Cancelled, Conflict, GatewayUnavailable, MediaError
from archivist.domain.jobs.rules import JobPolicy, Jobs
from archivist.domain.jobs.stops import RunStopped
from archivist.domain.models import City, Job, JobState, Priority
from archivist.domain.sidecars import sidecar_path
from tests.captions.scc_readers import pycaption_decode
from tests.fakes import (
    FolderLibrary,
    InMemoryRepository,
    ListQueue,
    MemoryCheckpoints,
    MemoryLiveness,
    ScriptedTranscriber,
    spoken,
)

FORMATS = ["scc", "srt", "vtt", "txt", "json"]
QUICK = JobPolicy(heartbeat_seconds=0.05, stale_after=60, retry_delay=30, database_patience=0.5)


class Station:
    """Jobs over fakes, with a clock the test can move."""

    def __init__(self, tmp_path: Path, policy: JobPolicy = QUICK) -> None:
        self.repo = InMemoryRepository()
        self.queue = ListQueue()
        self.library = FolderLibrary()
        self.transcriber = ScriptedTranscriber(
            spoken((1.0, "Good evening everyone."), (4.0, "Please call the roll.")))
        self.now = datetime(2026, 11, 3, 19, 0, tzinfo=UTC)
        self.tmp = tmp_path
        self.policy = policy
        self.repo.clock = lambda: self.now

    def jobs(self, worker: str = "host:1") -> Jobs:
        captioning = Captioning(self.transcriber, self.library, CaptionSettings())
        return Jobs(self.repo, self.queue, self.library, captioning, self.policy, worker,
                    clock=lambda: self.now)

    def recording(self, name: str = "1001-1-Council (20261103).mp4", content: bytes = b"video") -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return path


@pytest.fixture
def station(tmp_path: Path) -> Station:
    return Station(tmp_path)


def test_a_ticket_captions_the_recording_beside_it(station):
    recording = station.recording()
    submitted = station.jobs().submit(recording, city="Riverton")
    assert submitted.created and station.queue.depth() == 1
    run = station.jobs().take(station.queue.take(), FORMATS)
    assert run.outcome == "succeeded"
    job = station.repo.job(submitted.job.id)
    assert job.state is JobState.SUCCEEDED and job.progress == 1.0 and job.attempts == 1
    assert sorted(p.name for p in run.outputs) == sorted(
        f"1001-1-Council (20261103){ext}"
        for ext in (".scc", ".srt", ".vtt", ".txt", ".json", ".report.json"))
    assert "Good evening" in sidecar_path(recording, "srt").read_text()
    assert station.repo.transcript(job.recording_id).text.startswith("Good evening")
    assert station.repo.recording(job.recording_id).duration is not None


def test_a_british_spelling_the_model_wrote_is_stored_and_captioned_american(station):
    """tiny.en writes "All those in favour" (live replays: 2-3 times in 4 minutes of a
    council meeting); the station's viewers, its search and its corpus read American."""
    station.transcriber.transcript = spoken((1.0, "All those in favour?"),
                                            (4.0, "The harbour centre's licence, Harbour Grace."))
    recording = station.recording()
    captioning = Captioning(station.transcriber, station.library, CaptionSettings(),
                            vocabulary=["Harbour Grace"])
    jobs = Jobs(station.repo, station.queue, station.library, captioning, station.policy,
                "host:1", clock=lambda: station.now)
    job = jobs.submit(recording, city="Riverton").job
    assert jobs.take(station.queue.take(), FORMATS).outcome == "succeeded"
    stored = station.repo.transcript(job.recording_id)
    assert stored.text == ("All those in favor? The harbor center's license, Harbour Grace.")
    assert [w.word for w in stored.words][:4] == [" All", " those", " in", " favor?"]
    for fmt in ("srt", "vtt", "txt", "json"):
        written = sidecar_path(recording, fmt).read_text()
        assert "favor?" in written and "favour" not in written, fmt
        assert "Harbour Grace" in written and "harbour centre" not in written, fmt
    shown = " ".join(line for seen in pycaption_decode(sidecar_path(recording, "scc").read_text())
                     for line in seen.lines)
    assert "favor?" in shown and "favour" not in shown


def test_a_station_that_spells_as_heard_keeps_the_models_spelling(station):
    station.transcriber.transcript = spoken((1.0, "All those in favour?"))
    recording = station.recording()
    captioning = Captioning(station.transcriber, station.library, CaptionSettings(),
                            spelling="as_heard")
    jobs = Jobs(station.repo, station.queue, station.library, captioning, station.policy,
                "host:1", clock=lambda: station.now)
    job = jobs.submit(recording).job
    jobs.take(station.queue.take(), FORMATS)
    assert station.repo.transcript(job.recording_id).text == "All those in favour?"
    assert "favour?" in sidecar_path(recording, "srt").read_text()


def test_a_ticket_delivered_twice_runs_the_job_once(station):
    station.jobs().submit(station.recording())
    ticket = station.queue.take()
    assert station.jobs().take(ticket, FORMATS).outcome == "succeeded"
    assert station.jobs().take(ticket, FORMATS).outcome == "idle"
    assert len(station.transcriber.calls) == 1


def test_the_same_content_again_returns_the_queued_job(station):
    first = station.jobs().submit(station.recording())
    copy = station.recording("copy/1001-1-Council (20261103).mp4")
    again = station.jobs().submit(copy)
    assert not again.created and again.job.id == first.job.id
    assert "already queued" in again.note and station.queue.depth() == 1


def test_a_copy_of_done_content_gets_sidecars_beside_it_without_the_model(station):
    station.jobs().submit(station.recording())
    station.jobs().take(station.queue.take(), FORMATS)
    copy = station.recording("elsewhere/renamed.mp4")
    reused = station.jobs().submit(copy, formats=FORMATS)
    assert reused.reused and not reused.created
    assert sidecar_path(copy, "scc").read_text().startswith("Scenarist_SCC V1.0")
    assert len(station.transcriber.calls) == 1


def test_a_job_captions_the_file_it_was_queued_for_not_the_first_path_seen(station):
    first = station.recording("a/meeting.mp4")
    station.jobs().caption_here(first, FORMATS)
    copy = station.recording("b/meeting copy.mp4")
    station.jobs().submit(copy, force=True)
    station.jobs().take(station.queue.take(), FORMATS)
    assert sidecar_path(copy, "scc").exists()


def test_caption_here_on_a_copy_of_queued_content_captions_this_file_and_then_the_copy(station):
    queued = station.recording("a/meeting.mp4")
    station.jobs().submit(queued)          # a scan queued it; no worker has taken it yet
    here = station.recording("b/meeting copy.mp4")
    out = station.tmp / "captions"
    run = station.jobs().caption_here(here, FORMATS, out_dir=out)
    assert run.outcome == "succeeded"
    assert all(p.parent == out and p.name.startswith("meeting copy") for p in run.outputs)
    # The file the scan queued gets its own captions, from the stored transcript.
    assert sidecar_path(queued, "scc").exists()
    assert len(station.transcriber.calls) == 1


def test_caption_this_now_overtakes_the_backlog(station):
    jobs = station.jobs()
    backlog = [jobs.submit(station.recording(f"old-{i}.mp4", bytes([i]))).job for i in range(3)]
    urgent = jobs.submit(station.recording("tonight.mp4", b"tonight"), priority=Priority.NOW).job
    # The first ticket in the broker names an old job; the worker takes the urgent one.
    run = jobs.take(station.queue.take(), FORMATS)
    assert run.job.id == urgent.id
    # The remaining tickets still get every old job done, newest first.
    order = [jobs.take(station.queue.take(), FORMATS).job.id for _ in range(3)]
    assert sorted(order) == sorted(j.id for j in backlog)
    assert station.queue.depth() == 0
    assert all(station.repo.job(j.id).state is JobState.SUCCEEDED for j in backlog)


def test_a_corrupt_file_fails_its_own_job_with_a_message(station):
    bad = station.recording("corrupt.mp4", b"garbage")
    job = station.jobs().submit(bad).job
    run = station.jobs().take(station.queue.take(), FORMATS)
    assert run.outcome == "failed"
    failed = station.repo.job(job.id)
    assert failed.state is JobState.FAILED
    assert "not a media file" in failed.error and str(bad) in failed.error
    assert not list(station.tmp.glob("corrupt.s*"))


def test_a_missing_file_is_a_clear_error(station):
    with pytest.raises(MediaError, match="no such file"):
        station.jobs().submit(station.tmp / "nope.mp4")


def test_a_bug_fails_the_job_instead_of_leaving_it_running(station):
    def broken(media, on_progress, cancelled, vocabulary=(), model=""):
        raise ZeroDivisionError("division by zero")
    station.transcriber.transcribe = broken
    job = station.jobs().submit(station.recording()).job
    station.jobs().take(station.queue.take(), FORMATS)
    failed = station.repo.job(job.id)
    assert failed.state is JobState.FAILED and "internal error: ZeroDivisionError" in failed.error


def test_a_stop_wrapped_by_the_code_it_landed_in_cancels_the_job_not_fails_it(station):
    """SIGTERM while ctranslate2's extension initialises comes out as "ImportError:
    initialization failed" raised from the stop (seen in CI): the person stopped it."""
    def loading(media, on_progress, cancelled, vocabulary=(), model=""):
        try:
            raise KeyboardInterrupt("SIGTERM")
        except KeyboardInterrupt as stop:
            raise ImportError("initialization failed") from stop
    station.transcriber.transcribe = loading
    with pytest.raises(RunStopped, match="SIGTERM") as stopped:
        station.jobs().caption_here(station.recording(), FORMATS)
    assert stopped.value.job_now == "its job is marked cancelled"
    (job,) = station.repo.jobs()
    assert job.state is JobState.CANCELLED and job.error == "interrupted (SIGTERM)"


def test_a_worker_stopped_in_the_foreground_hands_its_job_back(station):
    """A worker's job was queued by a scan or a person: stopping the worker is no reason to
    drop it; it goes back to the queue, its attempt not counted."""
    def stopped_mid_decode(media, on_progress, cancelled, vocabulary=(), model=""):
        raise KeyboardInterrupt()
    station.transcriber.transcribe = stopped_mid_decode
    job = station.jobs().submit(station.recording()).job
    with pytest.raises(RunStopped) as stopped:
        station.jobs().take(station.queue.take(), FORMATS)
    assert stopped.value.job_now == "its job is back in the queue for a worker"
    back = station.repo.job(job.id)
    assert back.state is JobState.QUEUED and back.attempts == 0
    assert "handed back: interrupted (Ctrl-C)" in back.notes[-1]
    assert station.queue.tickets[-1][0] == job.id


def test_a_storage_blink_requeues_the_job_with_a_delay_not_a_failure(station):
    def blink(media, on_progress, cancelled, vocabulary=(), model=""):
        raise GatewayUnavailable("library", "stale file handle")
    station.transcriber.transcribe = blink
    job = station.jobs().submit(station.recording()).job
    run = station.jobs().take(station.queue.take(), FORMATS)
    assert run.outcome == "requeued" and run.retry_in == 30
    back = station.repo.job(job.id)
    assert back.state is JobState.QUEUED and "stale file handle" in back.error
    assert back.retry_at == station.now + timedelta(seconds=30)
    assert station.queue.tickets == [(job.id, Priority.NORMAL, 30.0)]


def test_a_storage_failure_writing_into_out_fails_the_command_not_queued_for_a_worker(station):
    """`transcribe --out` onto a full disk: a worker would write beside the recording, not
    into the folder the person gave, and a CLI-only station has no worker to take it."""
    def full(media, on_progress, cancelled, vocabulary=(), model=""):
        raise GatewayUnavailable("library", "No space left on device")
    station.transcriber.transcribe = full
    out = station.tmp / "captions"
    run = station.jobs().caption_here(station.recording(), FORMATS, out_dir=out)
    assert run.outcome == "failed" and station.queue.tickets == []
    failed = station.repo.job(run.job.id)
    assert failed.state is JobState.FAILED and "No space left on device" in failed.error
    assert str(out) in failed.error and "run the command again" in failed.error


def test_transient_failures_give_up_after_max_attempts(station):
    def blink(media, on_progress, cancelled, vocabulary=(), model=""):
        raise GatewayUnavailable("library", "stale file handle")
    station.transcriber.transcribe = blink
    job = station.jobs().submit(station.recording()).job
    outcomes = []
    for _ in range(3):
        station.now += timedelta(hours=1)
        outcomes.append(station.jobs().take(station.queue.take(), FORMATS).outcome)
    assert outcomes == ["requeued", "requeued", "failed"]
    failed = station.repo.job(job.id)
    assert failed.state is JobState.FAILED and "gave up after 3 attempts" in failed.error


def test_cancel_from_elsewhere_stops_a_running_job_and_leaves_no_sidecar(station):
    started = threading.Event()

    def slow(media, on_progress, cancelled, vocabulary=(), model=""):
        started.set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            on_progress(0.5, 10.0)
            if cancelled():
                raise Cancelled("stopped")
            time.sleep(0.01)
        raise AssertionError("never cancelled")
    station.transcriber.transcribe = slow
    recording = station.recording()
    job = station.jobs().submit(recording).job
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault(
        "run", station.jobs().take(station.queue.take(), FORMATS)))
    worker.start()
    assert started.wait(5)
    t0 = time.monotonic()
    station.jobs("staff").cancel(job.id)
    worker.join(10)
    assert result["run"].outcome == "cancelled" and time.monotonic() - t0 < 2
    assert station.repo.job(job.id).state is JobState.CANCELLED
    assert not sidecar_path(recording, "scc").exists()


def test_a_cancel_landing_after_the_sidecars_removes_them(station):
    recording = station.recording()
    job = station.jobs().submit(recording).job
    original = station.library.write_sidecar

    def write_then_cancel(path, content):
        written = original(path, content)
        station.repo.transition(job.id, [JobState.RUNNING], JobState.CANCELLED, error="staff")
        return written
    station.library.write_sidecar = write_then_cancel
    run = station.jobs().take(station.queue.take(), FORMATS)
    assert run.outcome == "cancelled"
    assert not any(sidecar_path(recording, f).exists() for f in FORMATS)


def test_progress_saves_touch_only_progress_so_a_cancel_is_not_overwritten(station):
    job = station.jobs().submit(station.recording()).job
    claimed = station.repo.claim(job.id, "w", station.now)
    station.repo.transition(job.id, [JobState.RUNNING], JobState.CANCELLED)
    assert not station.repo.heartbeat(job.id, claimed.attempts, 0.5, 10.0)
    assert station.repo.job(job.id).state is JobState.CANCELLED


def test_cancel_and_retry_follow_the_rules(station):
    jobs = station.jobs()
    job = jobs.submit(station.recording()).job
    with pytest.raises(Conflict, match="only failed or cancelled"):
        jobs.retry(job.id)
    jobs.cancel(job.id)
    with pytest.raises(Conflict, match="not queued or running"):
        jobs.cancel(job.id)
    again = jobs.retry(job.id)
    assert again.state is JobState.QUEUED and again.attempts == 0
    assert jobs.take(station.queue.tickets[-1][0], FORMATS).outcome == "succeeded"


def test_reconcile_recovers_a_dead_workers_job_and_sends_lost_tickets(station):
    jobs = station.jobs()
    dead = jobs.submit(station.recording("a.mp4", b"a")).job
    waiting = jobs.submit(station.recording("b.mp4", b"b")).job
    station.repo.claim(dead.id, "dead-host:1", station.now)    # then the worker is killed
    station.queue.tickets.clear()                               # and the broker is flushed
    station.now += timedelta(seconds=QUICK.stale_after + 1)
    done = jobs.reconcile()
    assert done.recovered == (dead.id,) and done.tickets == 2
    assert "dead-host:1 stopped answering" in station.repo.job(dead.id).notes[-1]
    # Every job gets done exactly once from here.
    for _ in range(2):
        jobs.take(station.queue.take(), FORMATS)
    assert {station.repo.job(j.id).state for j in (dead, waiting)} == {JobState.SUCCEEDED}
    assert len(station.transcriber.calls) == 2
    assert jobs.reconcile().tickets == 0


def test_a_job_whose_worker_dies_every_time_is_failed_at_last(station):
    jobs = station.jobs()
    job = jobs.submit(station.recording()).job
    for _ in range(QUICK.max_attempts):
        station.repo.claim(job.id, "oom:1", station.now)
        station.now += timedelta(seconds=QUICK.stale_after + 1)
        jobs.reconcile()
    failed = station.repo.job(job.id)
    assert failed.state is JobState.FAILED and "gave up after 3 attempts" in failed.error


def test_a_late_worker_cannot_overwrite_a_recovered_job(station):
    jobs = station.jobs()
    job = jobs.submit(station.recording()).job
    first = station.repo.claim(job.id, "slow:1", station.now)
    station.now += timedelta(seconds=QUICK.stale_after + 1)
    second = station.repo.claim(job.id, "fresh:2", station.now)   # a stale job may be taken
    assert second.attempts == first.attempts + 1
    assert not station.repo.heartbeat(job.id, first.attempts, 0.9, 1.0)
    assert station.repo.transition(job.id, [JobState.RUNNING], JobState.FAILED,
                                   attempt=first.attempts) is None


def test_a_broker_that_is_down_leaves_the_job_queued_for_reconcile(station):
    station.queue.down = True
    submitted = station.jobs().submit(station.recording())
    assert submitted.created and "will be sent when it is back" in submitted.note
    assert station.repo.job(submitted.job.id).state is JobState.QUEUED
    station.queue.down = False
    assert station.jobs().reconcile().tickets == 1


def test_a_running_job_past_its_time_limit_fails(station):
    station.policy = JobPolicy(heartbeat_seconds=0.05, time_limit_factor=0.0, min_time_limit=0.2)

    def endless(media, on_progress, cancelled, vocabulary=(), model=""):
        while True:
            on_progress(0.5, 5.0)
            if cancelled():
                raise Cancelled("stopped")
            time.sleep(0.01)
    station.transcriber.transcribe = endless
    job = station.jobs().submit(station.recording()).job
    run = station.jobs().take(station.queue.take(), FORMATS)
    assert run.outcome == "failed"
    assert "time limit" in station.repo.job(job.id).error


def test_progress_reaches_the_caller_and_the_job(station):
    seen = []
    run = station.jobs().caption_here(station.recording(), ["srt"],
                                      on_progress=lambda f, eta: seen.append((f, eta)))
    assert run.outcome == "succeeded" and seen[-1][0] == 1.0
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_caption_here_reuses_done_content_and_force_runs_again(station):
    recording = station.recording()
    station.jobs().caption_here(recording, FORMATS)
    assert station.jobs().caption_here(recording, FORMATS).outcome == "reused"
    assert station.jobs().caption_here(recording, FORMATS, force=True).outcome == "succeeded"
    assert len(station.transcriber.calls) == 2


def test_out_dir_takes_the_files_instead(station):
    recording = station.recording()
    out = station.tmp / "captions"
    run = station.jobs().caption_here(recording, ["vtt"], out_dir=out)
    assert [p.parent for p in run.outputs] == [out, out]     # the captions and their report
    assert not sidecar_path(recording, "vtt").exists()
    # Done content asked for into another folder gets its files there too.
    again = station.jobs().caption_here(recording, ["vtt"], out_dir=station.tmp / "more")
    assert again.outcome == "reused" and again.outputs[0].parent == station.tmp / "more"


def test_a_job_is_transcribed_with_its_citys_vocabulary(station):
    station.library = FolderLibrary([City("Riverton", station.tmp, ("mp4",), ("Oyelaran", "Kessler Ave")),
                                     City("Lakeside", station.tmp / "lakeside", ("mp4",), ("Thibodeaux",))])
    recording = station.recording()
    station.jobs().caption_here(recording, FORMATS, city="Riverton")
    station.jobs().caption_here(station.recording("other.mp4", b"other"), FORMATS, city="Nowhere")
    assert station.transcriber.vocabularies == [("Oyelaran", "Kessler Ave"), ()]


def test_a_job_is_transcribed_with_its_citys_model(station):
    station.library = FolderLibrary([City("Riverton", station.tmp, ("mp4",), model="base"),
                                     City("Lakeside", station.tmp / "lakeside", ("mp4",))])
    station.jobs().caption_here(station.recording(), FORMATS, city="Riverton")
    station.jobs().caption_here(station.recording("other.mp4", b"other"), FORMATS, city="Lakeside")
    assert station.transcriber.models == ["base", ""]   # "": the station's whisper.model


def test_a_model_staff_chose_for_a_job_wins_over_its_citys(station):
    station.library = FolderLibrary([City("Riverton", station.tmp, ("mp4",), model="base")])
    recording = station.recording()
    jobs = station.jobs()
    submitted = jobs.submit(recording, city="Riverton", force=True, model="tiny.en", send=False)
    assert submitted.job.model == "tiny.en"
    jobs.run_claimed(station.repo.claim(submitted.job.id, "test:1",
                                        stale_before=submitted.job.created_at), FORMATS)
    assert station.transcriber.models == ["tiny.en"]


def publishing_jobs(station: Station, cities: tuple[str, ...]) -> Jobs:
    captioning = Captioning(station.transcriber, station.library, CaptionSettings())
    return Jobs(station.repo, station.queue, station.library, captioning, station.policy,
                "host:1", clock=lambda: station.now, publishing_cities=cities)


def test_a_job_done_in_a_publishing_city_is_sent_on_to_be_published(station):
    jobs = publishing_jobs(station, ("Riverton",))
    riverton = jobs.submit(station.recording(), city="Riverton").job
    eastfield = jobs.submit(station.recording("2002-1-Planning.mp4", b"other"), city="Eastfield").job
    for _ in range(2):
        assert jobs.take(station.queue.take(), FORMATS).outcome == "succeeded"
    assert station.queue.published_jobs == [riverton.id]
    assert eastfield.id not in station.queue.published_jobs


def test_a_queue_that_is_down_after_the_job_leaves_it_succeeded_for_the_catch_up(station):
    jobs = publishing_jobs(station, ("Riverton",))
    submitted = jobs.submit(station.recording(), city="Riverton")
    ticket = station.queue.take()
    station.queue.down = True
    assert jobs.take(ticket, FORMATS).outcome == "succeeded"
    assert station.repo.job(submitted.job.id).state is JobState.SUCCEEDED
    assert station.queue.published_jobs == []


def live_jobs(station: Station, liveness: MemoryLiveness, worker: str = "host:1") -> Jobs:
    captioning = Captioning(station.transcriber, station.library, CaptionSettings())
    return Jobs(station.repo, station.queue, station.library, captioning, station.policy,
                worker, clock=lambda: station.now, liveness=liveness)


def test_a_worker_silent_only_in_the_database_keeps_its_job(station):
    liveness = MemoryLiveness()
    jobs = live_jobs(station, liveness, "fresh:2")
    job = jobs.submit(station.recording()).job
    cut_off = station.repo.claim(job.id, "cut-off:1", station.now)
    liveness.beat(job.id, cut_off.attempts, "cut-off:1", 60)    # beats beside the queue
    station.now += timedelta(seconds=QUICK.stale_after + 1)      # while the database was away
    assert jobs.reconcile().recovered == ()
    assert jobs.take(job.id, FORMATS).outcome == "idle"          # nor taken over by a ticket
    kept = station.repo.job(job.id)
    assert (kept.state, kept.worker, kept.attempts) == (JobState.RUNNING, "cut-off:1", 1)
    liveness.forget(job.id)                                      # the worker really died
    assert jobs.reconcile().recovered == (job.id,)


def test_a_job_beats_beside_the_queue_while_it_runs_and_forgets_when_saved(station):
    liveness = MemoryLiveness()
    seen: list[tuple[int, str] | None] = []
    jobs = live_jobs(station, liveness)
    job = jobs.submit(station.recording()).job
    station.transcriber.during = lambda: seen.append(liveness.beats.get(job.id))
    assert jobs.take(station.queue.take(), FORMATS).outcome == "succeeded"
    assert (1, "host:1") in seen and job.id not in liveness.beats


def test_a_late_save_after_the_reconciler_requeued_the_job_is_kept(station):
    jobs = station.jobs()
    job = jobs.submit(station.recording()).job
    ticket = station.queue.take()
    # The reconciler re-queues the job while the worker transcribes cut off from the database.
    station.transcriber.during = lambda: station.repo.transition(
        job.id, [JobState.RUNNING], JobState.QUEUED, attempt=1)
    run = jobs.take(ticket, FORMATS)
    done = station.repo.job(job.id)
    assert run.outcome == "succeeded" and (done.state, done.attempts) == (JobState.SUCCEEDED, 1)
    assert len(station.transcriber.calls) == 1


def test_an_interrupted_transcription_goes_on_from_its_checkpoint(station):
    checkpoints = MemoryCheckpoints()
    captioning = Captioning(station.transcriber, station.library, CaptionSettings())
    policy = JobPolicy(heartbeat_seconds=0.05, retry_delay=0, checkpoint_every=0.1)
    jobs = Jobs(station.repo, station.queue, station.library, captioning, policy, "host:1",
                clock=lambda: station.now, checkpoints=checkpoints)
    job = jobs.submit(station.recording()).job
    station.transcriber.fail_after = 1           # the mount goes away after one segment
    assert jobs.take(station.queue.take(), FORMATS).outcome == "requeued"
    assert len(checkpoints.kept[job.recording_id]) == 1
    assert jobs.take(station.queue.take(), FORMATS).outcome == "succeeded"
    assert station.transcriber.resumed_from == [1]   # the second attempt went on after it
    assert job.recording_id not in checkpoints.kept   # done: nothing left to resume
    assert station.repo.transcript(job.recording_id) == station.transcriber.transcript


def test_a_failed_job_leaves_no_checkpoint_behind(station):
    checkpoints = MemoryCheckpoints()
    captioning = Captioning(station.transcriber, station.library, CaptionSettings())
    jobs = Jobs(station.repo, station.queue, station.library, captioning, QUICK, "host:1",
                clock=lambda: station.now, checkpoints=checkpoints)
    bad = jobs.submit(station.recording("2002-corrupt.mp4", b"junk")).job
    checkpoints.save(bad.recording_id, station.transcriber.transcript.segments[:1])
    assert jobs.take(station.queue.take(), FORMATS).outcome == "failed"
    assert bad.recording_id not in checkpoints.kept


def test_a_stopping_worker_hands_its_job_back_checkpointed(station):
    checkpoints = MemoryCheckpoints()
    stop = threading.Event()
    captioning = Captioning(station.transcriber, station.library, CaptionSettings())
    policy = JobPolicy(heartbeat_seconds=0.05, checkpoint_every=1000)   # no save by itself
    jobs = Jobs(station.repo, station.queue, station.library, captioning, policy, "host:1",
                clock=lambda: station.now, checkpoints=checkpoints, stopping=stop.is_set)
    job = jobs.submit(station.recording()).job
    station.transcriber.during = stop.set      # SIGTERM half-way through
    run = jobs.take(station.queue.take(), FORMATS)
    back = station.repo.job(job.id)
    assert run.outcome == "requeued" and back.state is JobState.QUEUED
    assert "handed back" in back.notes[-1] and back.attempts == 0   # a stop is not counted
    assert station.queue.tickets and station.queue.tickets[-1][0] == job.id   # sent again
    # What was decoded is saved as it hands back (not waiting for checkpoint_every).
    assert checkpoints.kept[job.recording_id] == station.transcriber.transcript.segments


@pytest.mark.parametrize("landed", ["before its job was stored", "job stored, not yet returned"])
def test_a_stop_landing_as_transcribe_stores_its_job_leaves_none_queued_without_a_ticket(
        station, monkeypatch, landed):
    """SIGTERM (or Ctrl-C) as `transcribe` stores its job, before the submission returns, so
    before the command knows the job: left queued, it would have no ticket and wait for ever
    where no worker runs. Stored already held by this run, it is cancelled as any job this
    run holds; or nothing was stored."""
    path = station.recording("meeting.mp4")
    jobs = station.jobs()
    queue_job = type(station.repo).queue_job

    def stopped(repo, *args, **kwargs):
        if landed == "job stored, not yet returned":
            queue_job(repo, *args, **kwargs)   # committed: the stop lands on the way back
        raise KeyboardInterrupt("SIGTERM")

    monkeypatch.setattr(type(station.repo), "queue_job", stopped)
    with pytest.raises(RunStopped, match="SIGTERM") as ended:
        jobs.caption_here(path, FORMATS)
    monkeypatch.undo()
    assert not station.repo.jobs(state=JobState.QUEUED) and not station.queue.tickets
    if landed == "before its job was stored":
        assert station.repo.jobs() == [] and ended.value.job_now == "no job was made for it"
    else:
        (job,) = station.repo.jobs()
        assert (job.state, job.error) == (JobState.CANCELLED, "interrupted (SIGTERM)")
        assert ended.value.job_now == "its job is marked cancelled"
    # Asked again, the file is captioned.
    assert station.jobs().caption_here(path, FORMATS).outcome == "succeeded"


def test_a_stop_as_transcribe_asks_leaves_a_same_named_process_s_job_alone(station,
                                                                           monkeypatch):
    """Another process named like this run (a pid reused, a container's pid 1 on a host's
    network) is captioning the recording when a stop lands inside this run's asking: the job
    was not made by this run (it started before the asking), so it is neither cancelled nor
    handed back."""
    path = station.recording("meeting.mp4")
    recording = station.jobs().recording_at(path)
    held, _ = station.repo.queue_job(Job(recording_id=recording.id, path=path))
    station.repo.claim(held.id, "host:1", station.now - timedelta(minutes=1))
    station.now += timedelta(minutes=1)

    def stopped(repo, *args, **kwargs):
        raise KeyboardInterrupt("SIGTERM")
    monkeypatch.setattr(type(station.repo), "queue_job", stopped)
    with pytest.raises(RunStopped) as ended:
        station.jobs("host:1").caption_here(path, FORMATS)
    now = station.repo.job(held.id)
    assert (now.state, now.worker, now.attempts) == (JobState.RUNNING, "host:1", 1)
    assert ended.value.job_now == f"its job {held.id} is running, not this run's: left as it is"


def test_a_job_running_under_the_same_name_is_another_process_s(station):
    """Another process named like this run (a pid reused, a container's pid 1 on a host's
    network) is captioning the recording: `transcribe` says so and leaves it alone, rather
    than running it a second time (a commit's lost answer is told apart by the adapter)."""
    path = station.recording("meeting.mp4")
    recording = station.jobs().recording_at(path)
    held, _ = station.repo.queue_job(Job(recording_id=recording.id, path=path))
    station.repo.claim(held.id, "host:1", station.now - timedelta(minutes=1))
    with pytest.raises(Conflict):
        station.jobs("host:1").caption_here(path, FORMATS)
    assert (station.repo.job(held.id).state, station.repo.job(held.id).attempts) == (
        JobState.RUNNING, 1)


def test_a_stop_after_the_reconciler_took_transcribes_job_back_still_cancels_it(station):
    """`transcribe`'s job queued again by the reconciler (this run's beats had lapsed), then
    Ctrl-C: the person stopped the job their run made; it is cancelled, saying why."""
    def requeued_then_stopped():
        (job,) = station.repo.jobs()
        station.repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED,
                                attempt=job.attempts)
        raise KeyboardInterrupt()
    station.transcriber.during = requeued_then_stopped
    with pytest.raises(RunStopped) as ended:
        station.jobs().caption_here(station.recording("meeting.mp4"), FORMATS)
    (job,) = station.repo.jobs()
    assert (job.state, job.error) == (JobState.CANCELLED, "interrupted (Ctrl-C)")
    assert ended.value.job_now == "its job is marked cancelled"


def test_transcribes_job_is_stored_held_by_it_never_queued(station, monkeypatch):
    """The job `transcribe` runs itself is stored running under this run, in the transaction
    that makes it: no moment in which it is queued with no ticket."""
    queue_job = type(station.repo).queue_job
    stored = []

    def seen(repo, *args, **kwargs):
        job, created = queue_job(repo, *args, **kwargs)
        stored.append(repo.job(job.id))
        return job, created

    monkeypatch.setattr(type(station.repo), "queue_job", seen)
    run = station.jobs("host:7").caption_here(station.recording("meeting.mp4"), FORMATS)
    assert run.outcome == "succeeded"
    assert [(j.state, j.worker, j.attempts) for j in stored] == [(JobState.RUNNING, "host:7", 1)]


def test_transcribes_job_is_logged_as_held_by_it_not_queued(station, caplog):
    """The log a sysadmin reads says the job `transcribe` stores went straight to that run,
    not that it waits in the queue for a worker."""
    with caplog.at_level(logging.INFO, "archivist"):
        station.jobs("host:7").caption_here(station.recording("meeting.mp4"), FORMATS)
    said = [(r.getMessage(), getattr(r, "worker", None)) for r in caplog.records
            if r.getMessage().startswith("job ") and r.getMessage() != "job started"]
    assert said[0] == ("job held", "host:7")
    assert "job queued" not in [message for message, _ in said]


def test_an_error_claiming_the_job_is_raised_as_it_is_and_leaves_the_job_queued(station, monkeypatch):
    """A database error is no stop: the job a scan queued, which `transcribe` was claiming,
    is not cancelled or handed back."""
    path = station.recording("meeting.mp4")
    queued = station.jobs().submit(path).job
    jobs = station.jobs()

    def down(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(type(station.repo), "claim", down)
    with pytest.raises(ConnectionError, match="database down"):
        jobs.caption_here(path, FORMATS)
    monkeypatch.undo()
    (job,) = station.repo.jobs()
    assert job.id == queued.id and job.state == JobState.QUEUED


def test_a_stop_as_the_job_is_stored_is_raised_even_when_the_cancel_fails(station, monkeypatch):
    path = station.recording("meeting.mp4")
    jobs = station.jobs()
    queue_job = type(station.repo).queue_job

    def stored_then_stopped(repo, *args, **kwargs):
        queue_job(repo, *args, **kwargs)
        raise KeyboardInterrupt("SIGTERM")

    def down(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(type(station.repo), "queue_job", stored_then_stopped)
    monkeypatch.setattr(type(station.repo), "transition", down)
    with pytest.raises(KeyboardInterrupt, match="SIGTERM") as ended:
        jobs.caption_here(path, FORMATS)
    assert ended.value.job_now.startswith("its job could not be marked cancelled")


@pytest.mark.parametrize("where", ["claim written, not yet returned", "claim returned"])
def test_a_stop_landing_just_after_the_claim_leaves_the_job_cancelled_not_running(
        station, monkeypatch, where):
    """Ctrl-C as the claim commits (seen in CI: the job stayed "running" with no message after
    `transcribe` had said it was marked cancelled): the job is this run's, running; it is
    cancelled, saying why, wherever the stop landed. (A job `transcribe` makes is claimed in
    the transaction that stores it.)"""
    path = station.recording("meeting.mp4")
    jobs = station.jobs()
    queue_job = type(station.repo).queue_job

    def committed_then_stopped(repo, *args, **kwargs):
        queue_job(repo, *args, **kwargs)
        raise KeyboardInterrupt()

    def stopped_before_running(*args, **kwargs):
        raise KeyboardInterrupt()

    if where == "claim written, not yet returned":
        monkeypatch.setattr(type(station.repo), "queue_job", committed_then_stopped)
    else:
        monkeypatch.setattr(type(jobs._runner), "run_claimed", stopped_before_running)
    with pytest.raises(KeyboardInterrupt):
        jobs.caption_here(path, FORMATS)
    monkeypatch.undo()
    (job,) = station.repo.jobs()
    assert (job.state, job.error) == (JobState.CANCELLED, "interrupted (Ctrl-C)")


def test_a_stop_leaves_a_scans_queued_job_for_a_worker(station, monkeypatch):
    """`transcribe` on a file a scan had queued, stopped before its claim: the scan's job keeps
    its ticket and stays queued for a worker."""
    path = station.recording("meeting.mp4")
    queued = station.jobs().submit(path).job

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt()

    monkeypatch.setattr(type(station.repo), "claim", stopped)
    with pytest.raises(KeyboardInterrupt):
        station.jobs().caption_here(path, FORMATS)
    monkeypatch.undo()
    assert station.repo.job(queued.id).state is JobState.QUEUED


def test_a_scans_job_the_command_was_running_goes_back_to_the_queue_when_stopped(station):
    """`transcribe` took the job a scan had queued and was stopped mid-decode: the station
    still wants the recording captioned (a scan never queues cancelled content again)."""
    path = station.recording("meeting.mp4")
    queued = station.jobs().submit(path).job

    def stopped_mid_decode(media, on_progress, cancelled, vocabulary=(), model=""):
        raise KeyboardInterrupt()
    station.transcriber.transcribe = stopped_mid_decode
    with pytest.raises(RunStopped) as stopped:
        station.jobs("host:2").caption_here(path, FORMATS)
    assert stopped.value.job_now == "its job is back in the queue for a worker"
    assert station.repo.job(queued.id).state is JobState.QUEUED


def test_a_stop_while_the_database_is_down_still_stops_and_says_the_job_was_not_marked(
        station, monkeypatch):
    """Ctrl-C with the database away: the run stops at once (not carrying on to the next
    file after the cancel's retries), and says the job could not be marked."""
    path = station.recording("meeting.mp4")

    def stopped_mid_decode(media, on_progress, cancelled, vocabulary=(), model=""):
        def down(*args, **kwargs):
            raise GatewayUnavailable("database", "connection refused")
        monkeypatch.setattr(type(station.repo), "transition", down)
        raise KeyboardInterrupt()
    station.transcriber.transcribe = stopped_mid_decode
    with pytest.raises(RunStopped) as stopped:
        station.jobs().caption_here(path, FORMATS)
    assert stopped.value.job_now.startswith("its job could not be marked cancelled")
    assert "connection refused" in stopped.value.job_now


def test_retry_failed_queues_each_failed_job_still_its_recordings_latest(station):
    """After the cause is fixed, one sweep: but never a job a later job of its recording replaced
    (it would supersede that job's transcript and staff's corrections on it)."""
    jobs = station.jobs()
    replaced = jobs.submit(station.recording("corrupt-a.mp4", b"garbage a")).job
    still = jobs.submit(station.recording("corrupt-b.mp4", b"garbage b")).job
    for _ in range(2):
        assert jobs.take(station.queue.take(), FORMATS).outcome == "failed"
    newer = jobs.submit(station.recording("corrupt-a.mp4", b"garbage a"), again=True).job
    assert newer.id != replaced.id
    done = jobs.retry_failed()
    assert [job.id for job in done.queued] == [still.id]
    assert done.left == [(replaced.id, f"replaced by job {newer.id} (queued)")]
    assert station.repo.job(replaced.id).state is JobState.FAILED
    assert jobs.retry_failed().queued == []


class _FillsUp(FolderLibrary):
    """A folder that is full after two files: the third write fails, as on ENOSPC."""

    def write_sidecar(self, path: Path, content: str) -> Path:
        if len(self.written) >= 2:
            raise GatewayUnavailable("library", f"{path}: No space left on device")
        return super().write_sidecar(path, content)


@pytest.mark.parametrize("how", ["caption_here", "worker"])
def test_a_folder_filling_up_mid_write_leaves_no_scc_to_say_the_recording_is_captioned(
        station, how):
    station.library = _FillsUp()
    recording = station.recording()
    out = station.tmp / "out" if how == "caption_here" else None
    jobs = station.jobs()
    if how == "caption_here":
        run = jobs.caption_here(recording, FORMATS, out_dir=out)
    else:
        jobs.submit(recording)
        run = jobs.take(station.queue.take(), FORMATS)
    assert run.outcome not in ("succeeded", "reused")
    assert len(station.library.written) == 2          # the folder really filled up part-way
    assert not sidecar_path(recording, "scc", out).exists()
