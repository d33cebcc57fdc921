"""The REST API through Flask's client, on real SQLite and PostgreSQL: jobs, cities,
transcripts, captions and search, with the answers a client would check."""

from __future__ import annotations

from pathlib import Path

from archivist.domain.models import Job
from tests.fakes import spoken


def test_posting_a_recording_queues_one_job_for_its_content(api) -> None:
    path = api.recording()
    first = api.post("/api/v1/jobs", {"path": str(path)})
    assert first.status_code == 202
    job = first.get_json()
    assert job["state"] == "queued" and job["created"] and job["city"] == "Riverton"
    assert job["path"] == str(path.resolve()) and api.queue.tickets[0][0] == job["id"]
    copy = api.recording("copy of council.mp4", path.read_bytes())
    again = api.post("/api/v1/jobs", {"path": "copy of council.mp4", "city": "Riverton"})
    assert again.status_code == 202
    assert again.get_json()["id"] == job["id"] and not again.get_json()["created"]
    assert "already queued" in again.get_json()["note"] and copy.exists()


def test_with_the_broker_down_the_job_is_saved_and_the_answer_says_so(api) -> None:
    api.queue.down = True
    response = api.post("/api/v1/jobs", {"path": str(api.recording())})
    assert response.status_code == 202
    body = response.get_json()
    assert body["state"] == "queued" and "will be sent when it is back" in body["note"]
    assert api.repo.job(body["id"]).state == "queued"


def test_job_list_filters_and_pages(api) -> None:
    ids = [api.post("/api/v1/jobs", {"path": str(api.recording(f"m{i}.mp4"))}).get_json()["id"]
           for i in range(5)]
    api.post(f"/api/v1/jobs/{ids[0]}/cancel")
    page = api.client.get("/api/v1/jobs?limit=2").get_json()
    assert [j["id"] for j in page["jobs"]] == ids[::-1][:2] and page["next_offset"] == 2
    last = api.client.get("/api/v1/jobs?limit=2&offset=4").get_json()
    assert [j["id"] for j in last["jobs"]] == [ids[0]] and last["next_offset"] is None
    cancelled = api.client.get("/api/v1/jobs?state=cancelled").get_json()["jobs"]
    assert [j["id"] for j in cancelled] == [ids[0]]
    assert len(api.client.get("/api/v1/jobs?city=riverton").get_json()["jobs"]) == 5   # any case
    unknown = api.client.get("/api/v1/jobs?city=Rivertn")
    assert unknown.status_code == 404
    assert "did you mean Riverton?" in unknown.get_json()["error"]["message"]
    bad = api.client.get("/api/v1/jobs?state=lost&limit=0")
    assert bad.status_code == 400 and "state" in bad.get_json()["error"]["message"]


