"""The Repository port's contract (domain/ports.py), run against every implementation:
the in-memory fake the unit tests use, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archivist.adapters.sql import SqlRepository
from archivist.domain.errors import Conflict, NotFound
from archivist.domain.models import Job, JobState, KnownFile, Priority, Recording, Segment, Transcript, Word
from tests.adapters.databases import quick_retry
from tests.fakes import InMemoryRepository

NOW = datetime.now(UTC)
LONG_AGO = NOW - timedelta(hours=1)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def repo(request: pytest.FixtureRequest) -> Any:
    if request.param == "memory":
        return InMemoryRepository()
    engine = request.getfixturevalue("migrated_engine")(request.param)
    return SqlRepository(engine=engine, retry=quick_retry())


def recording(repo: Any, n: int = 1) -> Recording:
    return repo.add_recording(Recording(path=Path(f"/mnt/flex-3/council-{n}.mp4"),
                                        content_hash=f"{n:064x}", size=1000 + n, city="Riverton"))


def queued(repo: Any, n: int = 1, priority: int = Priority.NORMAL) -> Job:
    rec = recording(repo, n)
    job, created = repo.queue_job(Job(recording_id=rec.id, path=rec.path, city="Riverton",
                                      priority=priority))
    assert created
    return job


def transcript() -> Transcript:
    return Transcript((Segment(0.0, 1.0, "Call to order.", (Word(0.0, 1.0, " Call to order."),)),),
                      duration=12.5, model="tiny.en")


def test_recordings_are_unique_by_content(repo):
    first = recording(repo)
    again = repo.add_recording(Recording(Path("/elsewhere.mp4"), first.content_hash, first.size))
    assert again.id == first.id and again.path == first.path
    assert repo.recording_by_hash(first.content_hash).id == first.id
    assert repo.recording(999_999) is None and repo.recording_by_hash("f" * 64) is None


def test_known_files_remember_size_mtime_and_hash(repo):
    known = KnownFile(Path("/mnt/a.mp4"), 10, 1700000000.5, "ab" * 32)
    repo.remember_file(known)
    assert repo.known_file(Path("/mnt/a.mp4")) == known
    changed = KnownFile(Path("/mnt/a.mp4"), 11, 1700000001.0, "cd" * 32)
    repo.remember_file(changed)
    assert repo.known_file(Path("/mnt/a.mp4")) == changed
    assert repo.known_file(Path("/mnt/b.mp4")) is None


def test_files_known_gives_each_listed_files_recording_and_latest_job_at_once(repo):
    first, second = queued(repo, 1), queued(repo, 2)
    for job in (first, second):
        repo.remember_file(KnownFile(job.path, 1000, 1.0,
                                     repo.recording(job.recording_id).content_hash))
    found = repo.files_known([first.path, second.path, Path("/mnt/flex-3/never-seen.mp4")])
    assert set(found) == {first.path, second.path}
    assert found[second.path][0] == second.recording_id and found[second.path][1].id == second.id
    assert found[first.path] == (first.recording_id, repo.latest_job(first.recording_id))
    assert repo.files_known([]) == {}


def test_a_recording_has_at_most_one_active_job(repo):
    job = queued(repo)
    again, created = repo.queue_job(Job(recording_id=job.recording_id, path=Path("/copy.mp4")))
    assert not created and again.id == job.id
    assert job.state is JobState.QUEUED and job.attempts == 0 and job.created_at is not None
    with pytest.raises(NotFound):
        repo.queue_job(Job(recording_id=999_999))


def test_a_job_may_be_stored_held_by_the_worker_that_runs_it(repo):
    """The CLI's own job: made running under it, its first attempt, in one transaction."""
    rec = recording(repo)
    job, created = repo.queue_job(Job(recording_id=rec.id, path=rec.path, city="Riverton"),
                                  claimed_by="cli:7")
    assert created and (job.state, job.worker, job.attempts) == (JobState.RUNNING, "cli:7", 1)
    assert job.started_at and job.heartbeat_at and job.progress == 0.0
    assert repo.next_queued(above=-1, now=NOW + timedelta(hours=1)) is None
    # The recording's one active job: asked again, it is returned as it is, not claimed again.
    again, created = repo.queue_job(Job(recording_id=rec.id, path=rec.path), claimed_by="cli:8")
    assert not created and (again.id, again.worker, again.attempts) == (job.id, "cli:7", 1)
    # ... also under the same name (a pid reused, a container's pid 1): another process's job.
    again, created = repo.queue_job(Job(recording_id=rec.id, path=rec.path), claimed_by="cli:7")
    assert not created and again.id == job.id
    assert repo.heartbeat(job.id, 1, 0.5, 10.0)


