"""The composition root: lazy, overridable, thread-safe, disposable, fork-aware."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from archivist import containers
from archivist.adapters.kept_renders import KeptRenders
from archivist.domain.jobs.watch import NoLiveness
from archivist.domain.models import JobState
from archivist.providers import settings
from tests.fakes import FolderLibrary, InMemoryRepository, ListQueue, ScriptedTranscriber, spoken
from tests.servers import black_hole


@pytest.fixture
def container(tmp_path):
    c = containers.build(settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path / "data")}))
    yield c
    containers.shutdown(c)


def test_services_run_on_fakes_swapped_in_by_override(container, tmp_path):
    repo = InMemoryRepository()
    script = spoken((0.5, "The meeting will come to order."))
    recording = tmp_path / "1001-1-Council (20261103).mp4"
    recording.write_bytes(b"video")
    queue = ListQueue()
    with container.repository.override(repo), \
            container.transcriber.override(ScriptedTranscriber(script)), \
            container.library.override(FolderLibrary()), \
            container.job_queue.override(queue), \
            container.liveness.override(NoLiveness()), \
            container.kept_renders.override(KeptRenders(tmp_path / "kept")):
        container.jobs().submit(recording)
        run = container.jobs().take(queue.take(), ["srt", "vtt"])
    assert run.outcome == "succeeded"
    assert KeptRenders(tmp_path / "kept").kept(run.job.recording_id)   # for the saves to come
    assert repo.job(run.job.id).state is JobState.SUCCEEDED
    assert "come to order" in recording.with_suffix(".srt").read_text()
    assert not (tmp_path / "data").exists()   # the real database was never touched


def _captioned_text(c, tmp_path, said: str) -> str:
    """The txt captions `c`, its gateways faked, writes for a recording in which `said` is said."""
    recording = tmp_path / "1001-1-Council (20261103).mp4"
    recording.write_bytes(b"video")
    queue = ListQueue()
    try:
        with c.repository.override(InMemoryRepository()), \
                c.transcriber.override(ScriptedTranscriber(spoken((0.5, said)))), \
                c.library.override(FolderLibrary()), c.job_queue.override(queue), \
                c.liveness.override(NoLiveness()), \
                c.kept_renders.override(KeptRenders(tmp_path / "kept")):
            c.jobs().submit(recording)
            assert c.jobs().take(queue.take(), ["txt"]).outcome == "succeeded"
    finally:
        containers.shutdown(c)
    return recording.with_suffix(".txt").read_text()


@pytest.mark.parametrize("spelling, written", [
    ("american", "All those in favor of Harbour Grace's plan?"),
    ("as_heard", "All those in favour of Harbour Grace's plan?"),
])
def test_the_stations_spelling_and_vocabulary_reach_the_captions(tmp_path, spelling, written):
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path / "data")})
    config["captions"]["spelling"] = spelling
    config["whisper"]["vocabulary"] = ["Harbour Grace"]
    c = containers.build(config)
    assert written in _captioned_text(c, tmp_path, "All those in favour of Harbour Grace's plan?")


def test_a_blank_vocabulary_setting_still_captions(tmp_path):
    """`vocabulary:` left blank (its names commented out) is YAML's null: no names, and the
    recording is captioned as it was before captions.spelling read the vocabulary."""
    overlay = tmp_path / "station.yml"
    overlay.write_text("whisper:\n  vocabulary:\n  #  - Councilmember Oyelaran\n")
    c = containers.build(settings.load(overlay, environ={
        "ARCHIVIST_DATA_DIR": str(tmp_path / "data")}))
    assert "All in favor?" in _captioned_text(c, tmp_path, "All in favour?")


def test_building_the_container_makes_nothing(tmp_path):
    """Building and wiring connect to nothing and write nothing, even with every backend set."""
    with black_hole() as hole:
        config = settings.load(environ={
            "ARCHIVIST_DATA_DIR": str(tmp_path / "data"),
            "ARCHIVIST_DATABASE_URL": f"postgresql://u@127.0.0.1:{hole.port}/db",
            "ARCHIVIST_REDIS_URL": f"redis://127.0.0.1:{hole.port}/14",
            "ARCHIVIST_CABLECAST_URL": f"http://127.0.0.1:{hole.port}"})
        c = containers.build(config)
        c.wire(modules=["archivist.entrypoints.web.health"])
        time.sleep(0.2)  # give a stray connection time to arrive
        assert hole.accepted == 0
        assert not (tmp_path / "data").exists()
        containers.shutdown(c)


def test_a_gateway_is_built_once_even_under_concurrent_first_use(container):
    engines, barrier = [], threading.Barrier(8)

    def first_use():
        barrier.wait()
        engines.append(container.engine())
    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(e) for e in engines}) == 1


def test_shutdown_releases_gateways_and_the_next_use_builds_anew(container):
    engine = container.engine()
    with engine.connect() as conn:
        conn.exec_driver_sql("select 1")
    assert engine.pool.checkedin() == 1
    containers.shutdown(container)
    assert engine.pool.checkedin() == 0          # pooled connections closed
    assert container.engine() is not engine


def test_a_forked_child_builds_its_own_gateways(container):
    parent_engine = container.engine()
    with parent_engine.connect() as conn:
        conn.exec_driver_sql("select 1")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report whether it got a fresh engine, then leave at once
        try:
            fresh = container.engine() is not parent_engine
            with container.engine().connect() as conn:
                ok = conn.exec_driver_sql("select 1").scalar() == 1
            os.write(write, b"fresh" if fresh and ok else b"shared")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 16)
    os.waitpid(pid, 0)
    assert answer == b"fresh"
    # The parent's pooled connection was left alone by the child.
    with parent_engine.connect() as conn:
        assert conn.exec_driver_sql("select 1").scalar() == 1


def test_transcriber_model_comes_from_config(tmp_path):
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path),
                                    "ARCHIVIST_WHISPER_MODEL": str(tmp_path / "my-model")})
    c = containers.build(config)
    assert c.transcriber().model_name == str(tmp_path / "my-model")
    probe = next(p for p in c.probes() if p.name == "whisper")
    assert probe.check().status == "down"


def test_deferred_targets_all_import():
    """Every target the container imports on first call exists (mypy checks the names too)."""
    from archivist import deferred
    from archivist.deferred import adapters, domain

    assert (adapters, domain) and len(deferred.LOADERS) >= 40
    for load in deferred.LOADERS:
        assert callable(load()), load.__name__


def test_data_dir_is_the_expanded_setting(tmp_path):
    c = containers.build(settings.load(environ={"ARCHIVIST_DATA_DIR": "~/archivist-data"}))
    assert c.config.data_dir() == str(Path("~/archivist-data").expanduser())


def test_every_injected_parameter_is_typed_with_what_it_gets():
    """`x: Any = Provide[...]` hides from mypy what a view receives: name the port instead."""
    import re

    package = Path(containers.__file__).parent
    untyped = [f"{path.relative_to(package)}:{number}"
               for path in package.rglob("*.py")
               for number, line in enumerate(path.read_text().splitlines(), 1)
               if re.search(r":\s*Any\s*=\s*(Provide|Provider|Closing)\[", line)]
    assert untyped == []
