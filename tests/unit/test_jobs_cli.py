"""`archivist jobs` at the command line, as an operator types it: a city misspelt, a job id
no database could hold, the same job named twice."""

from __future__ import annotations

from typing import Any

import pytest

from archivist.domain.models import JobState


@pytest.fixture
def station(one_city) -> Any:
    """A station with a city whose two recordings failed (bad media, say)."""
    repo = one_city.container.repository()
    failed = [repo.transition(one_city.queued(name).id, [JobState.QUEUED], JobState.FAILED,
                              error="not a media file").id for name in ("a.mp4", "b.mp4")]

    def run(*args: str) -> Any:
        return one_city.cli("jobs", *args)
    run.failed = failed
    return run


def test_a_city_is_the_same_city_in_any_case_and_a_misspelt_one_is_refused(station):
    """`--city riverton` found jobs with `live start riverton` but not with `jobs`: 'no jobs'
    (exit 0) from `jobs list`, a refusal from `jobs retry --failed`, while Riverton has two."""
    listed = station("list", "--city", "riverton")
    assert listed.exit_code == 0, listed.output
    assert len(listed.output.splitlines()) == 2 and "Riverton" in listed.output
    result = station("retry", "--failed", "--city", "RIVERTON")
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == [f"job {i} queued again" for i in station.failed]
    for args in (("list", "--city", "Rivertn"), ("retry", "--failed", "--city", "Rivertn")):
        result = station(*args)
        assert result.exit_code == 2, result.output
        assert "unknown city 'Rivertn'; did you mean Riverton? cities: Riverton" in result.output


def test_a_job_id_past_what_the_database_holds_is_one_line_not_a_traceback(station):
    for typed in (str(2**64), str(-2**64), "0"):
        for args in (("show", "--", typed), ("cancel", "--", typed), ("retry", "--", typed),
                     ("prioritize", "--now", "--", typed)):
            result = station(*args)
            assert result.exit_code in (1, 2), (args, result.output)
            assert not isinstance(result.exception, OverflowError), args
            assert "Traceback" not in result.output and typed in result.output, result.output


def test_a_job_named_twice_is_retried_once(station):
    job = str(station.failed[0])
    result = station("retry", job, job)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"job {job} queued again"]


def test_a_job_that_failed_part_way_shows_no_time_left(one_city):
    """`jobs show` of a job that failed at 10 % still said `eta_seconds: 65.3`: a finished job
    has no time left, in the text and in --json (the API's JSON is the same summary)."""
    import json

    repo = one_city.container.repository()
    job = one_city.queued("a.mp4")
    running = repo.claim(job.id, "host:1", stale_before=job.created_at)
    assert repo.heartbeat(job.id, running.attempts, 0.1, 65.3)
    repo.transition(job.id, [JobState.RUNNING], JobState.FAILED, error="the mount went away")

    def show(*extra: str) -> str:
        result = one_city.cli("jobs", "show", str(job.id), *extra)
        assert result.exit_code == 0, result.output
        return result.output
    assert "eta" not in show() and "failed" in show()
    assert json.loads(show("--json"))["eta_seconds"] is None