@pytest.mark.parametrize("claimed_by", ["", "cli:7"])
def test_a_job_whose_commits_answer_was_lost_is_still_the_callers_own(repo, monkeypatch,
                                                                      claimed_by):
    """The commit storing a job went through, its answer was lost, and the retry asked
    again: the job found is the one this call stored (created), so a queued job gets its
    ticket and `transcribe` runs its own job, rather than "already queued/running"."""
    if isinstance(repo, InMemoryRepository):
        pytest.skip("the fake has no commits to lose")
    rec = recording(repo)
    transaction = repo._transaction

    def answer_lost(work: Any) -> Any:
        transaction(work)              # committed; what it answered never arrived
        return transaction(work)       # the retry's attempt
    monkeypatch.setattr(repo, "_transaction", answer_lost)
    job, created = repo.queue_job(Job(recording_id=rec.id, path=rec.path), claimed_by=claimed_by)
    monkeypatch.undo()
    assert created and job.worker == (claimed_by or None)
    assert [j.id for j in repo.jobs()] == [job.id]


def test_concurrent_queueing_of_one_recording_makes_one_job(repo):
    rec = recording(repo)
    barrier = threading.Barrier(6)

    def add(_: int) -> tuple[int, bool]:
        barrier.wait()
        job, created = repo.queue_job(Job(recording_id=rec.id, path=rec.path))
        return job.id, created
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(add, range(6)))
    assert len({job_id for job_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1


def test_claim_takes_a_queued_job_once(repo):
    job = queued(repo)
    claimed = repo.claim(job.id, "w1:1", LONG_AGO)
    assert claimed.state is JobState.RUNNING and claimed.attempts == 1
    assert claimed.worker == "w1:1" and claimed.started_at and claimed.heartbeat_at
    assert repo.claim(job.id, "w2:2", LONG_AGO) is None
    assert repo.claim(999_999, "w2:2", LONG_AGO) is None


def test_concurrent_claims_have_one_winner(repo):
    job = queued(repo)
    barrier = threading.Barrier(6)

    def claim(n: int) -> Job | None:
        barrier.wait()
        return repo.claim(job.id, f"w{n}", LONG_AGO)
    with ThreadPoolExecutor(6) as pool:
        won = [c for c in pool.map(claim, range(6)) if c is not None]
    assert len(won) == 1 and repo.job(job.id).attempts == 1


def test_a_running_job_with_a_stale_heartbeat_may_be_claimed_again(repo):
    job = queued(repo)
    first = repo.claim(job.id, "dead:1", LONG_AGO)
    assert repo.claim(job.id, "w2:2", first.heartbeat_at - timedelta(seconds=1)) is None
    second = repo.claim(job.id, "w2:2", first.heartbeat_at + timedelta(seconds=1))
    assert second.attempts == 2 and second.worker == "w2:2"
    assert not repo.heartbeat(job.id, 1, 0.5, 10.0)
    assert repo.heartbeat(job.id, 2, 0.5, 10.0)
    found = repo.job(job.id)
    assert (found.progress, found.eta_seconds) == (0.5, 10.0)


def test_transitions_are_compare_and_set(repo):
    job = queued(repo)
    assert repo.transition(job.id, [JobState.RUNNING], JobState.SUCCEEDED) is None
    cancelled = repo.transition(job.id, [JobState.QUEUED, JobState.RUNNING], JobState.CANCELLED,
                                error="cancelled by staff")
    assert cancelled.state is JobState.CANCELLED and cancelled.finished_at is not None
    assert cancelled.error == "cancelled by staff"
    with pytest.raises(ValueError):
        repo.transition(job.id, [JobState.SUCCEEDED], JobState.RUNNING)
    back = repo.transition(job.id, [JobState.CANCELLED], JobState.QUEUED, reset_attempts=True)
    assert back.state is JobState.QUEUED and back.finished_at is None and back.attempts == 0


def test_a_transition_names_the_attempt_that_holds_the_job(repo):
    job = queued(repo)
    claimed = repo.claim(job.id, "w", LONG_AGO)
    assert repo.transition(job.id, [JobState.RUNNING], JobState.FAILED, attempt=7) is None
    failed = repo.transition(job.id, [JobState.RUNNING], JobState.FAILED,
                             attempt=claimed.attempts, error="no audio", notes=["a note"])
    assert failed.state is JobState.FAILED and failed.error == "no audio"
    assert failed.notes == ["a note"]


def test_requeueing_cannot_make_a_second_active_job(repo):
    job = queued(repo)
    repo.transition(job.id, [JobState.QUEUED], JobState.FAILED)
    _newer, created = repo.queue_job(Job(recording_id=job.recording_id, path=job.path))
    assert created
    with pytest.raises(Conflict):
        repo.transition(job.id, [JobState.FAILED], JobState.QUEUED)


def test_succeed_keeps_the_transcript_with_the_job_in_one_step(repo):
    job = queued(repo)
    claimed = repo.claim(job.id, "w", LONG_AGO)
    assert repo.succeed(job.id, claimed.attempts + 1, transcript(), [], []) is None
    assert repo.transcript(job.recording_id) is None and not repo.has_transcript(job.recording_id)
    done = repo.succeed(job.id, claimed.attempts, transcript(), ["quiet audio"], ["/a.scc"])
    assert done.state is JobState.SUCCEEDED and done.progress == 1.0
    assert done.notes == ["quiet audio"] and done.outputs == ["/a.scc"]
    assert repo.transcript(job.recording_id) == transcript()
    assert repo.has_transcript(job.recording_id) is True
    assert repo.recording(job.recording_id).duration == 12.5
    assert repo.latest_job(job.recording_id).id == job.id


def test_a_late_save_is_accepted_until_another_worker_claims_the_job(repo):
    job = queued(repo)
    cut_off = repo.claim(job.id, "w1", LONG_AGO)
    # The reconciler took the worker's silence (a database outage) for death.
    assert repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED, attempt=cut_off.attempts)
    assert repo.heartbeat(job.id, cut_off.attempts, 0.9, 5.0)
    assert repo.job(job.id).state is JobState.RUNNING        # still this attempt's
    repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED, attempt=cut_off.attempts)
    done = repo.succeed(job.id, cut_off.attempts, transcript(), [], ["/a.scc"])
    assert done.state is JobState.SUCCEEDED and done.attempts == 1


