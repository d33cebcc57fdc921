"""Ranges the settings must fall in: a value of the right type can still make no sense.

A port of 99999, a negative deadline or 2.5 pooled connections pass the type check; they are
refused here, with the file and the key named, before anything is built from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archivist.domain.errors import ConfigError

# key: (smallest, largest, whole number?, smallest excluded?)
_RANGES: dict[str, tuple[float, float | None, bool, bool]] = {
    "web.port": (1, 65535, True, False),
    "web.max_body_mb": (0, None, False, True),
    "web.session_hours": (0, 24 * 365, False, True),
    "web.login_per_minute": (0, None, True, False),
    "web.changes_per_minute": (0, None, True, False),
    "health.deadline": (0, 3600, False, True),
    "health.cache_seconds": (0, 3600, False, False),
    "health.scrape_timeout": (0, 3600, False, True),
    "worker.concurrency": (1, 256, True, False),
    "worker.scan_every": (0, None, False, True),
    "worker.reconcile_every": (0, None, False, True),
    "worker.max_attempts": (1, 100, True, False),
    "worker.heartbeat_seconds": (0, None, False, True),
    "worker.stale_after": (0, None, False, True),
    "worker.retry_delay": (0, None, False, False),
    "worker.time_limit_factor": (0, None, False, True),
    "worker.min_time_limit": (0, None, False, True),
    "worker.max_job_hours": (0, None, False, True),
    "worker.database_patience": (0, None, False, False),
    "worker.publish_every": (0, None, False, True),
    "worker.metrics_port": (0, 65535, True, False),
    "database.pool_size": (1, 1000, True, False),
    "database.connect_timeout": (0, 3600, False, True),
    "database.statement_timeout": (0, 86400, False, True),
    "redis.connect_timeout": (0, 3600, False, True),
    "redis.timeout": (0, 3600, False, True),
    "cablecast.connect_timeout": (0, 3600, False, True),
    "cablecast.read_timeout": (0, 3600, False, True),
    "library.settle_seconds": (0, None, False, False),
    "whisper.cpu_threads": (0, 1024, True, False),
    "whisper.beam_size": (1, 100, True, False),
    "whisper.batch_size": (0, 1024, True, False),
    "whisper.models_loaded": (1, 16, True, False),
    "whisper.music_min_seconds": (0, 3600, False, False),
    "whisper.vad_min_silence_ms": (0, None, True, False),
    "whisper.vad_speech_pad_ms": (0, None, True, False),
    "whisper.window_seconds": (30, None, False, False),
}
# key: the words it may be (compared without case)
_CHOICES: dict[str, tuple[str, ...]] = {
    "logging.level": ("", "debug", "info", "warning", "error", "critical"),
    "logging.format": ("auto", "json", "text"),
}
# Every section's `retry:` mapping.
_RETRY = {
    "attempts": (1, 100, True, False),
    "backoff": (0, 3600, False, False),
    "max_backoff": (0, 3600, False, False),
    "deadline": (0, 86400, False, True),
}


def check_ranges(config: dict[str, Any], source: Path) -> None:
    """Raise ConfigError for the first setting outside its range or its choices."""
    for key, words in _CHOICES.items():
        value = _get(config, key)
        if isinstance(value, str) and value.lower() not in words:
            raise ConfigError(f"{source}: '{key}' must be one of "
                              f"{', '.join(w for w in words if w)}, got {value!r}")
    rules = dict(_RANGES)
    for section, value in config.items():
        if isinstance(value, dict) and isinstance(value.get("retry"), dict):
            rules.update({f"{section}.retry.{k}": rule for k, rule in _RETRY.items()})
    for key, (low, high, whole, open_low) in rules.items():
        value = _get(config, key)
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # absent or of another type: the type check has the say
        if whole and value != int(value):
            raise ConfigError(f"{source}: '{key}' must be a whole number, got {value!r}")
        too_low = value <= low if open_low else value < low
        if too_low or (high is not None and value > high):
            raise ConfigError(f"{source}: '{key}' must be {_describe(low, high, open_low)}, got {value!r}")


def _describe(low: float, high: float | None, open_low: bool) -> str:
    floor = f"more than {low:g}" if open_low else f"at least {low:g}"
    return f"{floor} and at most {high:g}" if high is not None else floor


def _get(config: dict[str, Any], dotted: str) -> Any:
    value: Any = config
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
