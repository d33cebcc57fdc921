"""The composition root: every gateway and service Archivist has, and how each is built.

Read it as a table of contents. Gateways (database engine, Redis client, Cablecast session,
mounted storage, Whisper model) are built once per process on first use and torn down by
`shutdown()`; services are cheap factories that receive ports. Building or wiring the
container connects to nothing and loads nothing.
"""

from __future__ import annotations

import functools
import operator
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers, wiring

from archivist import __version__
from archivist.deferred import adapters, domain
from archivist.domain.health import run_probes
from archivist.providers import (
    celery_app,
    database,
    http,
    lifecycle,
    policies,
    probe_guard,
    settings,
    startup,
    stopping,
    tasks,
)
from archivist.providers import redis as redis_gateway

if TYPE_CHECKING:
    from archivist.domain.ports import JobQueue


def _not_ours(member: object) -> bool:
    """What wiring need not look into: only Archivist's own functions take `Provide[...]`.

    Left alone, wiring reads the signature of every method of every class a view module
    imports (Flask, Blueprint, Path, ...): most of the web app's start-up time.
    """
    return isinstance(member, type) or not getattr(member, "__module__", "").startswith("archivist")


wiring.INSPECT_EXCLUSION_FILTERS.append(_not_ours)


def worker_name() -> str:
    """host:pid of this process, as jobs record who holds them."""
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"


def checkpoint_dir(data_dir: str) -> Path:
    """Where interrupted transcriptions keep what they decoded (domain/jobs/checkpoints.py)."""
    return Path(data_dir) / "checkpoints"


def rendered_dir(data_dir: str) -> Path:
    """What each recording's last render kept, for the next in any process."""
    return Path(data_dir) / "rendered"


def copies_folder(data_dir: str) -> str:
    """Where browser copies of recordings are kept."""
    return os.path.join(data_dir, "browser-copies")


def gigabytes(n: float) -> int:
    return int(float(n) * 1024 ** 3)


def city_name_patterns(cities: Any) -> dict[str, str]:
    """Each city's own `name_pattern`, where it has one."""
    return {str(c["name"]): str(c["name_pattern"]) for c in cities or ()
            if isinstance(c, dict) and c.get("name_pattern")}


def hours(n: float) -> float:
    return float(n) * 3600