def test_a_handed_back_attempt_is_not_counted(repo):
    job = queued(repo)
    claimed = repo.claim(job.id, "w1", LONG_AGO)
    back = repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED,
                           attempt=claimed.attempts, uncount=True)
    assert back.state is JobState.QUEUED and back.attempts == 0
    assert repo.claim(job.id, "w2", LONG_AGO).attempts == 1


def test_a_late_save_is_refused_once_another_worker_claimed_the_job(repo):
    job = queued(repo)
    cut_off = repo.claim(job.id, "w1", LONG_AGO)
    repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED, attempt=cut_off.attempts)
    taken = repo.claim(job.id, "w2", LONG_AGO)
    assert taken.attempts == 2
    assert not repo.heartbeat(job.id, cut_off.attempts, 0.9, 5.0)
    assert repo.succeed(job.id, cut_off.attempts, transcript(), [], []) is None
    assert repo.job(job.id).worker == "w2" and repo.transcript(job.recording_id) is None


def test_the_next_queued_job_is_the_most_urgent_then_the_newest(repo):
    old = queued(repo, 1)
    new = queued(repo, 2)
    urgent = queued(repo, 3, priority=Priority.NOW)
    later = datetime.now(UTC) + timedelta(seconds=5)
    assert repo.next_queued(-1, later).id == urgent.id
    assert repo.next_queued(Priority.NOW, later) is None
    repo.claim(urgent.id, "w", LONG_AGO)
    assert repo.next_queued(-1, later).id == new.id
    assert repo.next_queued(Priority.NORMAL, later) is None
    count, first = repo.due_jobs(later, limit=1)
    assert count == 2 and [j.id for j in first] == [new.id]
    assert old.id in [j.id for j in repo.due_jobs(later, limit=5)[1]]


