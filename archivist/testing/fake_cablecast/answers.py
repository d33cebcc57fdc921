"""How the fake Cablecast answers: envelopes, paging under the cap, sideloads, errors."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request

from archivist.testing.fake_cablecast import state as st


def authorised(s: st.State) -> bool:
    auth = request.authorization
    return bool(auth and auth.username in s.users and s.users[auth.username] == auth.password)


def fields_of(root: str) -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get(root), dict):
        abort(400, f"the body needs a {root!r} root")
    return body[root]


def record_or_404(records: dict[int, st.Record], record_id: int) -> st.Record:
    record = records.get(record_id)
    if record is None:
        abort(404)
    return record


def one(s: st.State, root: str, record: st.Record) -> Response:
    body: dict[str, Any] = {root: dict(record)}
    body.update(sideloads(s, [record]))
    return jsonify(body)


def many(s: st.State, root: str, found: list[st.Record]) -> Response:
    """A page of `found` as asked by offset/page_size, never more than the page cap."""
    size = min(request.args.get("page_size", default=s.page_cap, type=int) or s.page_cap,
               s.page_cap)
    offset = max(0, request.args.get("offset", default=0, type=int))
    start = offset * size if s.offset_is_page else offset
    page = found[start:start + size]
    body: dict[str, Any] = {root: [dict(r) for r in page],
                            "meta": {"count": len(found), "offset": offset, "pageSize": size}}
    body.update(sideloads(s, page))
    return jsonify(body)


def sideloads(s: st.State, primary: list[st.Record]) -> dict[str, list[st.Record]]:
    """Related records asked for with `include=vod,chapter`, as extra top-level arrays."""
    wanted = {w.strip().lower() for w in (request.args.get("include") or "").split(",")}
    out: dict[str, list[st.Record]] = {}
    with s.lock:
        if "vod" in wanted:
            ids = [i for r in primary for i in r.get("vods", [])]
            out["vods"] = [dict(s.vods[i]) for i in ids if i in s.vods]
        if "chapter" in wanted:
            ids = [i for r in primary for i in r.get("chapters", [])]
            out["chapters"] = [dict(s.chapters[i]) for i in ids if i in s.chapters]
    return out


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response
