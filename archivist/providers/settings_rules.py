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
    "whisper.vad_min_silence_ms": (0, None, True, False),
    "whisper.vad_speech_pad_ms": (0, None, True, False),
    "whisper.window_seconds": (30, None, False, False),
    "live.chunk_seconds": (0.2, 10, False, False),
    "live.trim_after": (5, 60, False, False),
    "live.max_seconds": (10, 30, False, False),
    "live.pause_seconds": (0.3, 10, False, False),
    "live.source_timeout": (0.5, 60, False, False),
    "live.beam_size": (1, 10, True, False),
    "live.encoder_keep_seconds": (0, 60, False, False),
    "live.metrics_port": (0, 65535, True, False),
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
    check_live_cities(config, source)


_LIVE_KEYS = frozenset({"source", "encoder"})
_ENCODER_KEYS = frozenset({"host", "port", "channel", "rows"})


def check_live_cities(config: dict[str, Any], source: Path) -> None:
    """Each city's `live:` section (library.cities[].live): known keys, sensible values."""
    cities = _get(config, "library.cities") or []
    for i, city in enumerate(cities if isinstance(cities, list) else []):
        live = city.get("live") if isinstance(city, dict) else None
        if live is None:
            continue
        where = f"{source}: 'library.cities[{i}].live'"
        if not isinstance(live, dict):
            raise ConfigError(f"{where} must be a mapping (source, encoder), got {live!r}")
        if unknown := sorted(set(live) - _LIVE_KEYS):
            raise ConfigError(f"{where}: unknown setting '{unknown[0]}' (known here: source, encoder)")
        if not isinstance(live.get("source", ""), str):
            raise ConfigError(f"{where}.source must be text (an ffmpeg input), got {live['source']!r}")
        encoder = live.get("encoder")
        if encoder is None:
            continue
        if not isinstance(encoder, dict):
            raise ConfigError(f"{where}.encoder must be a mapping (host, port, channel, rows)")
        if unknown := sorted(set(encoder) - _ENCODER_KEYS):
            raise ConfigError(f"{where}.encoder: unknown setting '{unknown[0]}' "
                              "(known here: channel, host, port, rows)")
        port, rows = encoder.get("port"), encoder.get("rows", 3)
        if not encoder.get("host") or not isinstance(encoder.get("host"), str):
            raise ConfigError(f"{where}.encoder.host must name the encoder")
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise ConfigError(f"{where}.encoder.port must be a whole number 1-65535, got {port!r}")
        if str(encoder.get("channel", "cc1")).lower() not in ("cc1", "cc2", "cc3", "cc4"):
            raise ConfigError(f"{where}.encoder.channel must be cc1, cc2, cc3 or cc4, "
                              f"got {encoder.get('channel')!r}")
        if rows not in (2, 3, 4) or isinstance(rows, bool):
            raise ConfigError(f"{where}.encoder.rows must be 2, 3 or 4, got {rows!r}")


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
