"""The composition root: every gateway and service Archivist has, and how each is built.

Read it as a table of contents. Gateways (database engine, Redis client, Cablecast session,
mounted storage, Whisper model) are built once per process on first use and torn down by
`shutdown()`; services are cheap factories that receive ports. Building or wiring the
container connects to nothing and loads nothing.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from dependency_injector import containers, providers

from archivist import __version__
from archivist.adapters.celery_queue import CeleryJobQueue
from archivist.adapters.filesystem import LibraryProbe, MountedLibrary
from archivist.adapters.redis_store import RedisProbe
from archivist.domain.health import run_probes
from archivist.domain.metrics import backlog
from archivist.domain.ports import JobQueue
from archivist.providers import (
    celery_app,
    database,
    http,
    lifecycle,
    policies,
    probe_guard,
    settings,
    startup,
)
from archivist.providers import redis as redis_gateway
from archivist.providers.lazy import lazy

# Standard-library-light adapters above are imported by name. These pull in SQLAlchemy's
# tables, the caption writers or faster-whisper, which the web process must not pay for
# before it needs them (bench/foundation.py measures it): imported on first use.
SqlRepository = lazy("archivist.adapters.sql:SqlRepository")
DatabaseProbe = lazy("archivist.adapters.sql:DatabaseProbe")
Migrations = lazy("archivist.adapters.sql.migrate:Migrations")
CablecastClient = lazy("archivist.adapters.cablecast:CablecastClient")
CablecastPlatform = lazy("archivist.adapters.cablecast:CablecastPlatform")
CablecastProbe = lazy("archivist.adapters.cablecast:CablecastProbe")
Circuit = lazy("archivist.domain.policy:Circuit")
Publisher = lazy("archivist.domain.publishing.publisher:Publisher")
Publications = lazy("archivist.domain.publishing.publications:Publications")
publishing_cities = lazy("archivist.domain.publishing.publications:publishing_cities")
FasterWhisperTranscriber = lazy("archivist.adapters.whisper.adapter:FasterWhisperTranscriber")
WhisperProbe = lazy("archivist.adapters.whisper.adapter:WhisperProbe")
caption_settings_from = lazy("archivist.domain.captions.settings:CaptionSettings.from_config")
Captioning = lazy("archivist.domain.captioning:Captioning")
Jobs = lazy("archivist.domain.jobs.rules:Jobs")
JobPolicy = lazy("archivist.domain.jobs.rules:JobPolicy")
Scanner = lazy("archivist.domain.jobs.scan:Scanner")
# The web app's: search, tokens and staff accounts.
SqlSearch = lazy("archivist.adapters.sql:SqlSearch")
SqlAccess = lazy("archivist.adapters.sql:SqlAccess")
Argon2Passwords = lazy("archivist.adapters.passwords:Argon2Passwords")
Access = lazy("archivist.domain.access.staff:Access")
Catalog = lazy("archivist.domain.catalog:Catalog")
# Live captions: ffmpeg, the streaming recognizer, the session's files, the caption encoder.
FfmpegSource = lazy("archivist.adapters.live.source:FfmpegSource")
WhisperLiveRecognizer = lazy("archivist.adapters.live.recognizer:WhisperLiveRecognizer")
LiveFolder = lazy("archivist.adapters.live.files:LiveFolder")
EegEncoder = lazy("archivist.adapters.encoder.eeg:EegEncoder")
# Monitoring: prometheus-client is imported when the first figure is reported.
PrometheusMetrics = lazy("archivist.adapters.prometheus.metrics:PrometheusMetrics")
Scrape = lazy("archivist.adapters.prometheus.scrape:Scrape")


def worker_name() -> str:
    """host:pid of this process, as jobs record who holds them."""
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"


def queue_depth(queue: JobQueue) -> int:
    """Tickets waiting in the broker (a scrape asks, in a thread of its own)."""
    return queue.depth()


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    # Monitoring: what services report, as Prometheus series (one-off CLI commands override
    # it with NoMetrics). Label values: configured city names, gateway names, outcomes.
    metrics = providers.ThreadSafeSingleton(PrometheusMetrics, cities=config.library.cities)

    # Policies: bounded retries per gateway, from each section's `retry:`.
    database_retry = providers.ThreadSafeSingleton(
        policies.policy, "database", config.database.retry, database.is_transient, metrics)
    redis_retry = providers.ThreadSafeSingleton(
        policies.policy, "redis", config.redis.retry, redis_gateway.is_transient, metrics)
    queue_retry = providers.ThreadSafeSingleton(
        policies.policy, "queue", config.redis.retry, celery_app.is_transient, metrics)
    cablecast_retry = providers.ThreadSafeSingleton(
        policies.policy, "cablecast", config.cablecast.retry, http.is_transient, metrics)
    library_retry = providers.ThreadSafeSingleton(
        policies.policy, "library", config.library.retry, policies.is_transient_io, metrics)
    whisper_retry = providers.ThreadSafeSingleton(
        policies.policy, "whisper", config.whisper.retry, policies.is_transient_io, metrics)

    # Gateways: one per process, built on first use, released by shutdown().
    built = providers.ThreadSafeSingleton(lifecycle.Built)
    engine = providers.ThreadSafeSingleton(
        lifecycle.gateway, built=built,
        build=database.engine, close=database.dispose, forget=database.forget,
        url=config.database.url,
        data_dir=config.data_dir,
        connect_timeout=config.database.connect_timeout,
        statement_timeout=config.database.statement_timeout,
        pool_size=config.database.pool_size,
    )
    redis = providers.ThreadSafeSingleton(
        lifecycle.gateway, built=built,
        build=redis_gateway.client, close=redis_gateway.close, forget=redis_gateway.forget,
        url=config.redis.url,
        connect_timeout=config.redis.connect_timeout,
        timeout=config.redis.timeout,
    )
    cablecast_session = providers.ThreadSafeSingleton(
        lifecycle.gateway, built=built, build=http.session, close=http.close, forget=None,
        url=config.cablecast.url, user=config.cablecast.user,
        password=config.cablecast.password,
    )
    celery = providers.ThreadSafeSingleton(
        lifecycle.gateway, built=built, build=celery_app.producer, close=celery_app.close,
        forget=None, config=config)
    cablecast_timeouts = providers.ThreadSafeSingleton(
        http.Timeouts, connect=config.cablecast.connect_timeout, read=config.cablecast.read_timeout)
    # Opens after repeated failures so callers fail fast (and health says so); per process.
    cablecast_circuit = providers.ThreadSafeSingleton(
        Circuit, threshold=config.cablecast.circuit.threshold,
        cooldown=config.cablecast.circuit.cooldown, name="cablecast", metrics=metrics)
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
        window_seconds=config.whisper.window_seconds,
        punctuation_repair=config.whisper.punctuation_repair,
        vocabulary=config.whisper.vocabulary,
        allow_download=config.whisper.allow_download,
        retry=whisper_retry,
    )

    # Adapters over the gateways.
    repository = providers.ThreadSafeSingleton(SqlRepository, engine=engine, retry=database_retry)
    migrations = providers.Factory(Migrations, engine=engine, retry=database_retry)
    library = providers.ThreadSafeSingleton(
        MountedLibrary, cities=config.library.cities, retry=library_retry,
        extensions=config.library.extensions, list_timeout=config.library.list_timeout)
    job_queue = providers.ThreadSafeSingleton(
        CeleryJobQueue, app=celery, queue=config.worker.queue,
        prepare=providers.Callable(functools.partial, celery_app.ensure_queue_dirs, config),
        retry=queue_retry)
    cablecast = providers.ThreadSafeSingleton(
        CablecastClient, session=cablecast_session, base_url=config.cablecast.url,
        timeouts=cablecast_timeouts, retry=cablecast_retry, deadline=config.cablecast.deadline,
        circuit=cablecast_circuit, page_size=config.cablecast.page_size)
    vod_platform = providers.ThreadSafeSingleton(
        CablecastPlatform, client=cablecast,
        segment_size=config.cablecast.upload.segment_size,
        upload_wait=config.cablecast.upload.wait)

    # Health: one probe per gateway; probes never retry.
    # A gateway that cannot even be built (bad URL, missing driver) is reported down, by name.
    probes = providers.List(
        providers.Factory(probe_guard.built_or_down, "database",
                          providers.Factory(DatabaseProbe, engine=engine).provider),
        providers.Factory(probe_guard.built_or_down, "redis",
                          providers.Factory(RedisProbe, client=redis).provider),
        providers.Factory(probe_guard.built_or_down, "cablecast",
                          providers.Factory(CablecastProbe, session=cablecast_session,
                                            base_url=config.cablecast.url,
                                            timeouts=cablecast_timeouts,
                                            circuit=cablecast_circuit).provider),
        providers.Factory(LibraryProbe, cities=config.library.cities, metrics=metrics),
        providers.Factory(WhisperProbe, model=config.whisper.model),
    )
    health_report = providers.Factory(run_probes, probes=probes, deadline=config.health.deadline,
                                      metrics=metrics)
    # A scrape: the web app's reads the backlog from the database (bounded by
    # health.scrape_timeout); a worker's serves its own and its children's series only.
    scrape = providers.ThreadSafeSingleton(
        Scrape, metrics=metrics, startup=providers.Object(startup.figures),
        version=providers.Object(__version__),
        backlog=providers.Factory(backlog, repository=repository,
                                  cities=config.library.cities).provider,
        depth=providers.Factory(queue_depth, queue=job_queue).provider,
        queue=config.worker.queue, timeout=config.health.scrape_timeout,
        keep=config.health.cache_seconds)
    worker_scrape = providers.ThreadSafeSingleton(
        Scrape, metrics=metrics, startup=providers.Object(startup.figures),
        version=providers.Object(__version__))

    # Services: cheap, one per call.
    caption_settings = providers.ThreadSafeSingleton(caption_settings_from, config.captions)
    captioning = providers.Factory(
        Captioning, transcriber=transcriber, library=library, settings=caption_settings)
    job_policy = providers.ThreadSafeSingleton(
        JobPolicy,
        max_attempts=config.worker.max_attempts,
        heartbeat_seconds=config.worker.heartbeat_seconds,
        stale_after=config.worker.stale_after,
        retry_delay=config.worker.retry_delay,
        time_limit_factor=config.worker.time_limit_factor,
        min_time_limit=config.worker.min_time_limit,
        database_patience=config.worker.database_patience,
    )
    jobs = providers.Factory(
        Jobs, repository=repository, queue=job_queue, library=library, captioning=captioning,
        policy=job_policy, worker=providers.Callable(worker_name), metrics=metrics)
    publisher = providers.Factory(
        Publisher, platform=vod_platform, settings=caption_settings, library=library)
    publications = providers.Factory(
        Publications, repository=repository, library=library, jobs=jobs, publisher=publisher,
        cities=providers.Callable(publishing_cities, config.library.cities),
        enabled=providers.Callable(bool, config.cablecast.url), metrics=metrics)
    scanner = providers.Factory(
        Scanner, library=library, jobs=jobs, formats=config.captions.formats,
        settle_seconds=config.library.settle_seconds, metrics=metrics)

    # The web app: full-text search, API tokens and staff accounts.
    search = providers.ThreadSafeSingleton(SqlSearch, engine=engine, retry=database_retry)
    access_store = providers.ThreadSafeSingleton(SqlAccess, engine=engine, retry=database_retry)
    passwords = providers.ThreadSafeSingleton(Argon2Passwords)
    access = providers.Factory(Access, store=access_store, passwords=passwords)
    catalog = providers.Factory(Catalog, library=library, repository=repository)

    # Live captions (entrypoints/cli/live.py assembles a session): each given its city's part.
    live_folder = providers.Factory(LiveFolder, data_dir=config.data_dir)   # city=
    live_source = providers.Factory(FfmpegSource)                           # source=
    live_recognizer = providers.Factory(                                    # vocabulary=
        WhisperLiveRecognizer, model=transcriber.provided.model, language=config.whisper.language,
        beam_size=config.live.beam_size, max_seconds=config.live.max_seconds)
    caption_encoder = providers.Factory(                                    # host=, port=, ...
        EegEncoder, keep_seconds=config.live.encoder_keep_seconds)


def build(config: dict[str, Any] | None = None) -> Container:
    """A container over the effective configuration (or `config`, already loaded)."""
    container = Container()
    container.config.from_dict(settings.load() if config is None else config)
    _forked.add(container)
    return container


def shutdown(container: Container) -> None:
    """Close every gateway that was built; the next use builds it anew."""
    lifecycle.release(container, closing=True)


_forked = lifecycle.ForkedContainers()
