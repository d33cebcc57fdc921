"""Request and response shapes of review: transcript revisions, sign-off, vocabulary and the
audit log (docs/review-api.md)."""

from __future__ import annotations

from datetime import UTC

from apiflask import Schema, fields, validators

from archivist.entrypoints.web.api.schemas import Error, Segment, Word

REVIEW_STATES = ["machine", "in_review", "approved"]
MAX_LINES = 100_000


def seconds() -> fields.Float:
    """Seconds from the start of the recording: finite, not negative."""
    return fields.Float(required=True, allow_nan=False, validate=validators.Range(0, 1e7))


class Review(Schema):
    state = fields.String(required=True, validate=validators.OneOf(REVIEW_STATES))
    approved_by = fields.String(allow_none=True)
    approved_at = fields.String(allow_none=True)
    revision = fields.Integer(allow_none=True, metadata={"description": "The approved revision."})
    pending = fields.List(fields.String(), metadata={
        "description": "Outputs not yet in step with the current revision (retried)."})
    problems = fields.List(fields.String())


class Applied(Schema):
    captions = fields.String(metadata={"description": "done or pending"})
    search = fields.String(metadata={"description": "done or pending"})
    cablecast = fields.String(metadata={"description": "done, pending or not_published"})
    problems = fields.List(fields.String())


class RevisionTranscript(Schema):
    recording = fields.Integer(required=True)
    recording_id = fields.Integer()
    revision = fields.Integer(required=True)
    current_revision = fields.Integer(required=True)
    author = fields.String(metadata={"description": "machine, staff:NAME, token:NAME or cli:USER"})
    created_at = fields.String()
    note = fields.String(allow_none=True)
    restored_from = fields.Integer(allow_none=True)
    review = fields.Nested(Review)
    language = fields.String()
    duration = fields.Float()
    model = fields.String()
    notes = fields.List(fields.String())
    segments = fields.List(fields.Nested(Segment))
    applied = fields.Nested(Applied)
    suggested_vocabulary = fields.List(fields.String())


class RevisionQuery(Schema):
    revision = fields.Integer(validate=validators.Range(1, 2_147_483_647))


class WordIn(Schema):
    start = seconds()
    end = seconds()
    word = fields.String(required=True, validate=validators.Length(0, 200))
    probability = fields.Float(allow_nan=False, validate=validators.Range(0, 1))


class LineIn(Schema):
    start = seconds()
    end = seconds()
    text = fields.String(required=True, validate=validators.Length(1, 2000))
    words = fields.List(fields.Nested(WordIn), validate=validators.Length(0, 500))


class TranscriptIn(Schema):
    note = fields.String(validate=validators.Length(0, 500), allow_none=True)
    segments = fields.List(fields.Nested(LineIn), required=True,
                           validate=validators.Length(1, MAX_LINES))


class RestoreIn(Schema):
    revision = fields.Integer(required=True, validate=validators.Range(1, 2_147_483_647))
    note = fields.String(validate=validators.Length(0, 500), allow_none=True)


class RevisionSummary(Schema):
    revision = fields.Integer(required=True)
    author = fields.String()
    created_at = fields.String()
    note = fields.String(allow_none=True)
    restored_from = fields.Integer(allow_none=True)
    words = fields.Integer()


class RevisionList(Schema):
    recording = fields.Integer(required=True)
    current_revision = fields.Integer(required=True)
    review = fields.Nested(Review)
    revisions = fields.List(fields.Nested(RevisionSummary), required=True)


class Conflict(Schema):
    error = fields.Nested(Error, required=True)
    current_revision = fields.Integer()
    changed = fields.List(fields.Nested(RevisionSummary))


class ReviewIn(Schema):
    state = fields.String(required=True, validate=validators.OneOf(["in_review", "approved"]))


class ReviewOut(Schema):
    recording = fields.Integer()
    review = fields.Nested(Review, required=True)
    applied = fields.Nested(Applied)


class Vocabulary(Schema):
    city = fields.String(required=True)
    configured = fields.List(fields.String(), required=True)
    learned = fields.List(fields.String(), required=True)


class VocabularyIn(Schema):
    learned = fields.List(fields.String(validate=validators.Length(1, 100)), required=True,
                          validate=validators.Length(0, 2000))


class VocabularyAdd(Schema):
    add = fields.List(fields.String(validate=validators.Length(1, 100)), required=True,
                      validate=validators.Length(1, 2000))


class AuditQuery(Schema):
    actor = fields.String(validate=validators.Length(1, 200), metadata={
        "description": "`staff:dana`, `token:ci`, ...; a bare name (`dana`) is that name of "
                       "any kind"})
    action = fields.String(validate=validators.Length(1, 64))
    recording = fields.Integer(validate=validators.Range(1, 2_147_483_647))
    target = fields.String(validate=validators.Length(1, 200))
    since = fields.AwareDateTime(default_timezone=UTC)
    until = fields.AwareDateTime(default_timezone=UTC)
    limit = fields.Integer(load_default=50, validate=validators.Range(1, 500))
    before = fields.Integer(validate=validators.Range(1, 2_147_483_647))


class AuditEntry(Schema):
    id = fields.Integer()
    at = fields.String()
    actor = fields.String()
    action = fields.String()
    target = fields.String()
    detail = fields.Dict()
    address = fields.String(allow_none=True)


class AuditPage(Schema):
    entries = fields.List(fields.Nested(AuditEntry), required=True)
    next_before = fields.Integer(allow_none=True, metadata={"description": "Null on the last page."})


__all__ = ["Segment", "Word"]
