"""Loaders of the adapters the container builds (see `archivist.deferred`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archivist.deferred import on_first_call

if TYPE_CHECKING:
    from collections.abc import Callable

    from archivist.adapters.browser_copies import FfmpegCopies
    from archivist.adapters.cablecast import CablecastClient, CablecastPlatform, CablecastProbe
    from archivist.adapters.celery_queue import CeleryJobQueue
    from archivist.adapters.checkpoints import QueueCheckpoints
    from archivist.adapters.encoder.eeg import EegEncoder
    from archivist.adapters.filesystem import LibraryProbe, MountedLibrary
    from archivist.adapters.kept_renders import KeptRenders
    from archivist.adapters.live.files import LiveFolder
    from archivist.adapters.live.recognizer import WhisperLiveRecognizer
    from archivist.adapters.live.source import FfmpegSource
    from archivist.adapters.liveness import QueueLiveness
    from archivist.adapters.passwords import Argon2Passwords
    from archivist.adapters.prometheus.metrics import PrometheusMetrics
    from archivist.adapters.prometheus.scrape import Scrape
    from archivist.adapters.redis_store import RedisProbe
    from archivist.adapters.sql import (
        DatabaseProbe,
        SqlAccess,
        SqlAudit,
        SqlMeasures,
        SqlRepository,
        SqlRevisions,
        SqlSearch,
        SqlVocabulary,
    )
    from archivist.adapters.sql.leases import SqlLeases
    from archivist.adapters.sql.live import SqlLiveSessions
    from archivist.adapters.sql.schema import Migrations
    from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
    from archivist.adapters.whisper.probe import WhisperProbe
    from archivist.adapters.whisper.speakers import LiveVoices


# The database: SQLAlchemy Core and the tables.
@on_first_call
def sql_repository() -> type[SqlRepository]:
    from archivist.adapters.sql import SqlRepository
    return SqlRepository


@on_first_call
def sql_search() -> type[SqlSearch]:
    from archivist.adapters.sql import SqlSearch
    return SqlSearch


@on_first_call
def sql_access() -> type[SqlAccess]:
    from archivist.adapters.sql import SqlAccess
    return SqlAccess


@on_first_call
def sql_leases() -> type[SqlLeases]:
    from archivist.adapters.sql.leases import SqlLeases
    return SqlLeases


@on_first_call
def database_probe() -> type[DatabaseProbe]:
    from archivist.adapters.sql import DatabaseProbe
    return DatabaseProbe


@on_first_call
def migrations() -> type[Migrations]:
    from archivist.adapters.sql.schema import Migrations
    return Migrations


# Cablecast over HTTP.
@on_first_call
def cablecast_client() -> type[CablecastClient]:
    from archivist.adapters.cablecast import CablecastClient
    return CablecastClient


@on_first_call
def cablecast_platform() -> type[CablecastPlatform]:
    from archivist.adapters.cablecast import CablecastPlatform
    return CablecastPlatform


@on_first_call
def cablecast_probe() -> type[CablecastProbe]:
    from archivist.adapters.cablecast import CablecastProbe
    return CablecastProbe


# faster-whisper.
@on_first_call
def whisper_transcriber() -> type[FasterWhisperTranscriber]:
    from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
    return FasterWhisperTranscriber


@on_first_call
def installed_models() -> Callable[[str], list[str]]:
    from archivist.adapters.whisper.models import installed_names
    return installed_names


@on_first_call
def whisper_probe() -> type[WhisperProbe]:
    from archivist.adapters.whisper.probe import WhisperProbe
    return WhisperProbe


# Monitoring: prometheus-client.
@on_first_call
def prometheus_metrics() -> type[PrometheusMetrics]:
    from archivist.adapters.prometheus.metrics import PrometheusMetrics
    return PrometheusMetrics


@on_first_call
def scrape() -> type[Scrape]:
    from archivist.adapters.prometheus.scrape import Scrape
    return Scrape


# Review: revisions, sign-off, the audit log and learned vocabulary.
@on_first_call
def sql_live_sessions() -> type[SqlLiveSessions]:
    from archivist.adapters.sql.live import SqlLiveSessions
    return SqlLiveSessions


@on_first_call
def sql_revisions() -> type[SqlRevisions]:
    from archivist.adapters.sql import SqlRevisions
    return SqlRevisions


@on_first_call
def sql_measures() -> type[SqlMeasures]:
    from archivist.adapters.sql import SqlMeasures
    return SqlMeasures


@on_first_call
def sql_audit() -> type[SqlAudit]:
    from archivist.adapters.sql import SqlAudit
    return SqlAudit


@on_first_call
def sql_vocabulary() -> type[SqlVocabulary]:
    from archivist.adapters.sql import SqlVocabulary
    return SqlVocabulary


# Mounted storage, ffmpeg, Redis and Celery, passwords.
@on_first_call
def mounted_library() -> type[MountedLibrary]:
    from archivist.adapters.filesystem import MountedLibrary
    return MountedLibrary


@on_first_call
def library_probe() -> type[LibraryProbe]:
    from archivist.adapters.filesystem import LibraryProbe
    return LibraryProbe


@on_first_call
def ffmpeg_copies() -> type[FfmpegCopies]:
    from archivist.adapters.browser_copies import FfmpegCopies
    return FfmpegCopies


@on_first_call
def celery_job_queue() -> type[CeleryJobQueue]:
    from archivist.adapters.celery_queue import CeleryJobQueue
    return CeleryJobQueue


@on_first_call
def queue_liveness() -> type[QueueLiveness]:
    from archivist.adapters.liveness import QueueLiveness
    return QueueLiveness


@on_first_call
def kept_renders() -> type[KeptRenders]:
    from archivist.adapters.kept_renders import KeptRenders
    return KeptRenders


@on_first_call
def queue_checkpoints() -> type[QueueCheckpoints]:
    from archivist.adapters.checkpoints import QueueCheckpoints
    return QueueCheckpoints


@on_first_call
def redis_probe() -> type[RedisProbe]:
    from archivist.adapters.redis_store import RedisProbe
    return RedisProbe


@on_first_call
def argon2_passwords() -> type[Argon2Passwords]:
    from archivist.adapters.passwords import Argon2Passwords
    return Argon2Passwords


# Live captions.
@on_first_call
def live_folder() -> type[LiveFolder]:
    from archivist.adapters.live.files import LiveFolder
    return LiveFolder


@on_first_call
def ffmpeg_source() -> type[FfmpegSource]:
    from archivist.adapters.live.source import FfmpegSource
    return FfmpegSource


@on_first_call
def whisper_live_recognizer() -> type[WhisperLiveRecognizer]:
    from archivist.adapters.live.recognizer import WhisperLiveRecognizer
    return WhisperLiveRecognizer


@on_first_call
def live_voices() -> type[LiveVoices]:
    from archivist.adapters.whisper.speakers import LiveVoices
    return LiveVoices


@on_first_call
def eeg_encoder() -> type[EegEncoder]:
    from archivist.adapters.encoder.eeg import EegEncoder
    return EegEncoder
