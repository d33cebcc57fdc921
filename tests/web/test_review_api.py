"""The review API (docs/review-api.md) on the real app and database: read a revision, save
an edit, refuse a stale one, restore, approve; the caption files in the mount, the downloads
and search follow the current revision; every change is in the audit log."""

from __future__ import annotations

from pathlib import Path

from tests.web.test_api import captioned


def _url(recording_id: int, tail: str = "transcript") -> str:
    return f"/api/v1/recordings/{recording_id}/{tail}"


def _put(api, recording_id: int, segments, base, **extra):
    headers = {"If-Match": f'"{base}"'} if base is not None else {}
    return api.client.put(_url(recording_id), json={"segments": segments, **extra},
                          headers={**api.bearer, **headers})


def _lines(body):
    return [{"start": s["start"], "end": s["end"], "text": s["text"]} for s in body["segments"]]


def test_machine_revision_then_a_save_reaches_files_downloads_and_search(api) -> None:
    recording_id = captioned(api)
    got = api.client.get(_url(recording_id))
    body = got.get_json()
    assert got.headers["ETag"] == '"1"'
    assert (body["revision"], body["current_revision"], body["author"]) == (1, 1, "machine")
    assert body["review"]["state"] == "machine" and body["recording"] == recording_id

    lines = _lines(body)
    lines[1]["text"] = lines[1]["text"].replace("Elm Street", "Okafor Street")
    saved = _put(api, recording_id, lines, 1, note="street name")
    assert saved.status_code == 200, saved.get_json()
    new = saved.get_json()
    assert (new["revision"], new["author"], new["note"]) == (2, "token:tests", "street name")
    assert new["applied"] == {"captions": "done", "search": "done", "cablecast": "not_published",
                              "problems": []}
    assert new["review"]["state"] == "in_review"
    assert new["suggested_vocabulary"] == ["Okafor"]
    # Kept words keep their times; the new one lies inside its line.
    words = new["segments"][1]["words"]
    assert words[0]["start"] == body["segments"][1]["words"][0]["start"]
    okafor = next(w for w in words if w["word"].strip() == "Okafor")
    assert new["segments"][1]["start"] <= okafor["start"] <= okafor["end"] <= new["segments"][1]["end"]

    vtt = (api.mount / "council.vtt").read_text()
    assert "Okafor Street" in vtt and "Elm" not in vtt
    assert "Okafor Street" in api.client.get(_url(recording_id, "captions/vtt")).get_data(as_text=True)
    hits = api.client.get("/api/v1/search?q=Okafor").get_json()["results"]
    assert [h["recording_id"] for h in hits] == [recording_id]
    assert api.client.get("/api/v1/search?q=Elm").get_json()["results"] == []
    old = api.client.get(_url(recording_id) + "?revision=1").get_json()
    assert "Elm Street" in old["segments"][1]["text"] and old["current_revision"] == 2


