"""Jobs: the truth about what is queued, running and done. Every state change is a
compare-and-set (an UPDATE whose WHERE names the states it may leave), so two processes can
never both move one job, and a late writer changes nothing."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.catalogue import count_change
from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.tables import (
    ACTIVE_STATES,
    dumps_list,
    job_from_row,
    job_values,
    schema,
)
from archivist.adapters.sql.transcripts import put_transcript
from archivist.domain.errors import Conflict, NotFound
from archivist.domain.models import Claim, Job, JobCount, JobState, Transcript

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class Jobs(Database):
    def queue_job(self, job: Job, claimed_by: str = "") -> tuple[Job, bool]:
        """Store `job` as queued (or claimed by `claimed_by`), unless its recording already
        has an active job."""
        from sqlalchemy.exc import IntegrityError

        # The jobs this call's attempts inserted: where a commit's answer is lost, the retry
        # finds the job that commit stored, which is this call's own (created), not another's.
        inserted: list[int] = []

        def attempt(conn: Connection) -> tuple[Job, bool]:
            stored, created = _queue(conn, job, claimed_by, inserted)
            return stored, created or stored.id in inserted

        try:
            return self._transaction(attempt)
        except IntegrityError as exc:
            # Either the recording is unknown, or another process queued it a moment ago.
            active = self._transaction(lambda conn: _active(conn, job.recording_id))
            if active is not None:
                return active, False
            raise NotFound(f"recording {job.recording_id} does not exist") from exc

    def job(self, job_id: int) -> Job | None:
        return self._transaction(lambda conn: _get(conn, job_id))

    def jobs(self, state: JobState | None = None, city: str | None = None,
             limit: int = 50, offset: int = 0) -> list[Job]:
        table = schema().jobs
        query = table.select().order_by(table.c.id.desc()).limit(limit).offset(offset)
        if state is not None:
            query = query.where(table.c.state == str(state))
        if city is not None:
            query = query.where(table.c.city == city)
        return [job_from_row(row) for row in self._all(query)]

    def count_jobs(self, state: JobState) -> int:
        from sqlalchemy import func, select

        table = schema().jobs
        query = select(func.count()).select_from(table).where(table.c.state == str(state))
        return int(self._transaction(lambda conn: conn.execute(query).scalar_one()))

    def job_counts(self) -> list[JobCount]:
        from sqlalchemy import func, select

        table = schema().jobs
        query = (select(table.c.state, table.c.city, func.count(), func.min(table.c.created_at))
                 .group_by(table.c.state, table.c.city))
        rows: list[Any] = self._all(query)
        return [JobCount(JobState(state), city or "", int(jobs), oldest)
                for state, city, jobs, oldest in rows]

    def latest_job(self, recording_id: int) -> Job | None:
        table = schema().jobs
        row = self._first(table.select().where(table.c.recording_id == recording_id)
                          .order_by(table.c.id.desc()).limit(1))
        return job_from_row(row) if row else None

    def due_jobs(self, now: datetime, limit: int) -> tuple[int, list[Job]]:
        from sqlalchemy import func, select

        table = schema().jobs
        due = [table.c.state == str(JobState.QUEUED), _due(table, now)]
        count = select(func.count()).select_from(table).where(*due)
        first = table.select().where(*due).order_by(*_best_first(table)).limit(limit)

        def work(conn: Connection) -> tuple[int, list[Job]]:
            return (int(conn.execute(count).scalar_one()),
                    [job_from_row(row) for row in conn.execute(first)])
        return self._transaction(work)

    def next_queued(self, above: int, now: datetime) -> Job | None:
        table = schema().jobs
        row = self._first(table.select()
                          .where(table.c.state == str(JobState.QUEUED), table.c.priority > above,
                                 _due(table, now))
                          .order_by(*_best_first(table)).limit(1))
        return job_from_row(row) if row else None

    def claim_next(self, preferred: int, worker: str, stale_before: datetime,
                   now: datetime) -> Claim | None:
        from sqlalchemy import and_, or_, select

        table = schema().jobs
        queued = table.c.state == str(JobState.QUEUED)
        pick = (select(table.c.id)
                .where(queued, or_(_due(table, now), table.c.id == preferred))
                .order_by(*_best_first(table))
                .limit(1).with_for_update(skip_locked=True))   # PostgreSQL: workers never wait
        stale = and_(table.c.id == preferred, table.c.state == str(JobState.RUNNING),
                     or_(table.c.heartbeat_at.is_(None), table.c.heartbeat_at < stale_before))

        def work(conn: Connection) -> Claim | None:
            chosen = conn.execute(pick).scalar()
            if chosen is not None:
                job = _changed(conn, self._claiming(chosen, queued, worker), chosen)
                return Claim(job, None) if job else None
            silent = conn.execute(select(table.c.worker).where(stale)).first()
            if silent is None:
                return None
            job = _changed(conn, self._claiming(preferred, stale, worker), preferred)
            return Claim(job, silent.worker or "?") if job else None
        return self._transaction(work)

    @staticmethod
    def _claiming(job_id: int, condition: Any, worker: str) -> Any:
        table, at = schema().jobs, now()
        return (table.update().where(table.c.id == job_id, condition)
                .values(state=str(JobState.RUNNING), attempts=table.c.attempts + 1,
                        worker=worker, started_at=at, heartbeat_at=at, progress=0.0,
                        eta_seconds=None, error=None, finished_at=None, retry_at=None))

    def claim(self, job_id: int, worker: str, stale_before: datetime) -> Job | None:
        from sqlalchemy import and_, or_

        table = schema().jobs
        running = table.c.state == str(JobState.RUNNING)
        waiting = or_(table.c.state == str(JobState.QUEUED),
                      and_(running, or_(table.c.heartbeat_at.is_(None),
                                        table.c.heartbeat_at < stale_before)))
        statement = self._claiming(job_id, waiting, worker)
        return self._transaction(lambda conn: _changed(conn, statement, job_id))

    def heartbeat(self, job_id: int, attempt: int, progress: float,
                  eta_seconds: float | None) -> bool:
        from sqlalchemy import func

        table = schema().jobs
        # Re-queued while this attempt's worker was cut off, and nobody has claimed it since
        # (a claim counts an attempt): the job is still this worker's, running again.
        statement = (table.update()
                     .where(table.c.id == job_id, _still_this_attempts(table, attempt))
                     .values(state=str(JobState.RUNNING), heartbeat_at=now(),
                             started_at=func.coalesce(table.c.started_at, now()),
                             retry_at=None, progress=float(progress),
                             eta_seconds=None if eta_seconds is None else float(eta_seconds)))
        return bool(self._transaction(lambda conn: conn.execute(statement).rowcount))

    def transition(self, job_id: int, leaving: Collection[JobState], to: JobState, *,
                   attempt: int | None = None, error: str | None = None,
                   notes: Sequence[str] | None = None, reset_attempts: bool = False,
                   retry_at: datetime | None = None, uncount: bool = False) -> Job | None:
        from sqlalchemy.exc import IntegrityError

        leaving = list(leaving)
        for state in leaving:
            if not state.may_become(to):
                raise ValueError(f"a {state} job cannot become {to}")
        table = schema().jobs
        values: dict[str, Any] = {"state": str(to), "error": error,
                                  "finished_at": now() if to.finished else None}
        if to is JobState.QUEUED:
            values.update(progress=0.0, eta_seconds=None, heartbeat_at=None, started_at=None,
                          retry_at=retry_at)
        if reset_attempts:
            values["attempts"] = 0
        elif uncount:
            values["attempts"] = table.c.attempts - 1
        if notes is not None:
            values["notes"] = dumps_list(notes)
        where = [table.c.id == job_id, table.c.state.in_([str(s) for s in leaving])]
        if attempt is not None:
            where.append(table.c.attempts == attempt)
        statement = table.update().where(*where).values(values)
        # The archive shows whether a recording's latest job failed: failing and leaving
        # failed change it, the other moves (running, queued again by the reconciler) do not.
        shown = to is JobState.FAILED or JobState.FAILED in leaving

        def work(conn: Connection) -> Job | None:
            job = _changed(conn, statement, job_id)
            if job is not None and shown:
                count_change(conn)
            return job
        try:
            return self._transaction(work)
        except IntegrityError as exc:
            raise Conflict(f"job {job_id}: its recording already has another active job") from exc

    def succeed(self, job_id: int, attempt: int, transcript: Transcript,
                notes: Sequence[str], outputs: Sequence[str]) -> Job | None:
        table, recordings = schema().jobs, schema().recordings
        statement = (table.update()
                     .where(table.c.id == job_id, _still_this_attempts(table, attempt))
                     .values(state=str(JobState.SUCCEEDED), progress=1.0, eta_seconds=0.0,
                             error=None, notes=dumps_list(notes), outputs=dumps_list(outputs),
                             finished_at=now()))

        def work(conn: Connection) -> Job | None:
            job = _changed(conn, statement, job_id)
            if job is not None:
                put_transcript(conn, job.recording_id, job_id, transcript)
                conn.execute(recordings.update().where(recordings.c.id == job.recording_id)
                             .values(duration=float(transcript.duration)))
            return job
        return self._transaction(work)

    def set_priority(self, job_id: int, priority: int) -> Job | None:
        table = schema().jobs
        statement = table.update().where(table.c.id == job_id).values(priority=int(priority))
        return self._transaction(lambda conn: _changed(conn, statement, job_id))

    def stale_jobs(self, heartbeat_before: datetime) -> list[Job]:
        from sqlalchemy import or_

        table = schema().jobs
        query = (table.select()
                 .where(table.c.state == str(JobState.RUNNING),
                        or_(table.c.heartbeat_at.is_(None),
                            table.c.heartbeat_at < heartbeat_before))
                 .order_by(table.c.id))
        return [job_from_row(row) for row in self._all(query)]


def _still_this_attempts(table: Any, attempt: int) -> Any:
    """The job is this attempt's: running it, or re-queued (the reconciler took the worker's
    silence for death) and not claimed by anyone since, since a claim counts a new attempt."""
    return table.c.state.in_([str(JobState.RUNNING), str(JobState.QUEUED)]) & (
        table.c.attempts == attempt)


def _due(table: Any, now: datetime) -> Any:
    from sqlalchemy import or_

    return or_(table.c.retry_at.is_(None), table.c.retry_at <= now)


def _best_first(table: Any) -> tuple[Any, ...]:
    # Highest priority first; within one, the newest job: tonight's meeting before the backlog.
    return table.c.priority.desc(), table.c.id.desc()


def _get(conn: Connection, job_id: int) -> Job | None:
    table = schema().jobs
    row = conn.execute(table.select().where(table.c.id == job_id)).first()
    return job_from_row(row) if row else None


def _changed(conn: Connection, statement: Any, job_id: int) -> Job | None:
    """Run a compare-and-set UPDATE; the job as it now is, or None if nothing matched."""
    return _get(conn, job_id) if conn.execute(statement).rowcount else None


def _active(conn: Connection, recording_id: int) -> Job | None:
    table = schema().jobs
    row = conn.execute(table.select().where(table.c.recording_id == recording_id,
                                            table.c.state.in_(ACTIVE_STATES))).first()
    return job_from_row(row) if row else None


def _queue(conn: Connection, job: Job, claimed_by: str = "",
           inserted: list[int] | None = None) -> tuple[Job, bool]:
    active = _active(conn, job.recording_id)
    if active is not None:
        return active, False
    values = {**job_values(job), "state": str(JobState.QUEUED), "attempts": 0,
              "created_at": job.created_at or now()}
    if claimed_by:   # as a claim leaves it (Jobs._claiming), written with the row itself
        at = now()
        values.update(state=str(JobState.RUNNING), attempts=1, worker=claimed_by,
                      started_at=at, heartbeat_at=at, progress=0.0, eta_seconds=None,
                      error=None, finished_at=None, retry_at=None)
    job_id = conn.execute(schema().jobs.insert().values(values)).inserted_primary_key[0]
    if inserted is not None:
        inserted.append(job_id)
    count_change(conn)   # a recording's latest job is a new one: no longer failed
    stored = _get(conn, job_id)
    assert stored is not None
    return stored, True
