"""The review tables on SQLite and PostgreSQL: machine revisions, saves as compare-and-set,
review state, pending outputs, the audit log and learned vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archivist.adapters.sql import SqlAudit, SqlRepository, SqlRevisions, SqlVocabulary
from archivist.domain.models import Job, Segment, Transcript, Word
from archivist.domain.review.audit import AuditQuery, entry
from archivist.domain.review.revisions import StaleRevision
from archivist.domain.review.state import ReviewState
from tests.adapters.databases import quick_retry


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, migrated_engine: Any) -> tuple[Any, ...]:
    engine = migrated_engine(request.param)
    return tuple(kind(engine=engine, retry=quick_retry())
                 for kind in (SqlRepository, SqlRevisions, SqlAudit, SqlVocabulary))


def said(text: str) -> Transcript:
    return Transcript((Segment(0.0, 2.0, text, tuple(Word(i * 0.5, i * 0.5 + 0.4, " " + w)
                                                     for i, w in enumerate(text.split()))),),
                      duration=2.0)


def captioned(repo: Any, text: str = "Call to order.") -> int:
    from archivist.domain.models import Recording

    rec = repo.add_recording(Recording(Path("/mnt/flex-3/council.mp4"), "a" * 64, 10, "Riverton"))
    job, _ = repo.queue_job(Job(recording_id=rec.id, path=rec.path, city="Riverton"))
    repo.save_transcript(rec.id, job.id, said(text))
    return rec.id


def test_a_transcript_is_revision_one_and_a_save_is_a_compare_and_set(stores) -> None:
    repo, revisions, _, _ = stores
    rec = captioned(repo)
    first = revisions.revision(rec)
    assert (first.number, first.author, first.words) == (1, "machine", 3)
    assert revisions.review(rec).state is ReviewState.MACHINE
    second = revisions.add_revision(rec, said("Call to order, please."), "staff:clerk", 1,
                                    note="please", pending=["captions"])
    assert second.number == 2
    assert repo.transcript(rec).text == "Call to order, please."    # what outputs read
    review = revisions.review(rec)
    assert (review.revision, review.state, review.pending) == (2, ReviewState.IN_REVIEW,
                                                               ("captions",))
    with pytest.raises(StaleRevision) as stale:
        revisions.add_revision(rec, said("Order."), "staff:ana", 1)
    assert stale.value.current == 2 and [r.author for r in stale.value.changed] == ["staff:clerk"]
    assert [r.number for r in revisions.revisions(rec)] == [2, 1]
    assert revisions.revision(rec, 1).transcript.text == "Call to order."
    # The same transcript saved again by a worker (a repeated commit) is no new revision.
    repo.save_transcript(rec, repo.latest_job(rec).id, said("Call to order, please."))
    assert revisions.revision(rec).number == 2


def test_approval_pending_outputs_and_a_new_machine_revision(stores) -> None:
    repo, revisions, _, _ = stores
    rec = captioned(repo)
    with pytest.raises(StaleRevision):
        revisions.set_state(rec, ReviewState.APPROVED, "staff:clerk", 7)
    approved = revisions.set_state(rec, ReviewState.APPROVED, "staff:clerk", 1)
    assert (approved.approved_by, approved.approved_revision) == ("staff:clerk", 1)
    assert approved.approved_current
    assert revisions.set_pending(rec, 1, ["cablecast"], ["Cablecast down"])
    assert [r.recording_id for r in revisions.pending_reviews(10)] == [rec]
    assert not revisions.set_pending(rec, 5, [])        # not the current revision: no change
    assert revisions.set_pending(rec, 1, [])
    assert revisions.pending_reviews(10) == []
    listed = revisions.reviews(city="Riverton", state=ReviewState.APPROVED)
    assert [(r.recording_id, city) for r, city, _ in listed] == [(rec, "Riverton")]
    repo.save_transcript(rec, repo.latest_job(rec).id, said("Heard again."))
    review = revisions.review(rec)
    assert (review.revision, review.state, review.approved_by) == (2, ReviewState.MACHINE, None)


def test_audit_entries_page_and_keep_no_secret(stores) -> None:
    _, _, audit, _ = stores
    for n in range(5):
        audit.record(entry("staff:clerk", "job.cancel", f"job:{n}",
                           {"password": "hunter2", "priority": n}, "192.0.2.4"))
    audit.record(entry("token:ci", "transcript.save", "recording:7", {"revision": 2}))
    page = audit.entries(AuditQuery(actor="staff:clerk", limit=3))
    assert [e.target for e in page] == ["job:4", "job:3", "job:2"]
    assert page[0].detail == {"priority": 4} and page[0].address == "192.0.2.4"
    rest = audit.entries(AuditQuery(actor="staff:clerk", before=page[-1].id))
    assert [e.target for e in rest] == ["job:1", "job:0"]
    assert [e.action for e in audit.entries(AuditQuery(target="recording:7"))] == ["transcript.save"]


def test_audit_entries_by_a_bare_name_are_that_name_of_any_kind(stores) -> None:
    """A clerk filtering the audit page by "clerk" got "No entries match": entries say
    "staff:clerk". A name without its kind finds it as staff, token or at the command line."""
    _, _, audit, _ = stores
    audit.record(entry("staff:clerk", "transcript.save", "recording:7"))
    audit.record(entry("token:clerk", "job.cancel", "job:1"))
    audit.record(entry("staff:clerks", "job.cancel", "job:2"))
    audit.record(entry("staff:a_b", "job.cancel", "job:3"))
    assert [e.actor for e in audit.entries(AuditQuery(actor="clerk"))] == ["token:clerk",
                                                                          "staff:clerk"]
    assert [e.actor for e in audit.entries(AuditQuery(actor="staff:clerk"))] == ["staff:clerk"]
    assert audit.entries(AuditQuery(actor="a%b")) == []          # typed as it is, no wildcards


def test_learned_vocabulary_per_city(stores) -> None:
    _, _, _, vocabulary = stores
    assert vocabulary.learn("Riverton", ["Okafor", "okafor", "Villanueva"], "staff:clerk") == \
        ["Okafor", "Villanueva"]
    assert vocabulary.learn("Riverton", ["OKAFOR", "Pruitt"], "token:ci") == \
        ["Okafor", "Villanueva", "Pruitt"]
    assert vocabulary.learned("Lakeside") == []
    assert vocabulary.replace_learned("Riverton", ["Ng"], "staff:clerk") == ["Ng"]