def test_a_job_waiting_to_retry_is_not_due_before_its_time(repo):
    job = queued(repo)
    claimed = repo.claim(job.id, "w", LONG_AGO)
    soon = datetime.now(UTC) + timedelta(seconds=30)
    back = repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED, attempt=claimed.attempts,
                           error="storage blinked", retry_at=soon)
    assert back.retry_at == soon and back.attempts == 1
    assert repo.next_queued(-1, datetime.now(UTC)) is None
    assert repo.due_jobs(datetime.now(UTC), 10)[0] == 0
    assert repo.next_queued(-1, soon + timedelta(seconds=1)).id == job.id
    assert repo.claim(job.id, "w", LONG_AGO).retry_at is None   # a ticket that came early


def test_stale_jobs_are_running_jobs_not_heard_from(repo):
    job = queued(repo)
    queued(repo, 2)
    claimed = repo.claim(job.id, "w", LONG_AGO)
    assert repo.stale_jobs(claimed.heartbeat_at - timedelta(seconds=1)) == []
    assert [j.id for j in repo.stale_jobs(claimed.heartbeat_at + timedelta(seconds=1))] == [job.id]


def test_jobs_list_filters_and_pages_newest_first(repo):
    jobs = [queued(repo, n) for n in range(1, 5)]
    repo.transition(jobs[1].id, [JobState.QUEUED], JobState.CANCELLED)
    assert [j.id for j in repo.jobs(limit=2)] == [jobs[3].id, jobs[2].id]
    assert [j.id for j in repo.jobs(limit=2, offset=2)] == [jobs[1].id, jobs[0].id]
    assert [j.id for j in repo.jobs(state=JobState.CANCELLED)] == [jobs[1].id]
    assert repo.jobs(city="Elsewhere") == [] and len(repo.jobs(city="Riverton")) == 4
    assert repo.count_jobs(JobState.QUEUED) == 3
    assert repo.job(999_999) is None


def test_jobs_are_counted_by_state_and_city_with_the_oldest_of_each(repo):
    jobs = [queued(repo, n) for n in range(3)]
    repo.transition(jobs[0].id, [JobState.QUEUED], JobState.CANCELLED)
    counts = {(c.state, c.city): c for c in repo.job_counts()}
    assert {k: c.jobs for k, c in counts.items()} == {
        (JobState.QUEUED, "Riverton"): 2, (JobState.CANCELLED, "Riverton"): 1}
    oldest = counts[(JobState.QUEUED, "Riverton")].oldest
    assert oldest == min(repo.job(j.id).created_at for j in jobs[1:])
    assert oldest.tzinfo is not None


def test_priority_can_change(repo):
    job = queued(repo)
    assert repo.set_priority(job.id, Priority.NOW).priority == Priority.NOW
    assert repo.set_priority(999_999, 1) is None


def test_a_job_round_trips_every_field(repo):
    job = queued(repo)
    found = repo.job(job.id)
    assert found == job
    assert found.path == Path("/mnt/flex-3/council-1.mp4") and found.city == "Riverton"


def test_unknown_ids(repo):
    assert repo.latest_job(999_999) is None and repo.transcript(999_999) is None
    assert repo.has_transcript(999_999) is False
    with pytest.raises(NotFound):
        repo.save_transcript(999_999, 999_999, transcript())


def test_a_publication_round_trips_and_keeps_the_chosen_show(repo):
    from archivist.domain.models import Publication, PublicationState
    from archivist.domain.publishing.vod import Chapter

    job = queued(repo)
    assert repo.publication(job.recording_id) is None
    published = Publication(media=str(job.path), state=PublicationState.PUBLISHED, show_id=1001,
                            link_reason="file name names show 1001", vod_id=7, sidecar="beside",
                            sidecar_ref="/mnt/a.scc", chapters=(Chapter(0, "Call to order", id=3),),
                            notes=("a note",), at=NOW)
    repo.save_publication(job.recording_id, published, chosen_show_id=1001)
    assert repo.publication(job.recording_id) == (published, 1001)
    failed = Publication(media=str(job.path), state=PublicationState.FAILED, error="timeout", at=NOW)
    repo.save_publication(job.recording_id, failed)
    assert repo.publication(job.recording_id) == (failed, None)


