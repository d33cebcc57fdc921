"""Schema migrations on real SQLite and PostgreSQL: an empty database is built on first use, an
older one is upgraded by `archivist db upgrade` with its rows kept, a newer one is refused."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, text

from archivist.adapters.sql import SqlRepository, migrate
from archivist.adapters.sql.tables import REVISION, dialect_only, schema
from archivist.domain.errors import SchemaError
from archivist.domain.models import Job, JobState, Recording
from tests.adapters.databases import quick_retry


@pytest.fixture
def engine(empty_engine: Any) -> Any:
    """These tests start where a new station does: an empty database."""
    return empty_engine


def first_release_schema(engine: Any) -> None:
    """The tables as the first release made them, by create_all and without Alembic."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    with engine.begin() as conn:
        ops = Operations(MigrationContext.configure(conn))
        import importlib.util
        spec = importlib.util.spec_from_file_location(
            "baseline", migrate.MIGRATIONS / "versions" / "0001_baseline.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.op = ops
        module.upgrade()
        now = datetime.now(UTC).replace(tzinfo=None) if conn.dialect.name == "sqlite" \
            else datetime.now(UTC)
        conn.execute(text("INSERT INTO recordings (path, content_hash, size, city, created_at) "
                          "VALUES ('/mnt/a.mp4', 'aa', 10, 'Riverton', :now)"), {"now": now})
        for state in ("running", "queued"):   # the old code could leave two active jobs
            conn.execute(text("INSERT INTO jobs (recording_id, state, progress, notes, outputs, "
                              "created_at) VALUES (1, :state, 0, '[]', '[]', :now)"),
                         {"state": state, "now": now})


def test_an_empty_database_is_built_on_first_use(engine) -> None:
    repo = SqlRepository(engine=engine, retry=quick_retry())
    assert repo.recording_by_hash("0" * 64) is None
    with engine.connect() as conn:
        assert migrate.revision(conn) == REVISION


def test_the_migrations_build_exactly_the_tables_the_code_uses(engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    migrate.upgrade(engine)
    def ours(name: str | None, kind: str, parents: Any) -> bool:
        return not dialect_only(name)   # search structures the tables cannot describe
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": ours})
        diff = compare_metadata(context, schema().metadata)
    assert diff == []


def test_an_older_schema_is_refused_until_upgraded_and_keeps_its_rows(engine) -> None:
    first_release_schema(engine)
    repo = SqlRepository(engine=engine, retry=quick_retry())
    with pytest.raises(SchemaError, match="run `archivist db upgrade`"):
        repo.recording_by_hash("aa")

    assert migrate.upgrade(engine) == ("0001", REVISION)
    assert migrate.upgrade(engine) == (REVISION, REVISION)   # a second run does nothing
    fresh = SqlRepository(engine=engine, retry=quick_retry())
    recording = fresh.recording_by_hash("aa")
    assert recording is not None and recording.city == "Riverton"
    old, new = fresh.job(1), fresh.job(2)
    assert old.state is JobState.FAILED and "superseded" in old.error
    assert new.state is JobState.QUEUED and new.path == Path("/mnt/a.mp4")
    assert new.city == "Riverton" and new.priority == 5 and new.attempts == 0
    again, created = fresh.queue_job(Job(recording_id=recording.id))
    assert not created and again.id == new.id


def test_an_upgraded_database_moves_the_archives_mark_at_its_first_change(engine) -> None:
    first_release_schema(engine)
    migrate.upgrade(engine)   # the change counter (0010) starts with no row
    repo = SqlRepository(engine=engine, retry=quick_retry())
    assert repo.catalogue_mark(None) == (1, 0)
    repo.transition(2, [JobState.QUEUED], JobState.FAILED, error="out of memory")
    assert repo.catalogue_mark(None) == (1, 1)
    repo.transition(2, [JobState.FAILED], JobState.QUEUED)   # "Retry"
    assert repo.catalogue_mark(None) == (1, 2)


def test_a_newer_schema_is_refused(engine) -> None:
    repo = SqlRepository(engine=engine, retry=quick_retry())
    repo.add_recording(Recording(Path("/a.mp4"), "bb", 1))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(SchemaError, match="newer than this Archivist"):
        SqlRepository(engine=engine, retry=quick_retry()).recording_by_hash("bb")
    with pytest.raises(SchemaError, match="upgrade Archivist"):
        migrate.upgrade(engine)


@pytest.mark.e2e
def test_db_upgrade_and_status_commands(tmp_path: Path) -> None:
    env = {"ARCHIVIST_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def archivist(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", *args],
                              env=env, capture_output=True, text=True, timeout=120)
    status = archivist("db", "status")
    assert status.returncode == 0 and "revision empty" in status.stdout, status.stderr
    done = archivist("db", "upgrade")
    assert done.returncode == 0 and f"from empty to {REVISION}" in done.stdout, done.stderr
    assert "up to date" in archivist("db", "status").stdout
    assert "already at revision" in archivist("db", "upgrade").stdout


def test_tables_module_names_every_table_the_migrations_make(engine) -> None:
    migrate.upgrade(engine)
    reflected = MetaData()
    reflected.reflect(engine)
    made = {name for name in reflected.tables if not dialect_only(name)}
    assert made == set(schema().metadata.tables) | {"alembic_version"}


def test_recordings_approved_before_accuracy_existed_are_measured_by_the_upgrade(engine) -> None:
    from alembic import command
    from alembic.config import Config

    from archivist.adapters.sql import SqlMeasures
    from archivist.domain import transcript_json
    from archivist.domain.models import Segment, Transcript

    def body(words: str) -> str:
        return transcript_json.dumps(Transcript((Segment(0.0, 4.0, words),), 4.0))

    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(migrate.MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
        now = datetime.now(UTC).replace(tzinfo=None) if conn.dialect.name == "sqlite" \
            else datetime.now(UTC)
        conn.execute(text("INSERT INTO recordings (id, path, content_hash, size, city, created_at) "
                          "VALUES (1, '/mnt/a.mp4', 'aa', 10, 'Riverton', :now)"), {"now": now})
        for number, author, words in ((1, "machine", "council member when moved to approve"),
                                      (2, "staff:ana", "Council member Nguyen moved to approve.")):
            conn.execute(text("INSERT INTO transcript_revisions (recording_id, revision, author, "
                              "created_at, note, words, body) VALUES (1, :n, :a, :now, '', 6, :b)"),
                         {"n": number, "a": author, "now": now, "b": body(words)})
        conn.execute(text("INSERT INTO reviews (recording_id, revision, state, approved_by, "
                          "approved_at, approved_revision, pending, problems, updated_at) VALUES "
                          "(1, 2, 'approved', 'staff:ana', :now, 2, '[]', '[]', :now)"),
                     {"now": now})

    assert migrate.upgrade(engine) == ("0006", REVISION)
    [measure] = SqlMeasures(engine=engine, retry=quick_retry()).of(1)
    assert (measure.source, measure.machine_revision, measure.errors, measure.words,
            measure.by) == ("revision 2", 1, 1, 6, "staff:ana")
