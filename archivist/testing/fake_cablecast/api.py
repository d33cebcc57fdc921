"""The fake Cablecast's HTTP API: a Flask app following the public conventions of the real one.

Singular/plural envelopes, `meta` paging with `offset`/`page_size` under a page cap, `include`
sideloading, anonymous reads, 401 on writes without valid Basic auth, 404 on unknown ids, 400 on
bodies without the singular root, case-insensitive paths, soft-deleted chapters and the chunked
file-upload state machine. `/_fake/...` controls faults and shows what was asked.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, abort, request

from archivist.testing.fake_cablecast import answers
from archivist.testing.fake_cablecast import state as st

if TYPE_CHECKING:
    from archivist.testing.fake_cablecast.fake import FakeCablecast

ROOT = "/cablecastapi/v1"


def create_app(fake: FakeCablecast) -> Flask:
    """The fake's WSGI app over `fake`'s state and faults."""
    app = Flask("fake_cablecast")
    s = fake.state
    app.wsgi_app = _CaseInsensitive(app.wsgi_app)  # type: ignore[method-assign]

    @app.before_request
    def before() -> Response | None:
        if request.path.startswith("/_fake"):
            return None
        fake.log(request.method, request.full_path.rstrip("?"), request.authorization)
        response = _misbehave(fake, "before")
        if response is not None:
            return response
        if request.method in ("POST", "PUT", "DELETE") and not answers.authorised(s):
            return answers.error(401, "authentication required", {"WWW-Authenticate": 'Basic realm="c"'})
        if request.authorization and not answers.authorised(s):
            return answers.error(401, "bad credentials")
        return None

    @app.after_request
    def after(response: Response) -> Response:
        if request.path.startswith("/_fake"):
            return response
        return _misbehave(fake, "after") or response

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> Response:
        return answers.error(404, f"{request.path} not found")

    @app.errorhandler(400)
    def bad_request(exc: Exception) -> Response:
        return answers.error(400, getattr(exc, "description", "bad request"))

    @app.get(f"{ROOT}/locations")
    def locations() -> Response:
        return answers.many(s, "locations", list(s.locations.values()))

    @app.get(f"{ROOT}/filestores")
    def filestores() -> Response:
        return answers.many(s, "fileStores", list(s.filestores.values()))

    @app.get(f"{ROOT}/shows")
    def shows() -> Response:
        with s.lock:
            found = list(s.shows.values())
        text = (request.args.get("search") or "").casefold()
        if text:
            found = [r for r in found if text in r["title"].casefold()]
        if request.args.get("location"):
            found = [r for r in found if str(r["location"]) == request.args["location"]]
        wanted = request.args.getlist("ids[]") or request.args.getlist("ids")
        if wanted:
            found = [r for r in found if str(r["id"]) in wanted]
        return answers.many(s, "shows", sorted(found, key=lambda r: r["id"]))

    @app.get(f"{ROOT}/shows/<int:show_id>")
    def show(show_id: int) -> Response:
        return answers.one(s, "show", answers.record_or_404(s.shows, show_id))

    @app.get(f"{ROOT}/vods")
    def vods() -> Response:
        with s.lock:
            found = sorted(s.vods.values(), key=lambda r: r["id"])
        return answers.many(s, "vods", found)

    @app.get(f"{ROOT}/vods/<int:vod_id>")
    def vod(vod_id: int) -> Response:
        return answers.one(s, "vod", answers.record_or_404(s.vods, vod_id))

    @app.put(f"{ROOT}/vods/<int:vod_id>")
    def change_vod(vod_id: int) -> Response:
        fields = answers.fields_of("vod")
        with s.lock:
            record = answers.record_or_404(s.vods, vod_id)
            if "chaptersPublished" in fields:
                record["chaptersPublished"] = bool(fields["chaptersPublished"])
        return answers.one(s, "vod", record)

    @app.get(f"{ROOT}/vods/<int:vod_id>/chapters")
    def chapter_file(vod_id: int) -> Response:
        answers.record_or_404(s.vods, vod_id)
        cues = ["WEBVTT", ""]
        for c in s.live_chapters(vod_id):
            cues += [f"{_clock(c['offset'])} --> {_clock(c['offset'] + 1)}", c["title"], ""]
        return Response("\n".join(cues), mimetype="text/vtt")

    @app.get(f"{ROOT}/chapters")
    def chapters() -> Response:
        with s.lock:
            found = sorted(s.chapters.values(), key=lambda r: r["id"])
        if request.args.get("vod"):
            found = [c for c in found if str(c["vod"]) == request.args["vod"]]
        return answers.many(s, "chapters", found)

    @app.get(f"{ROOT}/chapters/<int:chapter_id>")
    def chapter(chapter_id: int) -> Response:
        return answers.one(s, "chapter", answers.record_or_404(s.chapters, chapter_id))

    @app.post(f"{ROOT}/chapters")
    def add_chapter() -> Response:
        fields = answers.fields_of("chapter")
        if not isinstance(fields.get("vod"), int) or not isinstance(fields.get("offset"), int):
            abort(400, "a chapter needs a vod id and an integer offset")
        with s.lock:
            vod = answers.record_or_404(s.vods, fields["vod"])
            record = {"id": s.next_id(), "vod": vod["id"], "title": str(fields.get("title", "")),
                      "body": str(fields.get("body", "")), "offset": fields["offset"],
                      "link": fields.get("link", ""), "quickAdded": bool(fields.get("quickAdded")),
                      "deleted": False, "hidden": bool(fields.get("hidden"))}
            s.chapters[record["id"]] = record
            vod["chapters"].append(record["id"])
        return answers.one(s, "chapter", record)

    @app.put(f"{ROOT}/chapters/<int:chapter_id>")
    def change_chapter(chapter_id: int) -> Response:
        fields = answers.fields_of("chapter")
        with s.lock:
            record = answers.record_or_404(s.chapters, chapter_id)
            for key in ("title", "body", "offset", "link", "hidden", "deleted"):
                if key in fields:
                    record[key] = fields[key]
        return answers.one(s, "chapter", record)

    @app.delete(f"{ROOT}/chapters/<int:chapter_id>")
    def delete_chapter(chapter_id: int) -> Response:
        with s.lock:
            answers.record_or_404(s.chapters, chapter_id)["deleted"] = True  # soft delete, as Cablecast does
        return Response(status=204)

    @app.get(f"{ROOT}/fileuploads")
    def uploads() -> Response:
        with s.lock:
            found = sorted(s.uploads.values(), key=lambda r: r["id"])
        if request.args.get("fileName"):
            found = [u for u in found if u["fileName"] == request.args["fileName"]]
        if request.args.get("destinationStore"):
            found = [u for u in found if str(u["destinationStore"]) == request.args["destinationStore"]]
        return answers.many(s, "fileUploads", found)

    @app.post(f"{ROOT}/fileuploads")
    def start_upload() -> Response:
        fields = answers.fields_of("fileUpload")
        with s.lock:
            if fields.get("destinationStore") not in s.filestores:
                abort(400, "destinationStore is not a file store")
            if not fields.get("fileName") or not isinstance(fields.get("totalSegments"), int):
                abort(400, "a file upload needs fileName and totalSegments")
            record = {"id": s.next_id(), "fileName": fields["fileName"],
                      "destinationStore": fields["destinationStore"],
                      "totalSegments": fields["totalSegments"], "size": fields.get("size"),
                      "state": st.UPLOADING, "segmentsReceived": 0}
            s.uploads[record["id"]] = record
            s.segments[record["id"]] = {}
        return answers.one(s, "fileUpload", record)

    @app.post(f"{ROOT}/fileuploads/<int:upload_id>/upload")
    def upload_segment(upload_id: int) -> Response:
        with s.lock:
            record = answers.record_or_404(s.uploads, upload_id)
            segment, part = request.form.get("segment", type=int), request.files.get("file")
            if record["state"] != st.UPLOADING:
                abort(400, "this upload is not taking segments")
            if segment is None or part is None or not 0 <= segment < record["totalSegments"]:
                abort(400, "a segment needs a 0-based `segment` and a `file` part")
            s.segments[upload_id][segment] = part.read()
            record["segmentsReceived"] = len(s.segments[upload_id])
        return answers.one(s, "fileUpload", record)

    @app.put(f"{ROOT}/fileuploads/<int:upload_id>")
    def finish_upload(upload_id: int) -> Response:
        fields = answers.fields_of("fileUpload")
        with s.lock:
            record = answers.record_or_404(s.uploads, upload_id)
            if fields.get("state") == st.UPLOAD_COMPLETE and record["state"] == st.UPLOADING:
                parts = s.segments[upload_id]
                if len(parts) != record["totalSegments"]:
                    abort(400, f"{len(parts)} of {record['totalSegments']} segments received")
                data = b"".join(parts[i] for i in range(record["totalSegments"]))
                ok = record["size"] in (None, len(data))
                record["state"] = st.UPLOAD_COMPLETE if ok else st.UPLOAD_ERROR
        return answers.one(s, "fileUpload", record)

    @app.get(f"{ROOT}/fileuploads/<int:upload_id>")
    def upload(upload_id: int) -> Response:
        with s.lock:
            record = answers.record_or_404(s.uploads, upload_id)
            # Each look moves a completed upload one step on, to the store at the end.
            if st.UPLOAD_COMPLETE <= record["state"] < st.FINISHED:
                record["state"] += 1
                if record["state"] == st.FINISHED:
                    parts = s.segments[upload_id]
                    s.files[(record["destinationStore"], record["fileName"])] = b"".join(
                        parts[i] for i in range(record["totalSegments"]))
        return answers.one(s, "fileUpload", record)

    from archivist.testing.fake_cablecast.control import add_control_routes
    add_control_routes(app, fake)
    return app


def _misbehave(fake: FakeCablecast, when: str) -> Response | None:
    """Apply the fault in force for this request, if any (None: answer normally)."""
    fault = fake.faults.take(request.method, request.path, when)
    if fault is None:
        return None
    if fault.latency:
        time.sleep(fault.latency)
    if fault.hang:
        fake.faults.hang()
    if fault.drop:
        sock = request.environ.get("werkzeug.socket")
        if sock is not None:
            import socket

            sock.shutdown(socket.SHUT_RDWR)  # the client sees the connection close, no answer
        return Response(status=500)
    if fault.status:
        headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
        return answers.error(fault.status, f"fake says {fault.status}", headers)
    return None


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"


class _CaseInsensitive:
    """Cablecast matches API paths in any case (`/CablecastAPI/v1/Shows`)."""

    def __init__(self, app: Any) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.lower().startswith(ROOT):
            environ["PATH_INFO"] = path.lower()
        return self._app(environ, start_response)
