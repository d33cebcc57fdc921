"""Applying a revision: every output made from the current transcript, so files, search and
Cablecast never disagree with the database.

Saving a revision marks its steps pending in the same transaction (search is updated there
too); `apply` then writes the caption files in the mount and re-publishes to Cablecast, and
records what is still pending, which the worker's schedule retries until done. Applying what
is already applied changes nothing: a file already holding the same text is not written again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archivist.domain import rendered
from archivist.domain.captions.guards import clean
from archivist.domain.errors import ArchivistError, GatewayUnavailable, MediaError, NotFound
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Recording, Transcript
from archivist.domain.review.revisions import Revision
from archivist.domain.review.state import PublishWhen, Review

if TYPE_CHECKING:
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.ports import MediaLibrary, Repository
    from archivist.domain.publishing.publications import Publications
    from archivist.domain.review.ports import Revisions

log = logging.getLogger("archivist.review")

CAPTIONS, CABLECAST = "captions", "cablecast"
STEPS = (CAPTIONS, CABLECAST)


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a revision did: each output `done`, `pending` (to be retried) or, for
    Cablecast, `not_published` (the city does not publish, or waits for approval)."""

    revision: int
    captions: str = "done"
    cablecast: str = "not_published"
    problems: tuple[str, ...] = ()
    written: tuple[Path, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, object]:
        return {"captions": self.captions, "search": "done", "cablecast": self.cablecast,
                "problems": list(self.problems)}


