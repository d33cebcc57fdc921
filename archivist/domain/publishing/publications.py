"""Publishing captioned recordings to Cablecast: which city publishes how, what is due,
and what became of each recording, kept in the database."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from archivist.domain import logcontext
from archivist.domain.errors import ArchivistError, Conflict, NotFound
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Job, Publication, PublicationState
from archivist.domain.ports import Leases, MediaLibrary, Repository
from archivist.domain.publishing.publisher import CityPublishing, Publisher
from archivist.domain.recordings import recording_at

log = logging.getLogger("archivist.publications")


def publishing_cities(cities: Any) -> dict[str, CityPublishing]:
    """Each city's `cablecast:` settings from `library.cities`; cities without one are left out."""
    chosen: dict[str, CityPublishing] = {}
    for entry in cities or []:
        if isinstance(entry, Mapping) and entry.get("name"):
            found = CityPublishing.from_config(entry.get("cablecast"))
            if found is not None:
                chosen[str(entry["name"])] = found
    return chosen


def cities_that_publish(cities: Any, cablecast_url: str) -> frozenset[str]:
    """The cities whose finished jobs go on to Cablecast (none while Cablecast is not set)."""
    return frozenset(publishing_cities(cities)) if cablecast_url else frozenset()


class Publications:
    """Publishes a recording (by path or by its finished job) and keeps the result."""

    def __init__(self, repository: Repository, library: MediaLibrary,
                 publisher: Publisher, cities: Mapping[str, CityPublishing],
                 enabled: bool, metrics: Metrics | None = None, leases: Leases | None = None,
                 lease_seconds: float = 900.0,
                 held: Callable[[int, str], bool] | None = None) -> None:
        self._repo = repository
        self._library = library
        self._publisher = publisher
        self._cities = dict(cities)
        self._enabled = enabled
        self._metrics = metrics or NoMetrics()
        self._leases = leases   # None: this process alone publishes (unit tests)
        self._lease_seconds = lease_seconds
        # True for a recording whose city publishes approved captions only, not yet approved.
        self._awaiting_approval = held or (lambda recording_id, city: False)

    def publishes(self, city: str) -> bool:
        """True when Cablecast is configured and this city has publishing settings."""
        return self._enabled and city in self._cities

    def publish_path(self, path: Path, show_id: int | None = None) -> Publication:
        """Publish a captioned recording given by its path (the CLI and staff)."""
        city = self._library.city_of(path)
        if city is None:
            raise ArchivistError(f"{path}: not on any city's mount (library.cities)")
        recording = recording_at(self._repo, self._library, Path(path), city.name)
        assert recording.id is not None
        return self._publish(recording.id, Path(path), city.name, show_id)

    def publish_recording(self, recording_id: int, show_id: int | None = None) -> Publication:
        """Publish a recording by its id, at the file its latest job captioned (staff's button)."""
        latest = self._repo.latest_job(recording_id)
        recording = self._repo.recording(recording_id)
        if recording is None:
            raise NotFound(f"recording {recording_id} does not exist")
        path = latest.path if latest is not None and latest.path else recording.path
        city = (latest.city if latest is not None else "") or recording.city
        with logcontext.bound(recording=recording_id, city=city or None):
            return self._publish(recording_id, Path(path), city, show_id)

    def publish_job(self, job: Job) -> Publication | None:
        """Publish the recording of a finished job, if its city publishes (the worker)."""
        if not self.publishes(job.city) or job.path is None \
                or self._awaiting_approval(job.recording_id, job.city):
            return None
        with logcontext.bound(job_id=job.id, recording=job.recording_id, city=job.city or None):
            return self._publish(job.recording_id, job.path, job.city, None)

    def catch_up(self, limit: int = 20) -> list[Publication]:
        """Publish what is due: never published, failed, or waiting for its VOD."""
        if not self._enabled:
            return []
        done = []
        for job in self._repo.publications_due(list(self._cities), limit):
            try:
                published = self.publish_job(job)
            except Conflict as exc:   # being published right now by someone else
                log.info("publishing skipped", extra={"job_id": job.id, "reason": str(exc)})
                continue
            if published is not None:
                done.append(published)
        return done

    def _publish(self, recording_id: int, path: Path, city: str,
                 show_id: int | None) -> Publication:
        if not self._enabled:
            raise ArchivistError("publishing is off: set cablecast.url (and its user and password)")
        settings = self._cities.get(city)
        if settings is None:
            raise ArchivistError(f"{city} does not publish: give it a `cablecast:` section in "
                                 "library.cities")
        transcript = self._repo.transcript(recording_id)
        if transcript is None:
            raise NotFound(f"{path}: not captioned yet, nothing to publish")
        with self._held(recording_id):
            return self._publish_held(recording_id, path, city, settings, transcript, show_id)

    @contextmanager
    def _held(self, recording_id: int) -> Iterator[None]:
        """One publish of a recording at a time, across every process of the station: two at
        once would each add the chapters the other has not yet written."""
        if self._leases is None:
            yield
            return
        name = f"publish:{recording_id}"
        me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        holder = self._leases.take(name, me, self._lease_seconds)
        if holder is not None:
            raise Conflict(f"recording {recording_id} is being published now ({holder}); "
                           "try again when that finishes")
        try:
            yield
        finally:
            self._leases.release(name, me)

    def _publish_held(self, recording_id: int, path: Path, city: str, settings: CityPublishing,
                      transcript: Any, show_id: int | None) -> Publication:
        stored = self._repo.publication(recording_id)
        previous, chosen = stored if stored else (None, None)
        chosen = show_id if show_id is not None else chosen
        publication = self._publisher.publish(path, settings, transcript=transcript,
                                              show_id=chosen, previous=previous)
        if publication.state is PublicationState.FAILED and previous is not None \
                and not publication.chapters:
            # Keep what the last good publication knew (its chapter ids) for the next attempt.
            publication = replace(publication, chapters=previous.chapters)
        self._metrics.publication_done(city, str(publication.state))
        self._repo.save_publication(recording_id, publication, chosen_show_id=chosen)
        log.info("publication saved", extra={"recording": recording_id,
                                             "state": str(publication.state),
                                             "show": publication.show_id})
        return publication
