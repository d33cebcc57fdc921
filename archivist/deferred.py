"""The container's heavier targets, imported when a provider first calls them.

The web process must not pay for SQLAlchemy's tables, the caption writers, prometheus-client or
faster-whisper before it needs them (bench/startup.py measures it), so these are not imported
by name in `containers.py`. Each is a typed loader: mypy follows the import inside it and gives
the stand-in the target's own signature, so a typo or a changed constructor fails `scripts/lint`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from archivist.adapters.cablecast import CablecastClient, CablecastPlatform, CablecastProbe
    from archivist.adapters.prometheus.metrics import PrometheusMetrics
    from archivist.adapters.prometheus.scrape import Scrape
    from archivist.adapters.sql import (
        DatabaseProbe,
        SqlAccess,
        SqlAudit,
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
    from archivist.domain.captioning import Captioning
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.catalog import Catalog
    from archivist.domain.jobs.rules import JobPolicy, Jobs
    from archivist.domain.jobs.scan import Scanner
    from archivist.domain.models import City
    from archivist.domain.publishing.publications import Publications
    from archivist.domain.publishing.publisher import CityPublishing, Publisher
    from archivist.domain.review.apply import Applier
    from archivist.domain.review.hold import ApprovalHold
    from archivist.domain.review.service import Reviews
    from archivist.domain.review.state import PublishWhen

P = ParamSpec("P")
T = TypeVar("T")

# Every loader, so a test can check they all import (mypy checks the names already).
LOADERS: list[Callable[[], object]] = []


def on_first_call(load: Callable[[], Callable[P, T]]) -> Callable[P, T]:
    """A stand-in with the signature of what `load` returns; `load` runs on the first call."""
    loaded: list[Callable[P, T]] = []

    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        if not loaded:  # two threads may both import; the import system makes that harmless
            loaded.append(load())
        return loaded[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = load.__name__
    call.__doc__ = load.__doc__
    LOADERS.append(load)
    return call


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
def sql_live_sessions() -> type[SqlLiveSessions]:
    from archivist.adapters.sql.live import SqlLiveSessions
    return SqlLiveSessions


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


# Services that write captions (they import the caption writers).
@on_first_call
def caption_settings() -> Callable[[dict[str, object]], CaptionSettings]:
    from archivist.domain.captions.settings import CaptionSettings
    return CaptionSettings.from_config


@on_first_call
def captioning() -> type[Captioning]:
    from archivist.domain.captioning import Captioning
    return Captioning


@on_first_call
def job_policy() -> type[JobPolicy]:
    from archivist.domain.jobs.rules import JobPolicy
    return JobPolicy


@on_first_call
def jobs() -> type[Jobs]:
    from archivist.domain.jobs.rules import Jobs
    return Jobs


@on_first_call
def scanner() -> type[Scanner]:
    from archivist.domain.jobs.scan import Scanner
    return Scanner


@on_first_call
def publisher() -> type[Publisher]:
    from archivist.domain.publishing.publisher import Publisher
    return Publisher


@on_first_call
def publications() -> type[Publications]:
    from archivist.domain.publishing.publications import Publications
    return Publications


@on_first_call
def publishing_cities() -> Callable[[object], dict[str, CityPublishing]]:
    from archivist.domain.publishing.publications import publishing_cities
    return publishing_cities


@on_first_call
def catalog() -> type[Catalog]:
    from archivist.domain.catalog import Catalog
    return Catalog


@on_first_call
def cities_that_publish() -> Callable[[object, str], frozenset[str]]:
    from archivist.domain.publishing.publications import cities_that_publish
    return cities_that_publish


# Review: revisions, sign-off, the audit log and learned vocabulary.
@on_first_call
def sql_revisions() -> type[SqlRevisions]:
    from archivist.adapters.sql import SqlRevisions
    return SqlRevisions


@on_first_call
def sql_audit() -> type[SqlAudit]:
    from archivist.adapters.sql import SqlAudit
    return SqlAudit


@on_first_call
def sql_vocabulary() -> type[SqlVocabulary]:
    from archivist.adapters.sql import SqlVocabulary
    return SqlVocabulary


@on_first_call
def applier() -> type[Applier]:
    from archivist.domain.review.apply import Applier
    return Applier


@on_first_call
def reviews() -> type[Reviews]:
    from archivist.domain.review.service import Reviews
    return Reviews


@on_first_call
def approval_hold() -> type[ApprovalHold]:
    from archivist.domain.review.hold import ApprovalHold
    return ApprovalHold


@on_first_call
def publish_rules() -> Callable[[object], dict[str, PublishWhen]]:
    from archivist.domain.review.state import publish_rules
    return publish_rules


@on_first_call
def configured_vocabulary() -> Callable[[Sequence[City]], dict[str, tuple[str, ...]]]:
    from archivist.domain.review.vocabulary import configured
    return configured
