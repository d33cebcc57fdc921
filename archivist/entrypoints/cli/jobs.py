"""`archivist jobs`: see and steer the captioning jobs."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from archivist.domain.errors import ArchivistError
from archivist.domain.models import JobState, Priority
from archivist.entrypoints.cli.app import Context, _fail, cli, typed_city
from archivist.entrypoints.cli.review import record

STATES = [str(s) for s in JobState]
# A job id no database holds (SQLite's integers are 64-bit): one line, not a traceback.
JOB_ID = click.IntRange(min=1, max=2**63 - 1)


@cli.group()
def jobs() -> None:
    """List, cancel, retry and prioritise captioning jobs."""


def _service(obj: Context) -> Any:
    try:
        return obj.container.jobs()
    except ArchivistError as exc:
        _fail(str(exc), 1)


def _act(action: Any) -> Any:
    try:
        return action()
    except ArchivistError as exc:
        _fail(str(exc), 1)


@jobs.command("list")
@click.option("--state", type=click.Choice(STATES), help="Only jobs in this state.")
@click.option("--city", help="Only jobs of this city.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--json", "as_json", is_flag=True, help="Print the jobs as a JSON list.")
@click.pass_obj
def jobs_list(obj: Context, state: str | None, city: str | None, limit: int, offset: int,
              as_json: bool) -> None:
    """Jobs, newest first."""
    from archivist.entrypoints.presenters import job_summary

    city = typed_city(obj, city) if city is not None else None
    repo = _act(obj.container.repository)
    found = _act(lambda: repo.jobs(state=JobState(state) if state else None, city=city,
                                   limit=limit, offset=offset))
    if as_json:
        click.echo(json.dumps([job_summary(j) for j in found], indent=1))
        return
    for job in found:
        progress = f"{job.progress * 100:3.0f}%" if job.state is JobState.RUNNING else "    "
        why = f"  {job.error}" if job.error and job.state is not JobState.SUCCEEDED else ""
        click.echo(f"{job.id:>6}  {job.state:<9} {progress}  {job.city or '-':<12} "
                   f"{job.path}{why}")
    if not found:
        click.echo("no jobs" + (f" {state}" if state else ""))


@jobs.command("show")
@click.argument("job_id", type=JOB_ID)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def jobs_show(obj: Context, job_id: int, as_json: bool) -> None:
    """Everything about one job."""
    from archivist.entrypoints.presenters import job_summary

    job = _act(lambda: obj.container.repository().job(job_id))
    if job is None:
        _fail(f"job {job_id} does not exist", 1)
    summary = job_summary(job)
    if as_json:
        click.echo(json.dumps(summary, indent=1))
        return
    for key, value in summary.items():
        if value not in (None, [], ""):
            click.echo(f"{key:>13}: {value}")


@jobs.command("cancel")
@click.argument("job_id", type=JOB_ID)
@click.pass_obj
def jobs_cancel(obj: Context, job_id: int) -> None:
    """Cancel a queued or running job (a running one stops within seconds)."""
    job = _act(lambda: _service(obj).cancel(job_id))
    record(obj, "job.cancel", f"job:{job.id}")
    click.echo(f"job {job.id} cancelled")


@jobs.command("retry")
@click.argument("job_ids", type=JOB_ID, nargs=-1)
@click.option("--failed", "all_failed", is_flag=True,
              help="Every failed job (of --city) still its recording's latest: after fixing what "
                   "failed them, e.g. a model name.")
@click.option("--city", help="With --failed: only this city's jobs.")
@click.pass_obj
def jobs_retry(obj: Context, job_ids: tuple[int, ...], all_failed: bool, city: str | None) -> None:
    """Queue failed or cancelled jobs again: JOB_ID..., or --failed [--city CITY]."""
    if bool(job_ids) == all_failed:
        _fail("say which jobs: JOB_ID ... or --failed", 2)
    if city and not all_failed:
        _fail("--city goes with --failed", 2)
    if city:   # a typo would say "no failed jobs" of a city that has some
        city = typed_city(obj, city)
    service = _service(obj)
    if all_failed:
        done = _act(lambda: service.retry_failed(city))
        queued, left = [job.id for job in done.queued], done.left
        if not queued and not left:
            click.echo("no failed jobs" + (f" of {city}" if city else ""))
    else:
        queued, left = [], []
        for job_id in dict.fromkeys(job_ids):   # a job named twice is retried once
            try:
                queued.append(service.retry(job_id).id)
            except ArchivistError as exc:
                left.append((job_id, str(exc)))
    for job_id in queued:
        record(obj, "job.retry", f"job:{job_id}")
        click.echo(f"job {job_id} queued again")
    for job_id, why in left:
        click.echo(f"job {job_id} left: {why}", err=True)
    if left:
        sys.exit(1)


@jobs.command("prioritize")
@click.argument("job_id", type=JOB_ID)
@click.option("--now", "urgent", is_flag=True, help="Caption this next (priority 9).")
@click.option("--priority", type=click.IntRange(0, 9), help="0 (last) to 9 (first); 5 is normal.")
@click.pass_obj
def jobs_prioritize(obj: Context, job_id: int, urgent: bool, priority: int | None) -> None:
    """Move a job up or down the queue."""
    if priority is None and not urgent:
        _fail("say --now or --priority N", 2)
    chosen = Priority.NOW if urgent else priority
    job = _act(lambda: _service(obj).prioritize(job_id, int(chosen)))  # type: ignore[arg-type]
    record(obj, "job.prioritize", f"job:{job.id}", {"priority": job.priority})
    click.echo(f"job {job.id} priority {job.priority}")


@jobs.command("reconcile")
@click.pass_obj
def jobs_reconcile(obj: Context) -> None:
    """Recover jobs of workers that went silent; send tickets the broker lost."""
    done = _act(lambda: _service(obj).reconcile())
    click.echo(f"{len(done.recovered)} recovered, {len(done.given_up)} given up, "
               f"{done.tickets} ticket(s) sent")
