"""Sending a sidecar through Cablecast's chunked `fileuploads` flow, without ever sending twice.

The flow: POST /fileuploads {fileUpload: {fileName, destinationStore, totalSegments, size}}
→ id; POST /fileuploads/{id}/upload per segment (multipart `segment`, `file`); PUT
{fileUpload: {state: 2}} to finish; then poll until Cablecast has moved it into the store.
Before starting, the uploads the server already has for this name and store are looked at: a
finished one of the same size is the answer, an unfinished one is resumed.
"""

from __future__ import annotations

import math
import time
from typing import Any

from archivist.adapters.cablecast import records
from archivist.adapters.cablecast.transport import CablecastClient
from archivist.domain.errors import CablecastError, GatewayUnavailable, NotFound

ERROR, UPLOADING, COMPLETE, PROCESSING, TRANSFERRING, FINISHED, TIMED_OUT = range(7)
_DONE_OR_ON_ITS_WAY = {COMPLETE, PROCESSING, TRANSFERRING, FINISHED}


class Uploads:
    """The fileuploads flow over a client."""

    def __init__(self, client: CablecastClient, segment_size: int, wait: float,
                 poll_every: float) -> None:
        self._client = client
        self._segment_size = max(1, segment_size)
        self._wait = wait
        self._poll_every = poll_every

    def send(self, file_name: str, content: bytes, store: int) -> int:
        """Upload `content` as `file_name` into file store `store`; returns the upload id."""
        earlier = self._same(file_name, store, len(content))
        done = [u for u in earlier if u.get("state") in _DONE_OR_ON_ITS_WAY]
        if done:
            return self._finished(int(done[-1]["id"]))
        open_ = [u for u in earlier if u.get("state") == UPLOADING]
        upload_id = int(open_[-1]["id"]) if open_ else self._start(file_name, content, store)
        segments = self._segments(content)
        for index, chunk in enumerate(segments):
            # Sending a segment again replaces it: safe to retry.
            self._client.post_file(f"fileuploads/{upload_id}/upload", data={"segment": index},
                                   files={"file": (file_name, chunk, "application/octet-stream")})
        self._client.put(f"fileuploads/{upload_id}", {"fileUpload": {"state": COMPLETE}})
        return self._finished(upload_id)

    def _start(self, file_name: str, content: bytes, store: int) -> int:
        body = {"fileUpload": {"fileName": file_name, "destinationStore": store,
                               "totalSegments": len(self._segments(content)),
                               "size": len(content)}}

        def already() -> dict[str, Any] | None:
            # A start that timed out may have been made: take it rather than start another.
            open_ = [u for u in self._same(file_name, store, len(content))
                     if u.get("state") == UPLOADING]
            return {"fileUpload": open_[-1]} if open_ else None

        made = self._client.post("fileuploads", body, already=already)
        return int(records.one(made, "fileUpload", "POST", "fileuploads")["id"])

    def _same(self, file_name: str, store: int, size: int) -> list[dict[str, Any]]:
        """Uploads the server has of this file name into this store, with this size, oldest first."""
        try:
            body = self._client.get("fileuploads", fileName=file_name, destinationStore=store)
        except NotFound:  # a server that cannot list uploads: nothing to go on
            return []
        found = body.get("fileUploads") if isinstance(body, dict) else None
        return sorted((u for u in found or [] if isinstance(u, dict)
                       and u.get("fileName") == file_name
                       and u.get("destinationStore") in (store, None)
                       and u.get("size") in (size, None) and "id" in u),
                      key=lambda u: u["id"])

    def _finished(self, upload_id: int) -> int:
        """Wait until Cablecast has the file in its store (or says it failed)."""
        give_up = time.monotonic() + self._wait
        while True:
            upload = records.one(self._client.get(f"fileuploads/{upload_id}"), "fileUpload")
            state = upload.get("state")
            if state == FINISHED:
                return upload_id
            if state in (ERROR, TIMED_OUT):
                raise CablecastError("GET", f"fileuploads/{upload_id}", 200,
                                     f"upload of {upload.get('fileName')} "
                                     f"{'failed' if state == ERROR else 'timed out'} on the server")
            if time.monotonic() >= give_up:
                raise GatewayUnavailable("cablecast", f"upload {upload_id} still in state {state} "
                                                      f"after {self._wait:g}s")
            time.sleep(self._poll_every)

    def _segments(self, content: bytes) -> list[bytes]:
        count = max(1, math.ceil(len(content) / self._segment_size))
        return [content[i * self._segment_size:(i + 1) * self._segment_size] for i in range(count)]
