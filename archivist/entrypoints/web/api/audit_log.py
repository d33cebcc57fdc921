"""/api/v1/audit: who changed what, when and from where (staff or token only), and
/api/v1/cities/{name}/vocabulary: the names a city's transcriptions are given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint
from dependency_injector.wiring import Provide, inject
from flask import g
from werkzeug.exceptions import Unauthorized

from archivist.containers import Container
from archivist.domain.errors import NotFound
from archivist.domain.review.audit import AuditQuery
from archivist.domain.review.vocabulary import checked
from archivist.entrypoints.web import audit, guard
from archivist.entrypoints.web.api import review_schemas as schemas
from archivist.entrypoints.web.api.docs import CHANGE, PREFIX, answers

if TYPE_CHECKING:
    from archivist.domain.ports import MediaLibrary
    from archivist.domain.review.ports import AuditLog, LearnedVocabulary
    from archivist.domain.review.service import Reviews

blueprint = APIBlueprint("api_audit", __name__, url_prefix=PREFIX, tag="Review")
READ: list[str | dict[str, list[Any]]] = ["bearerAuth", "staffSession"]


@blueprint.get("/audit")
@blueprint.input(schemas.AuditQuery, location="query", arg_name="query")
@blueprint.output(schemas.AuditPage)
@blueprint.doc(security=READ, responses=answers(400, 401, 503))
@inject
def entries(query: dict[str, Any], audit_log: AuditLog = Provide[Container.audit_log]) -> dict[str, Any]:
    """The audit log, newest first: filter by actor, action, recording (or any target) and
    time; page with `before` (the `next_before` of the page before)."""
    if not guard.staff_or_token():
        raise Unauthorized("the audit log is for staff: log in, or send a bearer token")
    target = f"recording:{query['recording']}" if "recording" in query else query.get("target")
    limit = query["limit"]
    found = audit_log.entries(AuditQuery(
        actor=query.get("actor"), action=query.get("action"), target=target,
        since=query.get("since"), until=query.get("until"), before=query.get("before"),
        limit=limit + 1))
    more = len(found) > limit
    page = found[:limit]
    return {"entries": [e.as_dict() for e in page],
            "next_before": page[-1].id if more and page else None}


@blueprint.get("/cities/<string(maxlength=100):name>/vocabulary")
@blueprint.output(schemas.Vocabulary)
@blueprint.doc(responses=answers(404, 503))
@inject
def vocabulary(name: str, reviews: Reviews = Provide[Container.reviews],
               library: MediaLibrary = Provide[Container.library]) -> dict[str, Any]:
    """A city's names and terms: those in config.yml and those staff taught it."""
    _city(library, name)
    configured, learned = reviews.vocabulary(name)
    return {"city": name, "configured": list(configured), "learned": learned}


@blueprint.put("/cities/<string(maxlength=100):name>/vocabulary")
@blueprint.input(schemas.VocabularyIn, arg_name="change")
@blueprint.output(schemas.Vocabulary)
@blueprint.doc(security=CHANGE, responses=answers(400, 401, 403, 404, 429, 503))
@inject
def replace_vocabulary(name: str, change: dict[str, Any],
                       store: LearnedVocabulary = Provide[Container.learned_vocabulary],
                       reviews: Reviews = Provide[Container.reviews],
                       library: MediaLibrary = Provide[Container.library]) -> dict[str, Any]:
    """Replace the city's learned terms (the configured ones stay as config.yml says)."""
    _city(library, name)
    learned = store.replace_learned(name, checked(change["learned"]), g.actor)
    audit.note("vocabulary.replace", f"city:{name}", {"learned": learned})
    return _vocabulary(name, reviews, learned)


@blueprint.post("/cities/<string(maxlength=100):name>/vocabulary")
@blueprint.input(schemas.VocabularyAdd, arg_name="change")
@blueprint.output(schemas.Vocabulary)
@blueprint.doc(security=CHANGE, responses=answers(400, 401, 403, 404, 429, 503))
@inject
def add_vocabulary(name: str, change: dict[str, Any],
                   store: LearnedVocabulary = Provide[Container.learned_vocabulary],
                   reviews: Reviews = Provide[Container.reviews],
                   library: MediaLibrary = Provide[Container.library]) -> dict[str, Any]:
    """Teach the city names and terms; its next transcriptions are given them."""
    _city(library, name)
    terms = checked(change["add"])
    learned = store.learn(name, terms, g.actor)
    audit.note("vocabulary.add", f"city:{name}", {"add": terms})
    return _vocabulary(name, reviews, learned)


def _city(library: Any, name: str) -> None:
    if not any(c.name == name for c in library.cities()):
        raise NotFound(f"no city named {name!r} (library.cities)")


def _vocabulary(name: str, reviews: Reviews, learned: list[str]) -> dict[str, Any]:
    """The city's vocabulary as the API answers it, with the learned terms just stored."""
    return {"city": name, "configured": list(reviews.vocabulary(name)[0]), "learned": learned}
