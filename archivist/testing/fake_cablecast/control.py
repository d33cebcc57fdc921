"""`/_fake/...`: switch the fake's faults and settings over HTTP, and see what it was asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Response, jsonify, request

from archivist.testing.fake_cablecast.faults import Fault

if TYPE_CHECKING:
    from archivist.testing.fake_cablecast.fake import FakeCablecast


def add_control_routes(app: Flask, fake: FakeCablecast) -> None:
    """POST /_fake/faults {fault}, DELETE /_fake/faults, POST /_fake/settings, GET /_fake/requests."""

    @app.get("/_fake/faults")
    def faults() -> Response:
        return jsonify({"faults": fake.faults.describe()})

    @app.post("/_fake/faults")
    def add_fault() -> Response | tuple[Response, int]:
        try:
            fake.faults.add(Fault.from_json(request.get_json(force=True) or {}))
        except (TypeError, ValueError) as exc:
            return jsonify({"message": str(exc)}), 400
        return jsonify({"faults": fake.faults.describe()})

    @app.delete("/_fake/faults")
    def clear_faults() -> Response:
        fake.faults.clear()
        return jsonify({"faults": []})

    @app.post("/_fake/settings")
    def settings() -> Response:
        body = request.get_json(force=True) or {}
        with fake.state.lock:
            if "page_cap" in body:
                fake.state.page_cap = max(1, int(body["page_cap"]))
            if "offset_is_page" in body:
                fake.state.offset_is_page = bool(body["offset_is_page"])
        return jsonify({"page_cap": fake.state.page_cap,
                        "offset_is_page": fake.state.offset_is_page})

    @app.get("/_fake/requests")
    def requests_seen() -> Response:
        return jsonify({"requests": [{"method": m, "path": p} for m, p, _ in fake.requests]})
