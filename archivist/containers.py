"""The composition root: every gateway and service Archivist has, and how each is built.

Read it as a table of contents. Gateways (database engine, Redis client, Cablecast session,
mounted storage, Whisper model) are built once per process on first use and torn down by
`shutdown()`; services are cheap factories that receive ports. Building or wiring the
container connects to nothing and loads nothing.
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from typing import Any

from dependency_injector import containers, providers

from archivist.providers import celery_app, database, http, lifecycle, policies, settings
from archivist.providers import redis as redis_gateway
from archivist.providers.lazy import lazy

# Adapters and services are imported on first use (see providers/lazy.py).
SqlRepository = lazy("archivist.adapters.sql:SqlRepository")
DatabaseProbe = lazy("archivist.adapters.sql:DatabaseProbe")
RedisProbe = lazy("archivist.adapters.redis_store:RedisProbe")
CablecastClient = lazy("archivist.adapters.cablecast:CablecastClient")
CablecastProbe = lazy("archivist.adapters.cablecast:CablecastProbe")
MountedLibrary = lazy("archivist.adapters.filesystem:MountedLibrary")
LibraryProbe = lazy("archivist.adapters.filesystem:LibraryProbe")
FasterWhisperTranscriber = lazy("archivist.adapters.whisper:FasterWhisperTranscriber")
WhisperProbe = lazy("archivist.adapters.whisper:WhisperProbe")
CeleryJobQueue = lazy("archivist.adapters.celery_queue:CeleryJobQueue")
run_probes = lazy("archivist.domain.health:run_probes")
caption_settings_from = lazy("archivist.domain.captions.settings:CaptionSettings.from_config")
Captioning = lazy("archivist.domain.captioning:Captioning")


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    # Policies: bounded retries per gateway, from each section's `retry:`.
    database_retry = providers.ThreadSafeSingleton(
        policies.policy, "database", config.database.retry, database.is_transient)
    redis_retry = providers.ThreadSafeSingleton(
        policies.policy, "redis", config.redis.retry, redis_gateway.is_transient)
    cablecast_retry = providers.ThreadSafeSingleton(
        policies.policy, "cablecast", config.cablecast.retry, http.is_transient)
    library_retry = providers.ThreadSafeSingleton(
        policies.policy, "library", config.library.retry, policies.is_transient_io)
    whisper_retry = providers.ThreadSafeSingleton(
        policies.policy, "whisper", config.whisper.retry, policies.is_transient_io)

    # Gateways: one per process, built on first use, released by shutdown().
    built = providers.ThreadSafeSingleton(lifecycle.Built)
    engine = providers.ThreadSafeSingleton(
        lifecycle.gateway, built, database.engine, database.dispose, database.forget,
        url=config.database.url,
        data_dir=config.data_dir,
        connect_timeout=config.database.connect_timeout,
        statement_timeout=config.database.statement_timeout,
        pool_size=config.database.pool_size,
    )
    redis = providers.ThreadSafeSingleton(
        lifecycle.gateway, built, redis_gateway.client, redis_gateway.close, redis_gateway.forget,
        url=config.redis.url,
        connect_timeout=config.redis.connect_timeout,
        timeout=config.redis.timeout,
    )
    cablecast_session = providers.ThreadSafeSingleton(
        lifecycle.gateway, built, http.session, http.close, None,
        url=config.cablecast.url, user=config.cablecast.user,
        password=config.cablecast.password,
    )
    celery = providers.ThreadSafeSingleton(
        lifecycle.gateway, built, celery_app.producer, celery_app.close, None, config=config)
    cablecast_timeouts = providers.ThreadSafeSingleton(
        http.Timeouts, connect=config.cablecast.connect_timeout, read=config.cablecast.read_timeout)
    transcriber = providers.ThreadSafeSingleton(
        FasterWhisperTranscriber,
        model=config.whisper.model,
        device=config.whisper.device,
        compute_type=config.whisper.compute_type,
        cpu_threads=config.whisper.cpu_threads,
        beam_size=config.whisper.beam_size,
        batch_size=config.whisper.batch_size,
        language=config.whisper.language,
        vad=config.whisper.vad,
        vad_min_silence_ms=config.whisper.vad_min_silence_ms,
        vad_speech_pad_ms=config.whisper.vad_speech_pad_ms,
        allow_download=config.whisper.allow_download,
        retry=whisper_retry,
    )

    # Adapters over the gateways.
    repository = providers.ThreadSafeSingleton(SqlRepository, engine=engine, retry=database_retry)
    library = providers.ThreadSafeSingleton(
        MountedLibrary, cities=config.library.cities, retry=library_retry)
    job_queue = providers.ThreadSafeSingleton(
        CeleryJobQueue, app=celery,
        prepare=providers.Callable(functools.partial, celery_app.ensure_queue_dirs, config),
        retry=redis_retry)
    vod_platform = providers.ThreadSafeSingleton(
        CablecastClient, session=cablecast_session, base_url=config.cablecast.url,
        timeouts=cablecast_timeouts, retry=cablecast_retry)

    # Health: one probe per gateway; probes never retry.
    probes = providers.List(
        providers.Factory(DatabaseProbe, engine=engine),
        providers.Factory(RedisProbe, client=redis),
        providers.Factory(CablecastProbe, session=cablecast_session,
                          base_url=config.cablecast.url, timeouts=cablecast_timeouts),
        providers.Factory(LibraryProbe, cities=config.library.cities),
        providers.Factory(WhisperProbe, model=config.whisper.model),
    )
    health_report = providers.Factory(run_probes, probes=probes, deadline=config.health.deadline)

    # Services: cheap, one per call.
    caption_settings = providers.ThreadSafeSingleton(caption_settings_from, config.captions)
    captioning = providers.Factory(
        Captioning, repository=repository, transcriber=transcriber, library=library,
        settings=caption_settings)


def build(config: dict[str, Any] | None = None) -> Container:
    """A container over the effective configuration (or `config`, already loaded)."""
    container = Container()
    container.config.from_dict(settings.load() if config is None else config)
    _forked.add(container)
    return container


def shutdown(container: Container) -> None:
    """Close every gateway that was built; the next use builds it anew."""
    _release(container, closing=True)


def _release(container: Container, closing: bool) -> None:
    container.built().release(closing)
    for provider in container.traverse(types=[providers.Singleton, providers.ThreadSafeSingleton]):
        if provider is not container.built:
            provider.reset()


class _ForkedContainers:
    """Containers that must re-initialise their gateways in a child process after fork."""

    def __init__(self) -> None:
        self._containers: weakref.WeakSet[Container] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._hooked = False

    def add(self, container: Container) -> None:
        with self._lock:
            self._containers.add(container)
            if not self._hooked:
                os.register_at_fork(after_in_child=self._after_fork)
                self._hooked = True

    def _after_fork(self) -> None:
        for container in list(self._containers):
            _release(container, closing=False)


_forked = _ForkedContainers()
