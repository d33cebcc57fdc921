"""Loaders of the domain services the container builds (see `archivist.deferred`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from archivist.deferred import on_first_call

if TYPE_CHECKING:
    from archivist.domain.access.staff import Access
    from archivist.domain.accuracy.service import Accuracy
    from archivist.domain.backlog import Backlog
    from archivist.domain.captioning import Captioning
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.catalog import Catalog
    from archivist.domain.jobs.rules import JobPolicy, Jobs
    from archivist.domain.jobs.scan import Scanner
    from archivist.domain.meetings.archive import Archive, Names
    from archivist.domain.models import City
    from archivist.domain.playback.copies import Playback
    from archivist.domain.policy import Circuit
    from archivist.domain.publishing.publications import Publications
    from archivist.domain.publishing.publisher import CityPublishing, Publisher
    from archivist.domain.review.apply import Applier
    from archivist.domain.review.hold import ApprovalHold
    from archivist.domain.review.service import Reviews
    from archivist.domain.review.state import PublishWhen
    from archivist.domain.spelling import Spelling


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
def spelling() -> type[Spelling]:
    from archivist.domain.spelling import Spelling
    return Spelling


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


# Review: applying revisions, sign-off, learned vocabulary.
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


@on_first_call
def backlog() -> Callable[..., Backlog]:
    from archivist.domain.backlog import backlog
    return backlog


@on_first_call
def accuracy() -> type[Accuracy]:
    from archivist.domain.accuracy.service import Accuracy
    return Accuracy


# Policies, access, the residents' archive, playback.
@on_first_call
def circuit() -> type[Circuit]:
    from archivist.domain.policy import Circuit
    return Circuit


@on_first_call
def access() -> type[Access]:
    from archivist.domain.access.staff import Access
    return Access


@on_first_call
def names() -> type[Names]:
    from archivist.domain.meetings.archive import Names
    return Names


@on_first_call
def archive() -> type[Archive]:
    from archivist.domain.meetings.archive import Archive
    return Archive


@on_first_call
def playback() -> type[Playback]:
    from archivist.domain.playback.copies import Playback
    return Playback
