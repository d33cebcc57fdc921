"""Importing Archivist does no I/O: no socket, no file written, no thread, no transcription stack.

Each check runs in a fresh interpreter, because an import can only be observed once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.environment import station_env

# Imports every archivist module, builds the container and the web app while recording
# what would be I/O, then prints a JSON account of it.
OBSERVE_IMPORTS = textwrap.dedent(r'''
    import builtins, importlib, io, json, os, pkgutil, socket, sys, threading

    seen = {"connect": [], "write": [], "mkdir": [], "thread": []}

    def refuse(self, address, *args):
        seen["connect"].append(repr(address))
        raise OSError("no network during import")
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse

    real_open, real_os_open = builtins.open, os.open
    def recording_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            seen["write"].append(str(file))
        return real_open(file, mode, *args, **kwargs)
    builtins.open = io.open = recording_open
    def recording_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            seen["write"].append(str(path))
        return real_os_open(path, flags, *args, **kwargs)
    os.open = recording_os_open
    for name in ("mkdir", "makedirs"):
        def record(path, *args, _real=getattr(os, name), **kwargs):
            seen["mkdir"].append(str(path))
            return _real(path, *args, **kwargs)
        setattr(os, name, record)
    real_start = threading.Thread.start
    def recording_start(self):
        seen["thread"].append(self.name)
        return real_start(self)
    threading.Thread.start = recording_start

    failed, imported = {}, []
    def attempt(name, action):
        try:
            action()
            imported.append(name)
        except BaseException as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"

    import archivist
    names = [m.name for m in pkgutil.walk_packages(
                 archivist.__path__, "archivist.",
                 onerror=lambda name: failed.setdefault(name, repr(sys.exc_info()[1])))
             if m.name.rpartition(".")[2] != "__main__"]  # __main__ runs a command
    for name in ["archivist", *names]:
        attempt(name, lambda name=name: importlib.import_module(name))
    holder = {}
    attempt("build()", lambda: holder.setdefault("c", importlib.import_module("archivist.containers").build()))
    attempt("create_app()", lambda: importlib.import_module("archivist.entrypoints.web").create_app())

    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    heavy = [m for m in ("faster_whisper", "ctranslate2", "av", "onnxruntime") if m in sys.modules]
    print(json.dumps({"imported": imported, "failed": failed, "seen": seen,
                      "threads_alive": others, "heavy": heavy}))
''')

# What create_app() alone pulls in: the web process must not load any backend's client.
WEB_MODULES = textwrap.dedent('''
    import json, sys
    from archivist.entrypoints.web import create_app
    create_app()
    print(json.dumps(sorted(sys.modules)))
''')

BACKEND_LIBRARIES = ("sqlalchemy", "celery", "kombu", "redis", "requests", "urllib3", "tenacity",
                     "psycopg2", "faster_whisper", "ctranslate2", "av")

def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without ARCHIVIST_* settings, plus `extra`."""
    env = station_env()
    env.update(ARCHIVIST_DATA_DIR=str(tmp_path / "data-never-made"), **extra)
    return env


def run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp_path = tmp_path_factory.mktemp("imports")
    # Every backend configured (at the discard port): building must still touch none of them.
    env = clean_env(tmp_path, PYTHONDONTWRITEBYTECODE="1",
                    ARCHIVIST_REDIS_URL="redis://127.0.0.1:9/0",
                    ARCHIVIST_DATABASE_URL="postgresql+psycopg2://u@127.0.0.1:9/db",
                    ARCHIVIST_CABLECAST_URL="http://127.0.0.1:9")
    result = json.loads(run(OBSERVE_IMPORTS, env))
    result["data_dir"] = env["ARCHIVIST_DATA_DIR"]
    return result


def test_every_module_imports_and_the_app_builds(observed: dict[str, Any]) -> None:
    assert observed["failed"] == {}
    assert {"archivist.containers", "archivist.entrypoints.web", "build()",
            "create_app()"} <= set(observed["imported"])


def test_importing_and_building_does_no_io(observed: dict[str, Any]) -> None:
    seen = observed["seen"]
    assert seen["connect"] == [], "a network connection was attempted"
    assert seen["write"] == [], "a file was opened for writing"
    assert seen["mkdir"] == [], "a directory was made"
    assert not Path(observed["data_dir"]).exists()


def test_importing_and_building_starts_no_thread(observed: dict[str, Any]) -> None:
    assert observed["seen"]["thread"] == []
    assert observed["threads_alive"] == []


def test_importing_everything_leaves_the_transcription_stack_unloaded(observed: dict[str, Any]) -> None:
    assert observed["heavy"] == []


@pytest.mark.parametrize("module", ["archivist.entrypoints.worker", "archivist.entrypoints.cli"])
def test_entrypoint_imports(observed: dict[str, Any], module: str) -> None:
    assert module in observed["imported"], observed["failed"].get(module)


def test_web_app_loads_no_backend_client(tmp_path: Path) -> None:
    loaded = set(json.loads(run(WEB_MODULES, clean_env(tmp_path))))
    assert sorted(m for m in loaded if m.split(".")[0] in BACKEND_LIBRARIES) == []


# What the REST API's app needs; the pages and /health start without it (bench/startup.py).
API_STACK = ("apiflask", "marshmallow", "apispec", "webargs", "flask_marshmallow")


def test_web_app_leaves_the_api_schema_stack_and_caption_writers_for_later(tmp_path: Path) -> None:
    loaded = set(json.loads(run(WEB_MODULES, clean_env(tmp_path))))
    assert sorted(m for m in loaded if m.split(".")[0] in API_STACK) == []
    assert not {"archivist.domain.captions", "archivist.adapters.sql.tables",
                "archivist.entrypoints.web.api.schemas"} & loaded


def test_web_app_builds_its_container_without_importing_what_it_builds(tmp_path: Path) -> None:
    """The container names its targets through loaders (archivist/deferred/): the pages and
    /health start without any adapter, and without the domain's models until a page needs them."""
    loaded = set(json.loads(run(WEB_MODULES, clean_env(tmp_path))))
    assert sorted(m for m in loaded if m.startswith("archivist.adapters")) == []
    assert "archivist.domain.models" not in loaded
