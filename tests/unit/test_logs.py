"""Log lines: one event a line, the work in hand on each, and never a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from archivist.domain import logcontext
from archivist.providers import logs

CONFIG = {
    "secret_key": "sk-station-key-1",
    "database": {"url": "postgresql://archivist:db%2Fpass@db.example.org/archivist"},
    "redis": {"url": "redis://:redis-pass-7@cache:6379/0?password=query-pass-8"},
    "cablecast": {"url": "https://cablecast.example.org", "user": "archivist",
                  "password": "cc-pass-3"},
    "logging": {"level": "info", "format": "json"},
}
SECRETS = ("sk-station-key-1", "db/pass", "db%2Fpass", "redis-pass-7", "query-pass-8", "cc-pass-3")


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    out = io.StringIO()
    root = logging.getLogger()
    level = root.level
    logs.setup(CONFIG, stream=out)
    yield out
    for handler in [h for h in root.handlers if h.get_name() == "archivist"]:
        root.removeHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(False)


def test_every_configured_secret_is_found() -> None:
    assert set(SECRETS) <= logs.secrets_of(CONFIG)


def test_secrets_are_blanked_in_message_fields_and_traceback(lines: io.StringIO) -> None:
    log = logging.getLogger("archivist.test")
    log.warning("connecting to %s", CONFIG["database"]["url"])
    log.info("calling", extra={"url": CONFIG["redis"]["url"], "password": "cc-pass-3"})
    try:
        raise RuntimeError("refused: sk-station-key-1")
    except RuntimeError:
        log.exception("failed with db/pass")
    text = lines.getvalue()
    assert not [s for s in SECRETS if s in text], text
    assert text.count("****") >= 5
    assert len(text.splitlines()) == 3, "one event a line, traceback included"


def test_secrets_met_at_run_time_are_blanked(lines: io.StringIO) -> None:
    logcontext.keep_secret("arv_token-made-just-now")
    logging.getLogger("archivist.test").warning("token arv_token-made-just-now")
    assert "arv_token-made-just-now" not in lines.getvalue()


def test_json_lines_carry_the_work_in_hand(lines: io.StringIO) -> None:
    with logcontext.bound(job_id=7, city="Riverton", recording=3):
        logging.getLogger("archivist.jobs").info("job started",
                                                 extra={"path": "/mnt/flex 3/a.mp4", "attempt": 1})
    logging.getLogger("archivist.jobs").info("after")
    first, after = (json.loads(line) for line in lines.getvalue().splitlines())
    assert first["event"] == "job started" and first["level"] == "info"
    assert list(first)[4:] == ["job_id", "city", "recording", "path", "attempt"]
    assert (first["job_id"], first["city"], first["path"]) == (7, "Riverton", "/mnt/flex 3/a.mp4")
    assert "job_id" not in after


def test_text_lines_quote_paths() -> None:
    out = io.StringIO()
    logs.setup({"logging": {"level": "info", "format": "text"}}, stream=out)
    try:
        with logcontext.bound(gateway="database"):
            logging.getLogger("archivist.scan").info("found", extra={"path": "/mnt/a b.mp4",
                                                                     "queued": 2})
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if h.get_name() == "archivist"]:
            root.removeHandler(handler)
    line = out.getvalue().strip()
    assert line.endswith('INFO    archivist.scan: found gateway=database path="/mnt/a b.mp4" queued=2')


def test_setup_again_replaces_its_handler(lines: io.StringIO) -> None:
    logs.setup(CONFIG, stream=lines)
    assert len([h for h in logging.getLogger().handlers if h.get_name() == "archivist"]) == 1


def test_terminal_gets_text_and_a_pipe_json() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    assert logs._wants_json("auto", io.StringIO())
    assert not logs._wants_json("auto", Terminal())
    assert logs._wants_json("json", Terminal())


def test_kombus_no_hostname_warning_for_the_embedded_queue_is_not_shown():
    out = io.StringIO()
    logs.setup({"logging": {"format": "json"}}, stream=out)
    logging.getLogger("kombu.connection").warning(
        "No hostname was supplied. Reverting to default 'localhost'")
    logging.getLogger("kombu.connection").warning("Cannot connect to redis://x: refused")
    assert "No hostname" not in out.getvalue() and "Cannot connect" in out.getvalue()
