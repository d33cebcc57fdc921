"""Where log records go: stderr, one event a line, secrets blanked out.

A line is JSON when stderr is not a terminal (a service's journal, a log file, a pipe) and
readable text on one; `logging.format` chooses for good. Every line carries the job id, city,
recording and gateway bound for the work in hand (domain/logcontext.py), and the fields the
call gave (`log.info("job started", extra={"job_id": 7, "path": str(path)})`). Every
configured secret, and every secret met at run time, is replaced by **** before a handler
sees the line. The web, worker and CLI entrypoints call `setup()` when they start.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from archivist.domain import logcontext

MASK = "****"
LEVELS = ("debug", "info", "warning", "error", "critical")
FORMATS = ("auto", "json", "text")
# Shorter ones would blank out ordinary words; no real secret is that short.
MIN_SECRET = 4
# What every LogRecord has; anything else on a record is a field of the event.
_RECORD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_WHERE = ("job_id", "city", "recording", "gateway")
_BARE = re.compile(r"[\w.:@+-]+")


def setup(config: Mapping[str, Any] | None = None, *, default_level: str = "warning",
          verbose: bool = False, stream: TextIO | None = None) -> None:
    """Send every record of this process to `stream` (stderr) as configured.

    The level is `logging.level` (from the file or ARCHIVIST_LOG_LEVEL), else `default_level`;
    `verbose` shows at least INFO. Calling it again replaces the handler it set up before.
    """
    settings = dict((config or {}).get("logging") or {})
    level_name = str(settings.get("level") or (os.environ.get("ARCHIVIST_LOG_LEVEL", "")
                                               if config is None else "") or default_level)
    level = logging.getLevelName(level_name.upper())
    if not isinstance(level, int):
        level = logging.WARNING
    if verbose:
        level = min(level, logging.INFO)
    out = stream or sys.stderr
    handler = logging.StreamHandler(out)
    handler.set_name("archivist")
    handler.addFilter(_Context())
    handler.addFilter(_Noise())
    handler.addFilter(Redactor(secrets_of(config or {})))
    handler.setFormatter(JsonLines() if _wants_json(str(settings.get("format") or "auto"), out)
                         else TextLines())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "archivist"]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)   # Python's warnings become events too, not loose lines


def _wants_json(chosen: str, out: TextIO) -> bool:
    if chosen == "auto":
        isatty = getattr(out, "isatty", None)
        return not (isatty and isatty())
    return chosen == "json"


def secrets_of(config: Mapping[str, Any]) -> set[str]:
    """Every secret in the configuration: passwords, keys and tokens, and passwords in URLs."""
    from archivist.providers.settings import SECRET_KEYS
    from archivist.providers.urls import secrets_in

    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and value:
            if key in SECRET_KEYS:
                found.add(value)
            if "://" in value:
                found.update(secrets_in(value))
    walk(config)
    return found


class _Noise(logging.Filter):
    """Drops library warnings that are expected and say nothing an operator can act on."""

    # kombu warns on every connection to a broker URL without a host, which the embedded
    # queue's filesystem:// always is.
    _EXPECTED = (("kombu.connection", "No hostname was supplied"),)

    def filter(self, record: logging.LogRecord) -> bool:
        return not any(record.name == name and str(record.msg).startswith(start)
                       for name, start in self._EXPECTED)


class _Context(logging.Filter):
    """Puts the fields bound for the work in hand on every record (a call's own win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in logcontext.fields().items():
            record.__dict__.setdefault(key, value)
        return True


class Redactor(logging.Filter):
    """Replaces every secret in a record's message, fields and traceback by ****."""

    def __init__(self, configured: Iterable[str]) -> None:
        super().__init__()
        self._configured = _variants(configured)
        self._met: frozenset[str] | None = None
        self._secrets: list[str] = []

    def _all(self) -> list[str]:
        """Every secret, longest first (so a secret inside another goes with it)."""
        met = logcontext.secrets()
        if met != self._met:   # worked out again only when a new one was met
            self._met = met
            self._secrets = sorted(self._configured | _variants(met), key=len, reverse=True)
        return self._secrets

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._all()
        record.msg, record.args = self._clean(record.getMessage(), secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text, secrets)
        record.exc_info = None   # the cleaned text stands for it
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info, secrets)
        for key, value in _fields(record).items():
            if isinstance(value, int | float | bool | type(None)):
                continue
            text = str(value)
            if isinstance(value, str) or self._clean(text, secrets) != text:
                record.__dict__[key] = self._clean(text, secrets)
        return True

    @staticmethod
    def _clean(text: str, secrets: list[str]) -> str:
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


def _variants(secrets: Iterable[str]) -> set[str]:
    """A secret as typed and as it appears inside a URL (percent-encoded)."""
    from urllib.parse import quote

    kept = {s for s in secrets if len(s) >= MIN_SECRET}
    return kept | {quote(s, safe="") for s in kept}


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The event's fields: where it happened (job, city, recording, gateway) first."""
    found = {k: v for k, v in record.__dict__.items() if k not in _RECORD and not k.startswith("_")}
    return {k: found.pop(k) for k in _WHERE if k in found} | found


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JsonLines(logging.Formatter):
    """`{"time", "level", "logger", "event", ...fields, "exception"}`, one object a line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": _time(record), "level": record.levelname.lower(),
                                "logger": record.name, "event": record.getMessage()}
        line.update({k: v for k, v in _fields(record).items() if k not in line})
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class TextLines(logging.Formatter):
    """`time LEVEL logger: event key=value ...`; values with spaces or slashes are quoted."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{k}={_text(v)}" for k, v in _fields(record).items())
        text = f"{_time(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        text += f" {fields}" if fields else ""
        return text + (f"\n{record.exc_text}" if record.exc_text else "")


def _text(value: Any) -> str:
    if value is None or isinstance(value, int | float | bool):
        return str(value)
    text = str(value)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)