def test_cancel_retry_and_priority_follow_the_job_rules(api) -> None:
    job_id = api.post("/api/v1/jobs", {"path": str(api.recording())}).get_json()["id"]
    assert api.client.get(f"/api/v1/jobs/{job_id}").get_json()["progress"] == 0.0
    assert api.post(f"/api/v1/jobs/{job_id}/retry").status_code == 409
    now = api.post(f"/api/v1/jobs/{job_id}/priority", {"priority": 9})
    assert now.status_code == 200 and now.get_json()["priority"] == 9
    cancelled = api.post(f"/api/v1/jobs/{job_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["state"] == "cancelled"
    conflict = api.post(f"/api/v1/jobs/{job_id}/cancel")
    assert conflict.status_code == 409 and "cancelled" in conflict.get_json()["error"]["message"]
    again = api.post(f"/api/v1/jobs/{job_id}/retry")
    assert again.status_code == 202 and again.get_json()["state"] == "queued"
    assert api.post(f"/api/v1/jobs/{job_id}/priority", {"priority": 10}).status_code == 400
    for action in ("cancel", "retry"):
        missing = api.post(f"/api/v1/jobs/999999/{action}")
        assert missing.status_code == 404 and "999999" in missing.get_json()["error"]["message"]
    assert api.client.get("/api/v1/jobs/999999").status_code == 404


def test_a_file_that_is_not_there_is_refused_with_why(api) -> None:
    response = api.post("/api/v1/jobs", {"path": str(api.mount / "gone.mp4")})
    assert response.status_code == 422 and "no such file" in response.get_json()["error"]["message"]


def test_cities_and_their_recordings_with_caption_status(api) -> None:
    queued = api.recording("b.mp4")
    api.recording("a.mp4")
    (api.mount / "a.scc").write_text("Scenarist_SCC V1.0\n")
    api.post("/api/v1/jobs", {"path": str(queued)})
    assert api.client.get("/api/v1/cities", headers=api.bearer).get_json() == {
        "cities": [{"name": "Riverton", "path": str(api.mount)}]}
    # Residents see file names, never where the server keeps them.
    assert api.client.get("/api/v1/cities").get_json() == {
        "cities": [{"name": "Riverton", "path": "riverton"}]}
    shelf = api.client.get("/api/v1/cities/Riverton/recordings").get_json()
    assert shelf["reachable"] and {r["path"]: r["status"]
                                   for r in shelf["recordings"]} == {"a.mp4": "captioned",
                                                                     "b.mp4": "queued"}
    assert api.client.get("/api/v1/cities/Nowhere/recordings").status_code == 404
    assert api.client.get("/api/v1/cities/riverton/recordings").get_json()["city"] == "Riverton"


def test_an_unreachable_mount_is_said_not_raised(api) -> None:
    api.mount.rename(api.mount.with_name("unmounted"))
    shelf = api.client.get("/api/v1/cities/Riverton/recordings")
    assert shelf.status_code == 200
    assert shelf.get_json()["reachable"] is False and "not mounted" in shelf.get_json()["problem"]


def captioned(api, name: str = "council.mp4") -> int:
    """A recording whose job succeeded with a transcript, as a worker would leave it."""
    path = api.recording(name)
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    repo = api.repo
    claimed = repo.claim(job_id, "test:1", stale_before=repo.job(job_id).created_at)
    transcript = spoken((2.0, "Good evening and welcome to the Riverton council."),
                        (30.0, "The water main replacement on Elm Street is approved."))
    repo.succeed(job_id, claimed.attempts, transcript, [], [])
    return claimed.recording_id


def test_transcript_and_every_caption_format(api) -> None:
    recording_id = captioned(api)
    body = api.client.get(f"/api/v1/recordings/{recording_id}/transcript").get_json()
    assert body["recording_id"] == recording_id
    assert body["segments"][1]["words"][0]["start"] == 30.0
    formats = api.client.get(f"/api/v1/recordings/{recording_id}").get_json()["captions"]
    assert set(formats) == {"scc", "srt", "vtt", "txt", "json"}
    vtt = api.client.get(formats["vtt"])
    assert vtt.status_code == 200 and vtt.mimetype == "text/vtt"
    assert vtt.get_data(as_text=True).startswith("WEBVTT") and "Elm Street" in vtt.get_data(as_text=True)
    assert 'filename="council.vtt"' in vtt.headers["Content-Disposition"]
    assert api.client.get(formats["scc"]).get_data(as_text=True).startswith("Scenarist_SCC V1.0")
    assert "-->" in api.client.get(formats["srt"]).get_data(as_text=True)
    assert api.client.get(f"/api/v1/recordings/{recording_id}/captions/doc").status_code == 404
    assert api.client.get("/api/v1/recordings/999999/transcript").status_code == 404


def test_a_recording_says_it_has_a_transcript_without_reading_it(api) -> None:
    """GET /api/v1/recordings/<id> answers "transcript": true/false from a cheap exists-query:
    the transcript's body (every segment and word of the meeting) is never read for it."""
    from sqlalchemy import event

    recording_id = captioned(api)
    uncaptioned_id = api.post("/api/v1/jobs", {"path": str(api.recording("work-session.mp4"))}
                              ).get_json()["recording_id"]
    statements: list[str] = []
    engine = api.repo._engine

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        captioned_body = api.read(f"/api/v1/recordings/{recording_id}").get_json()
        bare_body = api.read(f"/api/v1/recordings/{uncaptioned_id}").get_json()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert captioned_body["transcript"] is True and set(captioned_body["captions"]) == {
        "scc", "srt", "vtt", "txt", "json"}
    assert bare_body["transcript"] is False and bare_body["captions"] == {}
    reads_body = [s for s in statements if "transcripts.body" in s]
    assert reads_body == [], reads_body


def test_search_finds_the_second_a_phrase_is_spoken(api) -> None:
    recording_id = captioned(api)
    results = api.client.get('/api/v1/search?q="water main"', headers=api.bearer).get_json()["results"]
    assert results == [{"recording_id": recording_id, "city": "Riverton",
                        "path": str((api.mount / "council.mp4").resolve()),
                        "start": 30.35, "end": results[0]["end"],
                        "snippet": results[0]["snippet"], "live_session": None}]
    assert "«water" in results[0]["snippet"]
    assert api.client.get("/api/v1/search?q=budget").get_json() == {"results": []}
    any_case = api.client.get("/api/v1/search?q=water&city=RIVERTON").get_json()["results"]
    assert [r["recording_id"] for r in any_case] == [recording_id]
    assert api.client.get("/api/v1/search?q=water&city=Elsewhere").status_code == 404
    # Nothing to search for, whether nothing was typed or only punctuation: a 400 saying so.
    for typed in ("", " ", "_", '" : * _'):
        refused = api.client.get("/api/v1/search", query_string={"q": typed})
        assert refused.status_code == 400, typed
        assert refused.get_json()["error"]["detail"]["query"]["q"], typed
    # The page says so too, rather than "Nothing found for _".
    page = api.client.get("/search", query_string={"q": "_"}).text
    assert "Nothing found" not in page and "Nothing to search for" in page


def test_search_finds_a_word_in_either_spelling(api) -> None:
    """A recording kept before captions were respelled American says "favour": the API and the
    search page find it for "favor", and the new one's "favor" for "favour"."""
    def said(name: str, text: str) -> int:
        job_id = api.post("/api/v1/jobs", {"path": str(api.recording(name))}).get_json()["id"]
        claimed = api.repo.claim(job_id, "test:1", stale_before=api.repo.job(job_id).created_at)
        api.repo.succeed(job_id, claimed.attempts, spoken((4.0, text)), [], [])
        return claimed.recording_id
    old = said("old.mp4", "All those in favour say aye.")
    new = said("new.mp4", "Those in favor of the motion?")
    for typed in ("favor", "favour"):
        found = api.client.get("/api/v1/search", query_string={"q": typed}).get_json()["results"]
        hits = {hit["recording_id"]: hit for hit in found}
        assert set(hits) == {old, new}, typed
        assert hits[old]["start"] == 4.0 + 3 * 0.35 and "«favour»" in hits[old]["snippet"]
        assert hits[new]["start"] == 4.0 + 2 * 0.35 and "«favor»" in hits[new]["snippet"]
        page = api.client.get("/search", query_string={"q": typed}).text
        assert "<mark>favour</mark>" in page and "<mark>favor</mark>" in page


def test_errors_are_json_with_a_message_and_no_internals(api) -> None:
    response = api.client.get("/api/v1/jobs/not-a-number")
    assert response.status_code == 404 and response.get_json()["error"]["message"]
    crash = api.post("/api/v1/jobs", {"path": "x" * 5000})
    assert crash.status_code == 400 and "Traceback" not in crash.get_data(as_text=True)


def test_openapi_document_describes_every_endpoint(api) -> None:
    spec = api.client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/jobs", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/cancel",
            "/api/v1/jobs/{job_id}/retry", "/api/v1/jobs/{job_id}/priority", "/api/v1/cities",
            "/api/v1/cities/{name}/recordings", "/api/v1/recordings/{recording_id}/transcript",
            "/api/v1/recordings/{recording_id}/captions/{format}", "/api/v1/search",
            "/api/v1/health"} <= set(spec["paths"])
    post = spec["paths"]["/api/v1/jobs"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("JobIn")
    assert {"bearerAuth": []} in post["security"] and "401" in post["responses"]
    assert "path" in spec["components"]["schemas"]["JobIn"]["required"]


def test_the_openapi_servers_are_wherever_each_reader_found_the_document(app_with) -> None:
    """The document named the address of the first request the API app ever answered, for
    ever: a health check on the box at http://127.0.0.1:8080 first, and every client on the
    LAN was then told to call 127.0.0.1. Its server is relative: wherever it was read."""
    client = app_with().test_client()
    first = client.get("/api/v1/openapi.json", base_url="http://127.0.0.1:8080").get_json()
    later = client.get("/api/v1/openapi.json", base_url="http://192.0.2.2:8080").get_json()
    for spec in (first, later):
        urls = [server["url"] for server in spec.get("servers", [{"url": "/"}])]
        assert urls == ["/"], urls


def test_the_documented_eta_is_what_a_job_carries_running_and_finished(api) -> None:
    """The OpenAPI document described `eta_seconds` not at all (an estimate kept from the last
    heartbeat?): it says what it holds, and the jobs agree: the worker's estimate of the time
    left while running, null once the job has finished."""
    spec = api.client.get("/api/v1/openapi.json").get_json()
    eta = spec["components"]["schemas"]["Job"]["properties"]["eta_seconds"]
    said = eta.get("description", "")
    assert "left" in said and "heartbeat" in said and "null" in said.lower(), eta
    assert "finished" in said and "queued" in said, eta
    job_id = api.post("/api/v1/jobs", {"path": str(api.recording())}).get_json()["id"]
    assert api.read(f"/api/v1/jobs/{job_id}").get_json()["eta_seconds"] is None   # queued
    repo = api.repo
    claimed = repo.claim(job_id, "test:1", stale_before=repo.job(job_id).created_at)
    repo.heartbeat(job_id, claimed.attempts, 0.25, 90.0)
    assert api.read(f"/api/v1/jobs/{job_id}").get_json()["eta_seconds"] == 90.0
    repo.succeed(job_id, claimed.attempts, spoken((1.0, "Call to order.")), [], [])
    assert api.read(f"/api/v1/jobs/{job_id}").get_json()["eta_seconds"] is None


def test_api_health_reports_each_gateway(api) -> None:
    body = api.client.get("/api/v1/health").get_json()
    assert {g["name"] for g in body["gateways"]} >= {"database", "redis", "library"}


def test_job_rows_from_the_repository_show_in_the_api(api) -> None:
    path = api.recording()
    recording = api.app.container.jobs().recording_at(path, "Riverton")
    job, _ = api.repo.queue_job(Job(recording_id=recording.id, path=Path(path), city="Riverton"))
    assert api.client.get(f"/api/v1/jobs/{job.id}", headers=api.bearer).get_json()["path"] == str(path)
    public = api.client.get(f"/api/v1/jobs/{job.id}").get_json()
    assert public["path"] == path.name and public["worker"] is None


def test_a_linked_recording_shows_the_status_of_its_job_asked_for_by_real_path(api) -> None:
    real = api.recording("archive/council.mp4")
    (api.mount / "tonight.mp4").symlink_to(real)
    api.post("/api/v1/jobs", {"path": "tonight.mp4", "city": "Riverton"})
    shelf = api.client.get("/api/v1/cities/Riverton/recordings", headers=api.bearer).get_json()
    assert {r["path"].rsplit("/", 1)[1]: r["status"] for r in shelf["recordings"]} == {
        "council.mp4": "queued", "tonight.mp4": "queued"}