def test_a_stale_save_is_refused_with_what_changed(api) -> None:
    recording_id = captioned(api)
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    first = [dict(line) for line in lines]
    first[0]["text"] = "Good evening and welcome to the Riverton city council."
    assert _put(api, recording_id, first, 1, note="city").status_code == 200
    lines[0]["text"] = "Good evening, welcome."
    refused = _put(api, recording_id, lines, 1)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["current_revision"] == 2 and body["error"]["code"] == 409
    assert [(c["revision"], c["author"], c["note"]) for c in body["changed"]] == \
        [(2, "token:tests", "city")]
    # The API document says so (a client validating answers against it must accept this one).
    spec = api.client.get("/api/v1/openapi.json").get_json()
    stale = spec["paths"]["/api/v1/recordings/{recording_id}/transcript"]["put"]["responses"]["409"]
    shape = stale["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"error", "current_revision", "changed"} <= set(spec["components"]["schemas"][shape]["properties"])
    assert _put(api, recording_id, lines, None).status_code == 428
    assert _put(api, recording_id, lines, "abc").status_code == 400
    assert api.client.get(_url(recording_id)).get_json()["revision"] == 2


def test_identical_text_makes_no_revision_and_bad_lines_are_400(api) -> None:
    recording_id = captioned(api)
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    same = _put(api, recording_id, lines, 1)
    assert same.status_code == 200 and same.get_json()["revision"] == 1
    backwards = [{**lines[1]}, {**lines[0]}]
    answer = _put(api, recording_id, backwards, 1)
    assert answer.status_code == 400 and "segments[1]" in answer.get_json()["error"]["message"]
    empty = _put(api, recording_id, [{"start": 1, "end": 0.5, "text": "x"}], 1)
    assert empty.status_code == 400
    assert _put(api, 999999, lines, 1).status_code == 404


def test_restore_and_approve_and_history(api) -> None:
    recording_id = captioned(api)
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    lines[0]["text"] = "Good evening."
    assert _put(api, recording_id, lines, 1).status_code == 200
    restored = api.post(_url(recording_id, "transcript/restore"), {"revision": 1})
    assert restored.status_code == 200
    body = restored.get_json()
    assert body["revision"] == 3 and body["restored_from"] == 1
    assert "welcome" in body["segments"][0]["text"]
    history = api.client.get(_url(recording_id, "transcript/revisions")).get_json()
    assert [r["revision"] for r in history["revisions"]] == [3, 2, 1]
    assert history["current_revision"] == 3

    stale = api.post(_url(recording_id, "approve"), headers={"If-Match": '"2"'})
    assert stale.status_code == 409
    approved = api.post(_url(recording_id, "approve"))
    assert approved.status_code == 200
    review = approved.get_json()["review"]
    assert (review["state"], review["approved_by"], review["revision"]) == \
        ("approved", "token:tests", 3)
    lines[0]["text"] = "Good evening, all."
    again = _put(api, recording_id, lines, 3).get_json()
    assert again["review"]["state"] == "in_review"
    reopened = api.post(_url(recording_id, "review"), {"state": "approved"})
    assert reopened.get_json()["review"]["state"] == "approved"

    audit = api.client.get(f"/api/v1/audit?recording={recording_id}", headers=api.bearer)
    actions = [e["action"] for e in audit.get_json()["entries"]]
    assert actions[:4] == ["transcript.approve", "transcript.save", "transcript.approve",
                           "transcript.restore"]


def test_changes_need_a_token_or_staff(api) -> None:
    recording_id = captioned(api)
    assert api.client.put(_url(recording_id), json={"segments": []}).status_code == 401
    assert api.client.post(_url(recording_id, "approve")).status_code == 401


def test_applying_the_same_revision_twice_changes_nothing(api) -> None:
    recording_id = captioned(api)
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    lines[0]["text"] = "Good evening and welcome to the Riverton city council."
    assert _put(api, recording_id, lines, 1).status_code == 200
    files = sorted(api.mount.glob("council.*"))
    assert {p.name for p in files} >= {"council.scc", "council.vtt", "council.srt",
                                       "council.txt", "council.json", "council.report.json"}
    before = {p: p.stat().st_mtime_ns for p in files}
    applier, revisions = api.app.container.applier(), api.app.container.revisions()
    assert applier.apply(recording_id).written == ()
    revisions.set_pending(recording_id, 2, ["captions"])     # as if asked again
    again = applier.apply(recording_id)
    assert again.written == () and again.captions == "done"
    assert {p: p.stat().st_mtime_ns for p in files} == before


def test_a_mount_away_is_pending_shown_and_retried(api) -> None:
    recording_id = captioned(api)
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    lines[1]["text"] = "The water main on Okafor Street is approved."
    away = api.mount.with_name("away")
    api.mount.rename(away)
    saved = _put(api, recording_id, lines, 1).get_json()
    assert saved["applied"]["captions"] == "pending" and saved["applied"]["problems"]
    assert api.client.get(_url(recording_id)).get_json()["review"]["pending"] == ["captions"]
    # Search and downloads already read the new revision: the database is the truth.
    assert api.client.get("/api/v1/search?q=Okafor").get_json()["results"]
    away.rename(api.mount)
    done = api.app.container.applier().retry_pending()
    assert [a.captions for a in done] == ["done"]
    assert "Okafor Street" in (api.mount / "council.vtt").read_text()
    assert api.client.get(_url(recording_id)).get_json()["review"]["pending"] == []


def test_the_recording_page_and_dashboard_show_the_review_state(api) -> None:
    recording_id = captioned(api)
    page = api.client.get(f"/recordings/{recording_id}").get_data(as_text=True)
    assert 'data-review="machine"' in page
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    lines[0]["text"] = "Good evening."
    api.mount.rename(api.mount.with_name("away"))
    _put(api, recording_id, lines, 1)
    page = api.client.get(f"/recordings/{recording_id}").get_data(as_text=True)
    assert 'data-review="in_review"' in page and 'data-pending="captions"' in page
    api.mount.with_name("away").rename(api.mount)
    assert 'data-review="in_review"' in api.client.get("/").get_data(as_text=True)


def test_job_changes_are_audited_with_who_and_from_where_and_the_log_is_for_staff(api) -> None:
    path = api.recording("hearing.mp4")
    job = api.post("/api/v1/jobs", {"path": str(path), "priority": 7}).get_json()
    api.post(f"/api/v1/jobs/{job['id']}/cancel")
    api.client.post(f"/api/v1/jobs/{job['id']}/retry")          # refused: not audited
    assert api.client.get("/api/v1/audit").status_code == 401
    page = api.client.get("/api/v1/audit?limit=1", headers=api.bearer).get_json()
    assert [e["action"] for e in page["entries"]] == ["job.cancel"]
    rest = api.client.get(f"/api/v1/audit?before={page['next_before']}",
                          headers=api.bearer).get_json()
    submitted = rest["entries"][0]
    assert (submitted["action"], submitted["actor"], submitted["target"]) == \
        ("job.submit", "token:tests", f"job:{job['id']}")
    assert submitted["detail"]["priority"] == 7 and submitted["address"] == "127.0.0.1"
    assert "Bearer" not in str(page) + str(rest)
    bad = api.client.get("/api/v1/audit?since=yesterday", headers=api.bearer)
    assert bad.status_code == 400


def test_reading_a_revision_answers_what_saving_it_answered(api) -> None:
    # GET serves the stored revision as it is; the PUT's answer is built from the saved
    # transcript: the two must say the same, and an older revision stays as it was.
    recording_id = captioned(api)
    first = api.client.get(_url(recording_id))
    lines = _lines(first.get_json())
    lines[0]["text"] = ">> " + lines[0]["text"].replace("council", "Council Member Pruitt", 1)
    saved = _put(api, recording_id, lines, 1).get_json()
    read = api.client.get(_url(recording_id))
    assert read.headers["ETag"] == '"2"' and read.mimetype == "application/json"
    assert read.get_json() == {k: v for k, v in saved.items()
                               if k not in ("applied", "suggested_vocabulary")}
    older = api.client.get(_url(recording_id) + "?revision=1")
    assert older.headers["ETag"] == '"1"'
    assert {**older.get_json(), "current_revision": 1, "review": None} \
        == {**first.get_json(), "review": None}
    assert api.client.get(_url(recording_id) + "?revision=9").status_code == 404


def test_a_save_in_a_fresh_process_reuses_the_kept_render_and_writes_the_same_bytes(api) -> None:
    # Each render keeps what it used in the data directory; a save in a process that never
    # rendered the recording (a restart, another web worker, the CLI) reuses it, and writes
    # exactly what a save rendering everything from nothing writes.
    from archivist.domain.captions import forget

    recording_id = captioned(api)
    lines = _lines(api.client.get(_url(recording_id)).get_json())
    lines[1]["text"] = lines[1]["text"].replace("Elm", "Okafor")
    assert _put(api, recording_id, lines, 1).status_code == 200
    folder = Path(api.app.container.config.data_dir()) / "rendered"
    assert (folder / str(recording_id)).stat().st_size > 0
    lines[0]["text"] += " Pruitt"
    forget()   # a fresh process
    assert _put(api, recording_id, lines, 2).status_code == 200
    reused = {p.name: p.read_bytes() for p in api.mount.iterdir()}
    assert api.post(_url(recording_id, "transcript/restore"), {"revision": 2}).status_code == 200
    forget()
    (folder / str(recording_id)).unlink()   # nothing kept: everything rendered from nothing
    assert api.post(_url(recording_id, "transcript/restore"), {"revision": 3}).status_code == 200
    assert {p.name: p.read_bytes() for p in api.mount.iterdir()} == reused
