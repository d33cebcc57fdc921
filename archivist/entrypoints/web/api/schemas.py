"""The API's request and response shapes (marshmallow): they validate what comes in, shape
what goes out, and are the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from apiflask import Schema, fields, validators
from marshmallow import ValidationError

from archivist.domain.captions import FORMATS
from archivist.domain.models import JobState

STATES = [str(s) for s in JobState]
MAX_PAGE = 500


class Error(Schema):
    code = fields.Integer(required=True)
    name = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "What was wrong, for a person."})
    detail = fields.Dict(metadata={"description": "Which fields were wrong, and why."})


class ErrorBody(Schema):
    error = fields.Nested(Error, required=True)


# Jobs

class JobIn(Schema):
    path = fields.String(required=True, validate=validators.Length(1, 4096), metadata={
        "description": "The recording: an absolute path inside a city's mount, or a path "
                       "relative to the mount of `city`.",
        "example": "/mnt/flex-3/Council (20261103).mp4"})
    city = fields.String(validate=validators.Length(1, 100),
                         metadata={"description": "The city whose mount a relative path is in."})
    priority = fields.Integer(load_default=5, validate=validators.Range(0, 9), metadata={
        "description": "0 (last) to 9 (caption this now); 5 is normal."})
    force = fields.Boolean(load_default=False, metadata={
        "description": "Caption again even if this content is captioned already."})
    model = fields.String(load_default="", validate=validators.Length(0, 200), metadata={
        "description": "The Whisper model to caption with, one of those installed "
                       "(`archivist models`); empty: the model the recording's city names.",
        "example": "base"})


class Job(Schema):
    id = fields.Integer(required=True)
    state = fields.String(required=True, validate=validators.OneOf(STATES))
    path = fields.String(allow_none=True)
    city = fields.String()
    priority = fields.Integer()
    progress = fields.Float(metadata={"description": "Fraction done, 0 to 1."})
    eta_seconds = fields.Float(allow_none=True, metadata={
        "description": "Seconds the running job still needs, as its worker estimated them at "
                       "its last heartbeat (`heartbeat_at`): the time this attempt has taken "
                       "so far, scaled by the progress left. Null when the job is queued, has "
                       "finished (succeeded, failed or cancelled: nothing is left to wait "
                       "for), or is running but under 2 % done (too early to say)."})
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    notes = fields.List(fields.String())
    outputs = fields.List(fields.String())
    worker = fields.String(allow_none=True)
    recording_id = fields.Integer()
    created_at = fields.String(allow_none=True)
    started_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    heartbeat_at = fields.String(allow_none=True)
    retry_at = fields.String(allow_none=True)
    model = fields.String(allow_none=True, metadata={
        "description": "The Whisper model staff chose for this job; null: its city's."})


class JobAccepted(Job):
    created = fields.Boolean(metadata={"description": "False: the content already had this job."})
    note = fields.String(metadata={"description": "e.g. that the queue is down and the job "
                                                  "will run when it is back."})


class JobsQuery(Schema):
    state = fields.String(validate=validators.OneOf(STATES))
    city = fields.String(validate=validators.Length(1, 100))
    limit = fields.Integer(load_default=50, validate=validators.Range(1, MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validators.Range(0, 10_000_000))


class JobList(Schema):
    jobs = fields.List(fields.Nested(Job), required=True)
    limit = fields.Integer()
    offset = fields.Integer()
    next_offset = fields.Integer(allow_none=True, metadata={"description": "Null on the last page."})


class PriorityIn(Schema):
    priority = fields.Integer(required=True, validate=validators.Range(0, 9))


# Cities and recordings

class City(Schema):
    name = fields.String(required=True)
    path = fields.String()


class CityList(Schema):
    cities = fields.List(fields.Nested(City), required=True)


class RecordingsQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validators.Range(1, MAX_PAGE))


class MountedRecording(Schema):
    path = fields.String(required=True)
    size = fields.Integer()
    modified_at = fields.String()
    recording_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "new, queued, running, succeeded, failed, "
                                                   "cancelled, or captioned (a sidecar is there)."})
    job = fields.Nested(Job, allow_none=True)


class CityRecordings(Schema):
    city = fields.String(required=True)
    reachable = fields.Boolean()
    problem = fields.String(allow_none=True)
    recordings = fields.List(fields.Nested(MountedRecording), required=True)


class Accuracy(Schema):
    wer = fields.Float(metadata={"description": "Word error rate of the machine revision "
                                                "against the reference (0.07: 7 %)."})
    reference = fields.String(metadata={"description": "approved (a revision signed off in "
                                                      "review) or human (a person's caption "
                                                      "file beside the recording)."})
    source = fields.String(metadata={"description": '"revision 3", or the file\'s name.'})
    machine_revision = fields.Integer()
    errors = fields.Integer()
    words = fields.Integer(metadata={"description": "Words in the reference."})
    by = fields.String(allow_none=True, metadata={"description": "Who approved."})
    measured_at = fields.String()


class Recording(Schema):
    id = fields.Integer(required=True)
    path = fields.String()
    city = fields.String()
    size = fields.Integer()
    duration = fields.Float(allow_none=True)
    created_at = fields.String(allow_none=True)
    job = fields.Nested(Job, allow_none=True)
    transcript = fields.Boolean(metadata={"description": "A transcript is stored."})
    captions = fields.Dict(keys=fields.String(), values=fields.String(),
                           metadata={"description": "Format → download URL."})
    accuracy = fields.Nested(Accuracy, allow_none=True, metadata={
        "description": "The machine's word error rate against a person's words (the approved "
                       "revision first, else a person's caption file); null until measured."})
    references = fields.List(fields.Nested(Accuracy), metadata={
        "description": "Every reference it was measured against."})


# Transcripts and search

class Word(Schema):
    start = fields.Float()
    end = fields.Float()
    word = fields.String()
    probability = fields.Float()


class Segment(Schema):
    start = fields.Float()
    end = fields.Float()
    text = fields.String()
    words = fields.List(fields.Nested(Word))


class CaptionPath(Schema):
    recording_id = fields.Integer(required=True)
    format = fields.String(required=True, validate=validators.OneOf(FORMATS))


def _something_to_search(q: str) -> None:
    """Refuses a query with no word in it (only punctuation, say), as an empty one is."""
    from archivist.domain.search.passages import parse_query

    if parse_query(q).empty:
        raise ValidationError('Nothing to search for: words, or "quoted phrases".')


class SearchQuery(Schema):
    # The pattern says in the OpenAPI document what _something_to_search asks: a letter or a
    # digit somewhere (a client, or a fuzzer, told only the length sends "_" and gets a 400).
    q = fields.String(required=True, validate=[validators.Length(1, 500), _something_to_search],
                      metadata={"description": 'Words, and "quoted phrases"; all must be said.',
                                "pattern": r"[^\W_]"})
    city = fields.String(validate=validators.Length(1, 100))
    limit = fields.Integer(load_default=20, validate=validators.Range(1, 100))
    offset = fields.Integer(load_default=0, validate=validators.Range(0, 10_000))


class Hit(Schema):
    recording_id = fields.Integer(required=True, allow_none=True, metadata={
        "description": "null: said in a live session whose recording is not captioned yet"})
    live_session = fields.String(allow_none=True, metadata={
        "description": "The live session it was said in (its UTC start); `start` counts from it"})
    city = fields.String()
    path = fields.String()
    start = fields.Float(metadata={"description": "Second in the recording where the match is spoken."})
    end = fields.Float()
    snippet = fields.String(metadata={"description": "The words around it; matches in «»."})


class SearchResults(Schema):
    results = fields.List(fields.Nested(Hit), required=True)