class Applier:
    """Brings every output in step with a recording's current revision."""

    def __init__(self, revisions: Revisions, repository: Repository, library: MediaLibrary,
                 settings: CaptionSettings, publications: Publications,
                 rules: Mapping[str, PublishWhen], formats: Sequence[str],
                 metrics: Metrics | None = None, kept: rendered.Store | None = None) -> None:
        self._revisions = revisions
        self._repo = repository
        self._library = library
        self._settings = settings
        self._publications = publications
        self._rules = dict(rules)
        self._formats = list(formats)
        self._metrics = metrics or NoMetrics()
        self._kept = kept   # what the recording's last render used, in whichever process

    def keeping(self, recording_id: int) -> AbstractContextManager[rendered.Kept]:
        """A block whose renders reuse what the recording's last render kept (and keep what
        they use): a save stores the revision's JSON and renders its files inside one."""
        return rendered.kept_for(self._kept, recording_id)

    def publish_when(self, city: str) -> PublishWhen:
        return self._rules.get(city, PublishWhen.ON_CAPTION)

    def publishes(self, city: str) -> bool:
        return self._publications.publishes(city)

    def city_of(self, recording_id: int) -> str:
        """The city of a recording (its latest job's, else its own)."""
        latest = self._repo.latest_job(recording_id)
        recording = self._repo.recording(recording_id)
        return (latest.city if latest is not None else "") or (recording.city if recording else "")

    def steps_for_save(self, city: str) -> tuple[str, ...]:
        """What a new revision has to bring in step (Cablecast only when it gets this one)."""
        if self._publications.publishes(city) \
                and self.publish_when(city) is PublishWhen.ON_CAPTION:
            return STEPS
        return (CAPTIONS,)

    def apply(self, recording_id: int, saved: Revision | None = None) -> Applied:
        """Do the pending steps of the recording's current revision; record what is left.

        `saved`: the revision just saved, with its transcript (spares reading it back).
        """
        review = self._revisions.review(recording_id)
        if review is None:
            raise NotFound(f"recording {recording_id} has no transcript")
        if not review.pending:
            return self.status(review)
        revision = saved if saved is not None and saved.number == review.revision \
            and saved.transcript is not None \
            else self._revisions.revision(recording_id, review.revision)
        recording = self._repo.recording(recording_id)
        if revision is None or revision.transcript is None or recording is None:
            raise NotFound(f"recording {recording_id} has no revision {review.revision}")
        media, city = self._media(recording_id, recording)
        left: list[str] = []
        problems: list[str] = []
        written: list[Path] = []
        if CAPTIONS in review.pending:
            try:
                written = self._write(recording_id, revision.transcript, media, city)
            except (ArchivistError, OSError) as exc:
                left.append(CAPTIONS)
                problems.append(f"caption files not written: {exc}")
        if CABLECAST in review.pending:
            problem = self._publish(recording_id, city)
            if problem is not None:
                left.append(CABLECAST)
                problems.append(problem)
        stored = self._revisions.set_pending(recording_id, review.revision, left, problems)
        log.info("revision applied", extra={"recording": recording_id, "revision": review.revision,
                                            "written": len(written), "pending": ",".join(left),
                                            "current": stored})
        done = Review(recording_id, review.revision, review.state, review.approved_by,
                      review.approved_at, review.approved_revision, tuple(left), tuple(problems))
        return self.status(done, city, written)

    def _media(self, recording_id: int, recording: Recording) -> tuple[Path, str]:
        """The media file the captions go beside, and its city (the latest job's, else the
        recording's)."""
        latest = self._repo.latest_job(recording_id)
        media = Path(latest.path if latest is not None and latest.path else recording.path)
        return media, (latest.city if latest is not None else "") or recording.city

    def status(self, review: Review, city: str | None = None,
               written: Sequence[Path] = ()) -> Applied:
        """What the outputs of a review's current revision are (nothing is done)."""
        if city is None:
            recording = self._repo.recording(review.recording_id)
            city = recording.city if recording is not None else ""
        if CABLECAST in review.pending:
            cablecast = "pending"
        elif not self._publications.publishes(city) or (
                self.publish_when(city) is PublishWhen.ON_APPROVAL
                and not review.approved_current):
            cablecast = "not_published"
        else:
            cablecast = "done"
        return Applied(review.revision, "pending" if CAPTIONS in review.pending else "done",
                       cablecast, review.problems, tuple(written))

    def retry_pending(self, limit: int = 20) -> list[Applied]:
        """Apply again what is still pending (the worker's schedule runs this)."""
        done = []
        for review in self._revisions.pending_reviews(limit):
            try:
                done.append(self.apply(review.recording_id))
            except ArchivistError as exc:
                log.warning("applying failed", extra={"recording": review.recording_id,
                                                      "reason": str(exc)})
        return done

    def _write(self, recording_id: int, transcript: Transcript, media: Path,
               city: str) -> list[Path]:
        """Write each file whose text changed (atomically); the others are left alone.

        A folder that is not there is a mount away: nothing is written (never a new folder
        under the mount point), and the step stays pending. The render reuses what the
        recording's last render kept (the worker's, or the last save's, in any process), so
        it computes only what a correction changed.
        """
        if not self._library.exists(media.parent):
            raise GatewayUnavailable("library", f"{media.parent} is not reachable")
        from archivist.domain.captioning import caption_files

        with rendered.kept_for(self._kept, recording_id):
            texts, _ = caption_files(clean(transcript), media, self._formats, self._settings)
        written = []
        for path, text in texts.items():
            if self._holds(path, text):
                continue
            written.append(self._library.write_sidecar(path, text))
            suffix = path.name.rsplit(".", 1)[-1]
            self._metrics.captions_written(city, suffix)
        return written

    def _publish(self, recording_id: int, city: str) -> str | None:
        """Re-publish to Cablecast; None when done, else why it must be tried again."""
        from archivist.domain.models import PublicationState

        if not self._publications.publishes(city):
            return None
        try:
            publication = self._publications.publish_recording(recording_id)
        except ArchivistError as exc:
            return f"Cablecast not updated: {exc}"
        if publication.state is PublicationState.FAILED:
            return f"Cablecast not updated: {publication.error}"
        return None

    def _holds(self, path: Path, text: str) -> bool:
        """True when the file at `path` already holds exactly `text`."""
        try:
            return self._library.read_text(path) == text
        except MediaError:
            return False
