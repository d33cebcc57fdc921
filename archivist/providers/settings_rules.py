"""What each setting may be, in one table, checked whole once the files are merged.

The type of a key in config.yml is checked while the files are merged (settings.py); a value of
the right type can still make no sense: a port of 99999, a deadline of .nan, a caption format
nobody writes, two cities of one name, a relative mount path, a misspelt key inside a city.
Those are refused here, with the file and the key named.

To add a setting: put it in config.yml with a comment; if a number needs bounds, or text must be
one of a few words, or it lives inside a list entry (a city), add its row to RULES. Numbers
without a row must be finite and not negative.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archivist.domain.errors import ConfigError
from archivist.domain.sidecars import FORMATS
from archivist.domain.spelling import SPELLINGS


@dataclass(frozen=True, slots=True)
class Number:
    """A finite number from `low` (excluded when `above`) to `high`, whole when `whole`;
    never null when `required` (the code reads it as a number whatever else is set)."""

    low: float = 0
    high: float | None = None
    whole: bool = False
    above: bool = False
    required: bool = False

    def check(self, value: Any, key: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"'{key}' must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"'{key}' must be a finite number, got {value!r}")
        if self.whole and value != int(value):
            raise ConfigError(f"'{key}' must be a whole number, got {value!r}")
        too_low = value <= self.low if self.above else value < self.low
        if too_low or (self.high is not None and value > self.high):
            raise ConfigError(f"'{key}' must be {self._describe()}, got {value!r}")

    def _describe(self) -> str:
        floor = f"more than {self.low:g}" if self.above else f"at least {self.low:g}"
        return f"{floor} and at most {self.high:g}" if self.high is not None else floor


@dataclass(frozen=True, slots=True)
class Text:
    """Text; one of `words` (without case) when given; an absolute path when `absolute`; never
    null when `required` (the code reads it as one of `words` whatever else is set)."""

    words: tuple[str, ...] = ()
    absolute: bool = False
    required: bool = False

    def check(self, value: Any, key: str) -> None:
        if not isinstance(value, str):
            raise ConfigError(f"'{key}' must be text, got {value!r}{quote_hint(value)}")
        if self.words and value.lower() not in self.words:
            raise ConfigError(f"'{key}' must be one of {', '.join(w for w in self.words if w)}, "
                              f"got {value!r}")
        if self.absolute and not Path(value).expanduser().is_absolute():
            raise ConfigError(f"'{key}' must be an absolute path (starting with /), got {value!r}")


@dataclass(frozen=True, slots=True)
class Flag:
    """true or false."""

    def check(self, value: Any, key: str) -> None:
        if not isinstance(value, bool):
            raise ConfigError(f"'{key}' must be true or false, got {value!r}")


@dataclass(frozen=True, slots=True)
class ListOf:
    """A list whose every item follows `item`."""

    item: Rule

    def check(self, value: Any, key: str) -> None:
        if not isinstance(value, list):
            raise ConfigError(f"'{key}' must be a list, got {value!r}")
        by = self.item.unique if isinstance(self.item, Fields) else ""
        for i, entry in enumerate(value):
            name = entry.get(by) if by and isinstance(entry, dict) else None
            self.item.check(entry, f"{key}[{name if isinstance(name, str) and name else i}]")


@dataclass(frozen=True, slots=True)
class Fields:
    """A mapping of known keys, each with its rule; `required` keys must be there.

    `unique` names the key whose value tells entries of a list apart (and names them in errors).
    """

    rules: Mapping[str, Rule]
    required: tuple[str, ...] = ()
    unique: str = ""
    extra: Any = field(default=None)   # a whole-entry check after the fields: f(value, key)

    def check(self, value: Any, key: str) -> None:
        if not isinstance(value, dict):
            raise ConfigError(f"'{key}' must be a mapping of settings, got {value!r}")
        for name in value:
            if name not in self.rules:
                raise ConfigError(unknown(f"{key}.{name}", str(name), self.rules))
        for name in self.required:
            if value.get(name) in (None, ""):
                raise ConfigError(f"'{key}.{name}' is required")
        for name, entry in value.items():
            if entry is not None:
                self.rules[name].check(entry, f"{key}.{name}")
        if self.extra is not None:
            self.extra(value, key)


@dataclass(frozen=True, slots=True)
class FlagOrAuto:
    """true, false, or auto."""

    def check(self, value: Any, key: str) -> None:
        if not isinstance(value, bool) and str(value).lower() not in ("auto", "true", "false"):
            raise ConfigError(f"'{key}' must be auto, true or false, got {value!r}")


@dataclass(frozen=True, slots=True)
class NamePattern:
    """A file naming convention with placeholders (domain/meetings/names.py)."""

    def check(self, value: Any, key: str) -> None:
        from archivist.domain.meetings.names import check

        Text().check(value, key)
        if value and (wrong := check(value)):
            raise ConfigError(f"'{key}': {wrong}")


Rule = Number | Text | Flag | ListOf | Fields | FlagOrAuto | NamePattern


def _sidecar_needs_a_store(value: dict[str, Any], key: str) -> None:
    if value.get("sidecar") == "upload" and value.get("file_store") is None:
        raise ConfigError(f"'{key}.sidecar' is upload but '{key}.file_store' is not set")


CITY_CABLECAST = Fields({
    "location": Number(whole=True),
    "sidecar": Text(("beside", "upload")),
    "file_store": Number(whole=True),
    "chapters": Flag(),
}, extra=_sidecar_needs_a_store)

CITY_LIVE = Fields({
    "source": Text(),
    "encoder": Fields({
        "host": Text(),
        "port": Number(1, 65535, whole=True),
        "channel": Text(("cc1", "cc2", "cc3", "cc4")),
        "rows": Number(2, 4, whole=True),
    }, required=("host", "port")),
})

CITY = Fields({
    "name": Text(),
    "path": Text(absolute=True),
    "extensions": ListOf(Text()),
    "vocabulary": ListOf(Text()),
    "model": Text(),
    "cablecast": CITY_CABLECAST,
    "name_pattern": NamePattern(),
    # When Cablecast gets the city's captions: at once (on_caption) or once approved.
    "review": Fields({"publish": Text(("on_caption", "on_approval"))}),
    "live": CITY_LIVE,
}, required=("name", "path"), unique="name")

_RETRY = Fields({
    "attempts": Number(1, 100, whole=True),
    "backoff": Number(0, 3600),
    "max_backoff": Number(0, 3600),
    "deadline": Number(0, 86400, above=True),
})
_CUES = {"max_chars": Number(1, 255, whole=True), "max_lines": Number(1, 15, whole=True),
         "min_duration": Number(0, 60), "max_duration": Number(0, 3600, above=True),
         "max_cps": Number(0, 1000, above=True)}

# Every rule, by dotted key. A section's `retry:` follows _RETRY wherever it is.
RULES: dict[str, Rule] = {
    "web.port": Number(1, 65535, whole=True),
    "web.max_body_mb": Number(0, above=True),
    "web.session_hours": Number(0, 24 * 365, above=True),
    "web.login_per_minute": Number(whole=True),
    "web.changes_per_minute": Number(whole=True),
    "web.deadline": Number(0, 3600, above=True),
    "web.waiting_per_gateway": Number(1, 1000, whole=True),
    "web.work_deadline": Number(0, 3600, above=True),
    "web.secure_cookies": FlagOrAuto(),
    "web.trusted_proxies": ListOf(Text()),
    "web.proxy_cache_gb": Number(0, above=True),
    "health.deadline": Number(0, 3600, above=True),
    "health.cache_seconds": Number(0, 3600),
    "health.scrape_timeout": Number(0, 3600, above=True),
    "worker.concurrency": Number(1, 256, whole=True),
    "worker.scan_every": Number(0, above=True),
    "worker.reconcile_every": Number(0, above=True),
    "worker.max_attempts": Number(1, 100, whole=True),
    "worker.heartbeat_seconds": Number(0, above=True),
    "worker.stale_after": Number(0, above=True),
    "worker.time_limit_factor": Number(0, above=True),
    "worker.min_time_limit": Number(0, above=True),
    "worker.max_job_hours": Number(0, above=True),
    "worker.publish_every": Number(0, above=True),
    "worker.apply_every": Number(0, above=True),
    "worker.enqueue_timeout": Number(0, 60, above=True),
    "worker.checkpoint_every": Number(0, 86400),
    "worker.stop_timeout": Number(1, 3600),
    "worker.metrics_port": Number(0, 65535, whole=True),
    "database.pool_size": Number(1, 1000, whole=True),
    "database.connect_timeout": Number(0, 3600, above=True),
    "database.statement_timeout": Number(0, 86400, above=True),
    "redis.connect_timeout": Number(0, 3600, above=True),
    "redis.timeout": Number(0, 3600, above=True),
    "cablecast.connect_timeout": Number(0, 3600, above=True),
    "cablecast.read_timeout": Number(0, 3600, above=True),
    "cablecast.deadline": Number(0, 86400, above=True),
    "cablecast.page_size": Number(1, 10000, whole=True),
    "cablecast.circuit.threshold": Number(1, 1000, whole=True),
    "cablecast.upload.segment_size": Number(1, None, whole=True),
    "cablecast.upload.wait": Number(0, 86400, above=True),
    "cablecast.publish_lease": Number(1, 86400),
    "library.cities": ListOf(CITY),
    "library.extensions": ListOf(Text()),
    "library.list_timeout": Number(0, 86400, above=True),
    "library.io_timeout": Number(0, 3600, above=True),
    "library.name_pattern": NamePattern(),
    "whisper.cpu_threads": Number(0, 1024, whole=True),
    "whisper.beam_size": Number(1, 100, whole=True),
    "whisper.batch_size": Number(0, 1024, whole=True),
    "whisper.models_loaded": Number(1, 16, whole=True),
    "whisper.music_min_seconds": Number(0, 3600),
    "whisper.speaker_change_threshold": Number(0, None, above=True, required=True),
    "whisper.vad_min_silence_ms": Number(whole=True),
    "whisper.vad_speech_pad_ms": Number(whole=True),
    "whisper.window_seconds": Number(30),
    "whisper.vocabulary": ListOf(Text()),
    "whisper.device": Text(("cpu", "cuda", "auto")),
    "captions.formats": ListOf(Text(FORMATS)),
    **{f"captions.broadcast.{k}": rule for k, rule in _CUES.items()},
    **{f"captions.web.{k}": rule for k, rule in _CUES.items()},
    "captions.spelling": Text(SPELLINGS, required=True),
    "captions.scc.row": Number(1, 15, whole=True),
    "captions.sound_tags.music_scc": Text(),
    "captions.sound_tags.music_web": Text(),
    "live.chunk_seconds": Number(0.2, 10, required=True),
    "live.trim_after": Number(5, 60, required=True),
    "live.max_seconds": Number(10, 30, required=True),
    "live.pause_seconds": Number(0.3, 10, required=True),
    "live.settle_seconds": Number(1, 30, required=True),
    "live.prompt_words": Number(0, 200, whole=True, required=True),
    "live.context_seconds": Number(0, 10, required=True),
    "live.late_pauses": Flag(),
    "live.first_seconds": Number(0, 10, required=True),
    "live.short_letters": Number(0, 20, whole=True, required=True),
    "live.prompt_names": Number(0, 100, whole=True, required=True),
    "live.speaker_changes": Flag(),
    "live.turn_pause_seconds": Number(0.3, 10, required=True),
    "live.source_timeout": Number(0.5, 60, required=True),
    "live.beam_size": Number(1, 10, whole=True, required=True),
    "live.cpu_threads": Number(0, 1024, whole=True, required=True),
    "live.model": Text(),
    "live.encoder_keep_seconds": Number(0, 60, required=True),
    "live.window_seconds": Number(0, 30, required=True),
    "live.metrics_port": Number(0, 65535, whole=True, required=True),
    "logging.level": Text(("", "debug", "info", "warning", "error", "critical")),
    "logging.format": Text(("auto", "json", "text")),
}


def check_ranges(config: dict[str, Any], source: Path) -> None:
    """Raise ConfigError (naming `source` and the key) for the first setting that breaks a rule."""
    try:
        _walk(config, "")
        cities = config.get("library", {}).get("cities") or []
        _unique(cities, "library.cities", CITY.unique)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _walk(value: Any, key: str) -> None:
    rule = RULES.get(key) or (_RETRY if key.endswith(".retry") else None)
    if value is None and isinstance(rule, Number) and rule.required:
        raise ConfigError(f"'{key}' must be a number, got null (leave it out for the default)")
    if value is None and isinstance(rule, Text) and rule.required:
        raise ConfigError(f"'{key}' must be one of {', '.join(w for w in rule.words if w)}, "
                          "got null (leave it out for the default)")
    if rule is not None and value is not None:
        rule.check(value, key)
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        Number().check(value, key)


def _unique(entries: list[Any], key: str, by: str) -> None:
    # In any case: live sessions and their pages find a city whatever its case.
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        name = entry.get(by) if isinstance(entry, dict) else None
        if name is None:
            continue
        if str(name).casefold() in seen:
            raise ConfigError(f"'{key}[{i}]': a second city named {name!r} "
                              "(city names must differ, in any case)")
        seen.add(str(name).casefold())


def unknown(key: str, name: str, known: Any) -> str:
    """'x.y: unknown key; did you mean z?' with the closest known key, or the known ones."""
    words = sorted(map(str, known))
    close = difflib.get_close_matches(name, words, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else f"known here: {', '.join(words) or 'none'}"
    return f"{key}: unknown key; {hint}"


def quote_hint(value: Any) -> str:
    """What to say when YAML read a number (or a date, or true) where text was meant."""
    if isinstance(value, (bool, int, float)) or type(value).__name__ in ("date", "datetime"):
        return " (YAML read it as a number, date or yes/no; quote it: \"...\")"
    return ""