def test_publications_due_are_done_recordings_not_yet_published_well(repo):
    from archivist.domain.models import Publication, PublicationState

    done = [queued(repo, n) for n in (1, 2, 3)]
    for job in done:
        claimed = repo.claim(job.id, "w", LONG_AGO)
        repo.succeed(job.id, claimed.attempts, transcript(), [], [])
    queued(repo, 4)   # not captioned yet: nothing to publish
    repo.save_publication(done[0].recording_id,
                          Publication(media="a", state=PublicationState.PUBLISHED, at=NOW))
    repo.save_publication(done[1].recording_id,
                          Publication(media="b", state=PublicationState.FAILED, at=NOW))
    due = repo.publications_due(["Riverton"], limit=10)
    assert [j.id for j in due] == [done[2].id, done[1].id]
    assert repo.publications_due(["Elsewhere"], limit=10) == []
    assert repo.publications_due([], limit=10) == []


def test_claim_next_takes_the_most_urgent_due_job_newest_first(repo):
    old, mine, newer = queued(repo, 1), queued(repo, 2), queued(repo, 3)
    claim = repo.claim_next(mine.id, "w", LONG_AGO, datetime.now(UTC))
    assert claim.job.id == newer.id and claim.taken_from is None and claim.job.attempts == 1
    urgent = queued(repo, 4, priority=Priority.NOW)
    assert repo.claim_next(old.id, "w", LONG_AGO, datetime.now(UTC)).job.id == urgent.id
    assert repo.claim_next(old.id, "w", LONG_AGO, datetime.now(UTC)).job.id == mine.id
    assert repo.claim_next(mine.id, "w", LONG_AGO, datetime.now(UTC)).job.id == old.id
    assert repo.claim_next(mine.id, "w", LONG_AGO, datetime.now(UTC)) is None


def test_claim_next_takes_a_silent_workers_job_and_says_whose(repo):
    job = queued(repo)
    first = repo.claim(job.id, "dead:1", LONG_AGO)
    assert repo.claim_next(job.id, "w2", first.heartbeat_at - timedelta(seconds=1),
                           datetime.now(UTC)) is None
    claim = repo.claim_next(job.id, "w2", first.heartbeat_at + timedelta(seconds=1),
                            datetime.now(UTC))
    assert claim.job.attempts == 2 and claim.taken_from == "dead:1"


def test_a_ticket_runs_its_own_delayed_job_but_no_other_before_its_time(repo):
    mine, other = queued(repo, 1), queued(repo, 2)
    soon = datetime.now(UTC) + timedelta(seconds=30)
    for job in (mine, other):
        claimed = repo.claim(job.id, "w", LONG_AGO)
        repo.transition(job.id, [JobState.RUNNING], JobState.QUEUED, attempt=claimed.attempts,
                        retry_at=soon)
    assert repo.claim_next(mine.id, "w", LONG_AGO, datetime.now(UTC)).job.id == mine.id
    assert repo.claim_next(mine.id, "w", LONG_AGO, datetime.now(UTC)) is None


def test_concurrent_tickets_claim_each_job_once(repo):
    jobs = [queued(repo, n) for n in range(1, 7)]
    barrier = threading.Barrier(6)

    def take(n: int) -> list[int]:
        barrier.wait()
        got: list[int] = []
        for _ in range(50):   # a lost race answers None; the worker's loop asks again
            claim = repo.claim_next(jobs[n].id, f"w{n}", LONG_AGO, datetime.now(UTC))
            if claim is not None:
                got.append(claim.job.id)
            elif repo.next_queued(-1, datetime.now(UTC)) is None:
                break
        return got
    with ThreadPoolExecutor(6) as pool:
        taken = [j for got in pool.map(take, range(6)) for j in got]
    assert sorted(taken) == sorted(j.id for j in jobs)