def queue_depth(queue: JobQueue) -> int:
    """Tickets waiting in the broker (a scrape asks, in a thread of its own)."""
    return queue.depth()


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    # Monitoring: what services report, as Prometheus series (one-off CLI commands override
    # it with NoMetrics). Label values: configured city names, gateway names, outcomes.
    metrics = providers.ThreadSafeSingleton(adapters.prometheus_metrics, cities=config.library.cities)

    # Policies: bounded retries per gateway, from each section's `retry:`.
    database_retry = providers.ThreadSafeSingleton(
        policies.policy, "database", config.database.retry, database.is_transient, metrics)
    queue_retry = providers.ThreadSafeSingleton(
        policies.policy, "queue", config.redis.retry, celery_app.is_transient, metrics)
    cablecast_retry = providers.ThreadSafeSingleton(
        policies.policy, "cablecast", config.cablecast.retry, http.is_transient, metrics)
    library_retry = providers.ThreadSafeSingleton(
        policies.policy, "library", config.library.retry, policies.is_transient_io, metrics)
    whisper_retry = providers.ThreadSafeSingleton(
        policies.policy, "whisper", config.whisper.retry, policies.is_transient_io, metrics)

    # Gateways: one per process, built on first use, closed by shutdown(), forgotten after fork.
    engine = providers.ThreadSafeSingleton(providers.Resource(
        lifecycle.gateway, build=database.engine, close=database.dispose, forget=database.forget,
        url=config.database.url,
        data_dir=config.data_dir,
        connect_timeout=config.database.connect_timeout,
        statement_timeout=config.database.statement_timeout,
        pool_size=config.database.pool_size,
    ))
    redis = providers.ThreadSafeSingleton(providers.Resource(
        lifecycle.gateway,
        build=redis_gateway.client, close=redis_gateway.close, forget=redis_gateway.forget,
        url=config.redis.url,
        connect_timeout=config.redis.connect_timeout,
        timeout=config.redis.timeout,
    ))
    cablecast_session = providers.ThreadSafeSingleton(providers.Resource(
        lifecycle.gateway, build=http.session, close=http.close, forget=None,
        url=config.cablecast.url, user=config.cablecast.user,
        password=config.cablecast.password,
    ))
    celery = providers.ThreadSafeSingleton(providers.Resource(
        lifecycle.gateway, build=celery_app.producer, close=celery_app.close, forget=None,
        config=config))
    cablecast_timeouts = providers.ThreadSafeSingleton(
        http.Timeouts, connect=config.cablecast.connect_timeout, read=config.cablecast.read_timeout)
    # Opens after repeated failures so callers fail fast (and health says so); per process.
    cablecast_circuit = providers.ThreadSafeSingleton(
        domain.circuit, threshold=config.cablecast.circuit.threshold,
        cooldown=config.cablecast.circuit.cooldown, name="cablecast", metrics=metrics)
    transcriber = providers.ThreadSafeSingleton(
        adapters.whisper_transcriber,
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
        recover_skipped=config.whisper.recover_skipped,
        vocabulary=config.whisper.vocabulary,
        allow_download=config.whisper.allow_download,
        retry=whisper_retry,
        data_dir=config.data_dir,
        models_loaded=config.whisper.models_loaded,
        music_min_seconds=config.whisper.music_min_seconds,
        speaker_changes=config.whisper.speaker_changes,
        speaker_change_threshold=config.whisper.speaker_change_threshold,
    )

    # Adapters over the gateways.
    repository = providers.ThreadSafeSingleton(adapters.sql_repository, engine=engine, retry=database_retry)
    migrations = providers.Factory(adapters.migrations, engine=engine, retry=database_retry)
    # Review's: revisions and sign-off, the audit log, names staff taught each city.
    revisions = providers.ThreadSafeSingleton(
        adapters.sql_revisions, engine=engine, retry=database_retry)
    measures = providers.ThreadSafeSingleton(adapters.sql_measures, engine=engine, retry=database_retry)
    audit_log = providers.ThreadSafeSingleton(adapters.sql_audit, engine=engine, retry=database_retry)
    learned_vocabulary = providers.ThreadSafeSingleton(
        adapters.sql_vocabulary, engine=engine, retry=database_retry)
    review_rules = providers.ThreadSafeSingleton(domain.publish_rules, config.library.cities)
    library = providers.ThreadSafeSingleton(
        adapters.mounted_library, cities=config.library.cities, retry=library_retry,
        extensions=config.library.extensions, list_timeout=config.library.list_timeout,
        io_timeout=config.library.io_timeout)
    job_queue = providers.ThreadSafeSingleton(
        adapters.celery_job_queue, app=celery, queue=config.worker.queue,
        prepare=providers.Callable(functools.partial, celery_app.ensure_queue_dirs, config),
        retry=queue_retry, tasks=providers.Object(tasks.QUEUE_SENDS),
        deadline=config.worker.enqueue_timeout)
    liveness = providers.ThreadSafeSingleton(
        adapters.queue_liveness, client=redis,
        folder=providers.Callable(celery_app.liveness_dir, config.data_dir),
        queue=config.worker.queue)
    # The Whisper models this machine has, by name (what staff may choose for "Caption again").
    installed_models = providers.Callable(adapters.installed_models, config.data_dir)
    kept_renders = providers.ThreadSafeSingleton(
        adapters.kept_renders, folder=providers.Callable(rendered_dir, config.data_dir))
    checkpoints = providers.ThreadSafeSingleton(
        adapters.queue_checkpoints, client=redis,
        folder=providers.Callable(checkpoint_dir, config.data_dir), queue=config.worker.queue)
    cablecast = providers.ThreadSafeSingleton(
        adapters.cablecast_client, session=cablecast_session, base_url=config.cablecast.url,
        timeouts=cablecast_timeouts, retry=cablecast_retry, deadline=config.cablecast.deadline,
        circuit=cablecast_circuit, page_size=config.cablecast.page_size)
    vod_platform = providers.ThreadSafeSingleton(
        adapters.cablecast_platform, client=cablecast,
        segment_size=config.cablecast.upload.segment_size,
        upload_wait=config.cablecast.upload.wait)

    # Health: one probe per gateway; probes never retry.
    # A gateway that cannot even be built (bad URL, missing driver) is reported down, by name.
    probes = providers.List(
        providers.Factory(probe_guard.built_or_down, "database",
                          providers.Factory(adapters.database_probe, engine=engine).provider),
        providers.Factory(probe_guard.built_or_down, "redis",
                          providers.Factory(adapters.redis_probe, client=redis).provider),
        providers.Factory(probe_guard.built_or_down, "cablecast",
                          providers.Factory(adapters.cablecast_probe, session=cablecast_session,
                                            base_url=config.cablecast.url,
                                            timeouts=cablecast_timeouts,
                                            circuit=cablecast_circuit).provider),
        providers.Factory(adapters.library_probe, cities=config.library.cities, metrics=metrics),
        providers.Factory(adapters.whisper_probe, model=config.whisper.model, data_dir=config.data_dir,
                          allow_download=config.whisper.allow_download,
                          cities=config.library.cities),
    )
    health_report = providers.Factory(run_probes, probes=probes, deadline=config.health.deadline,
                                      metrics=metrics)
    # Accuracy: the machine's words against a person's (approved revisions, CART files).
    accuracy = providers.Factory(domain.accuracy, measures=measures, revisions=revisions,
                                 library=library, repository=repository)
    # A scrape: the web app's reads the backlog from the database (bounded by
    # health.scrape_timeout); a worker's serves its own and its children's series only.
    scrape = providers.ThreadSafeSingleton(
        adapters.scrape, metrics=metrics, startup=providers.Object(startup.figures),
        version=providers.Object(__version__),
        backlog=providers.Factory(domain.backlog, repository=repository,
                                  cities=config.library.cities,
                                  accuracy=accuracy.provided.cities).provider,
        depth=providers.Factory(queue_depth, queue=job_queue).provider,
        queue=config.worker.queue, timeout=config.health.scrape_timeout,
        keep=config.health.cache_seconds)
    worker_scrape = providers.ThreadSafeSingleton(
        adapters.scrape, metrics=metrics, startup=providers.Object(startup.figures),
        version=providers.Object(__version__))

    # Services: cheap, one per call.
    caption_settings = providers.ThreadSafeSingleton(domain.caption_settings, config.captions)
    captioning = providers.Factory(
        domain.captioning, transcriber=transcriber, library=library, settings=caption_settings,
        spelling=config.captions.spelling, vocabulary=config.whisper.vocabulary)
    # How words are spelt (captions.spelling); the caller gives the vocabulary whose names
    # keep the spelling they were typed in.
    spelling = providers.Factory(domain.spelling, spelling=config.captions.spelling)
    job_policy = providers.ThreadSafeSingleton(
        domain.job_policy,
        max_attempts=config.worker.max_attempts,
        heartbeat_seconds=config.worker.heartbeat_seconds,
        stale_after=config.worker.stale_after,
        retry_delay=config.worker.retry_delay,
        time_limit_factor=config.worker.time_limit_factor,
        min_time_limit=config.worker.min_time_limit,
        database_patience=config.worker.database_patience,
        checkpoint_every=config.worker.checkpoint_every,
    )
    jobs = providers.Factory(
        domain.jobs, repository=repository, queue=job_queue, library=library, captioning=captioning,
        policy=job_policy, worker=providers.Callable(worker_name), metrics=metrics,
        publishing_cities=providers.Callable(domain.cities_that_publish, config.library.cities,
                                             config.cablecast.url),
        liveness=liveness, checkpoints=checkpoints, learned=learned_vocabulary,
        stopping=providers.Object(stopping.requested), kept=kept_renders)
    publisher = providers.Factory(
        domain.publisher, platform=vod_platform, settings=caption_settings, library=library)
    # One publish of a recording at a time, station-wide.
    leases = providers.ThreadSafeSingleton(adapters.sql_leases, engine=engine, retry=database_retry)
    publications = providers.Factory(
        domain.publications, repository=repository, library=library, publisher=publisher,
        cities=providers.Callable(domain.publishing_cities, config.library.cities),
        enabled=providers.Callable(bool, config.cablecast.url), metrics=metrics,
        leases=leases, lease_seconds=config.cablecast.publish_lease,
        held=providers.Factory(domain.approval_hold, revisions=revisions, rules=review_rules))
    scanner = providers.Factory(
        domain.scanner, library=library, jobs=jobs, formats=config.captions.formats,
        settle_seconds=config.library.settle_seconds, metrics=metrics, accuracy=accuracy)

    # The web app: full-text search, API tokens and staff accounts.
    search = providers.ThreadSafeSingleton(adapters.sql_search, engine=engine, retry=database_retry)
    access_store = providers.ThreadSafeSingleton(adapters.sql_access, engine=engine, retry=database_retry)
    passwords = providers.ThreadSafeSingleton(adapters.argon2_passwords)
    access = providers.Factory(domain.access, store=access_store, passwords=passwords)
    catalog = providers.Factory(domain.catalog, library=library, repository=repository)
    # Residents' archive: meetings named from their files, kept a while per city.
    meeting_names = providers.ThreadSafeSingleton(
        domain.names, default=config.library.name_pattern,
        cities=providers.Callable(city_name_patterns, config.library.cities))
    archive = providers.ThreadSafeSingleton(domain.archive, index=repository, names=meeting_names)
    # Playback: browser copies (ffmpeg) of recordings a browser cannot play, under a cap.
    browser_copies = providers.ThreadSafeSingleton(
        adapters.ffmpeg_copies, folder=providers.Callable(copies_folder, config.data_dir),
        make_seconds=providers.Callable(hours, config.worker.max_job_hours))
    playback = providers.Factory(
        domain.playback, copies=browser_copies, repository=repository, library=library,
        cap_bytes=providers.Callable(gigabytes, config.web.proxy_cache_gb),
        queue=job_queue.provider)

    # Review: revisions and sign-off applied to every output; learned names.
    applier = providers.Factory(
        domain.applier, revisions=revisions, repository=repository, library=library,
        settings=caption_settings, publications=publications, rules=review_rules,
        formats=config.captions.formats, metrics=metrics, kept=kept_renders)
    reviews = providers.Factory(
        domain.reviews, revisions=revisions, applier=applier, vocabulary=learned_vocabulary,
        accuracy=accuracy,
        configured=providers.Factory(domain.configured_vocabulary,
                                     providers.Callable(operator.methodcaller("cities"), library)))

    # Live captions (entrypoints/cli/live.py assembles a session): each given its city's part.
    # Standard library only until used: numpy and faster-whisper load on the first decode.
    live_folder = providers.Factory(adapters.live_folder, data_dir=config.data_dir)   # city=
    live_source = providers.Factory(adapters.ffmpeg_source)                           # source=
    live_recognizer = providers.Factory(                                    # vocabulary=
        adapters.whisper_live_recognizer, model=transcriber.provided.model, language=config.whisper.language,
        beam_size=config.live.beam_size, max_seconds=config.live.max_seconds,
        window_seconds=config.live.window_seconds)
    # Speaker changes heard live (live.speaker_changes): the transcriber's own detector and
    # threshold (on the dev corpus, the first second of the new voice does nearly as well).
    live_voices = providers.Factory(
        adapters.live_voices, threshold=config.whisper.speaker_change_threshold)
    caption_encoder = providers.Factory(                                    # host=, port=, ...
        adapters.eeg_encoder, keep_seconds=config.live.encoder_keep_seconds)
    # Afterwards: sessions' transcripts kept for search, and the recordings they became.
    live_sessions = providers.ThreadSafeSingleton(
        adapters.sql_live_sessions, engine=engine, retry=database_retry)


def build(config: dict[str, Any] | None = None) -> Container:
    """A container over the effective configuration (or `config`, already loaded)."""
    container = Container()
    container.config.from_dict(settings.load() if config is None else config)
    _forked.add(container)
    return container


def shutdown(container: Container) -> None:
    """Close every gateway that was built; the next use builds it anew."""
    lifecycle.shutdown(container)


_forked = lifecycle.ForkedContainers()
