"""The operator pages render what staff need."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from archivist.entrypoints.web import create_app
from tests.web.test_api import captioned

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def page(api: Any, url: str, headers: dict[str, str] | None = None) -> str:
    response = api.client.get(url, headers={**HTML, **(headers or {})})
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_dashboard_lists_each_citys_meetings_by_name_and_date_with_status(api) -> None:
    recording_id = captioned(api, "1001-1-City Council (20261103).mp4")
    api.recording("Planning 2026-11-10.mp4")
    html = page(api, "/")
    assert "Riverton" in html and "storage ok" in html
    assert "City Council" in html and "Tue 3 Nov 2026" in html and "captioned" in html
    assert "Planning 2026-11-10" in html
    assert f"/recordings/{recording_id}" in html
    assert str(api.mount) not in html and "Caption this now" not in html   # a resident's view
    staff = page(api, "/", headers=api.bearer)
    assert str(api.mount) in staff and "Caption this now" in staff


def test_queue_job_recording_transcript_search_and_health_pages(api) -> None:
    recording_id = captioned(api)
    job_id = api.repo.latest_job(recording_id).id
    assert f'data-id="{job_id}"' in page(api, "/jobs")
    assert "succeeded" in page(api, f"/jobs/{job_id}")
    recording = page(api, f"/recordings/{recording_id}")
    assert "/captions/vtt" in recording and "/captions/scc" in recording
    transcript = page(api, f"/recordings/{recording_id}/transcript?t=30.35")
    assert '<button type="button" class="line">' in transcript
    assert "water main replacement" in transcript
    results = page(api, '/search?q="water main"')
    assert f"/recordings/{recording_id}/transcript?t=30.35" in results
    assert "<mark>water main</mark>" in results or "<mark>water</mark>" in results
    assert "database" in page(api, "/status")
    # Not media at all (the test's bytes): said in words where the player would be.
    assert "cannot be played" in transcript and "<video" not in transcript
    media = api.client.get(f"/recordings/{recording_id}/media")
    assert media.status_code == 404
    # Why, as the page says it; not "no such URL", which sends staff looking for a typo.
    assert "cannot be played" in media.get_json()["error"]["message"]


def test_a_missing_page_is_a_page_for_a_browser_and_json_for_a_client(api) -> None:
    html = api.client.get("/jobs/999999", headers=HTML)
    assert html.status_code == 404 and html.mimetype == "text/html"
    assert api.client.get("/jobs/999999").mimetype == "application/json"


def test_an_unmounted_city_is_said_on_the_dashboard(api) -> None:
    api.mount.rename(api.mount.with_name("gone"))
    assert "storage unreachable" in page(api, "/")


def test_without_a_secret_key_pages_render_and_the_login_page_says_why(config) -> None:
    client = create_app({**config, "secret_key": ""}).test_client()
    assert client.get("/", headers=HTML).status_code == 200
    login = client.get("/login", headers=HTML).get_data(as_text=True)
    assert "Sessions are off" in login


def test_the_recording_page_shows_the_caption_report_beside_the_recording(api) -> None:
    recording_id = captioned(api)
    assert "Caption report" not in page(api, f"/recordings/{recording_id}")
    recording = api.repo.recording(recording_id)
    transcript = api.repo.transcript(recording_id)
    api.app.container.captioning().write(transcript, recording.path, ["vtt"])
    html = page(api, f"/recordings/{recording_id}")
    assert "Caption report" in html
    assert "reading rate p95 (cps)" in html and "speech covered" in html
    assert "web (vtt, srt)" in html and "broadcast (scc)" in html


SAMPLE = next((Path(__file__).parents[2] / "archivist" / "samples").glob("*.mp4"))


def test_a_recording_browsers_play_is_served_as_it_is_with_ranges(api) -> None:
    recording_id = captioned(api, "1001-1-Council (20261103).mp4")
    shutil.copy(SAMPLE, api.mount / "1001-1-Council (20261103).mp4")
    part = api.client.get(f"/recordings/{recording_id}/media", headers={"Range": "bytes=0-99"})
    assert (part.status_code, part.mimetype, len(part.get_data())) == (206, "video/mp4", 100)
    assert "<video" in page(api, f"/recordings/{recording_id}/transcript")


def test_a_transport_stream_asks_for_its_browser_copy_and_says_it_is_coming(api) -> None:
    recording_id = captioned(api, "1002-1-Council (20261110).ts")
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-t", "4", "-i", str(SAMPLE),
                    "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts",
                    str(api.mount / "1002-1-Council (20261110).ts")], check=True, timeout=60)
    html = page(api, f"/recordings/{recording_id}/transcript")
    assert "being made" in html and "<video" not in html and "Elm Street" in html
    assert api.queue.playable == [recording_id]
    assert api.client.get(f"/recordings/{recording_id}/media").status_code == 404
    api.app.container.playback().make(recording_id)          # what the worker's task does
    assert "<video" in page(api, f"/recordings/{recording_id}/transcript")
    copy = api.client.get(f"/recordings/{recording_id}/media", headers={"Range": "bytes=0-9"})
    assert (copy.status_code, copy.mimetype) == (206, "video/mp4")


def test_a_captioned_meeting_can_be_captioned_again(api) -> None:
    recording_id = captioned(api)
    staff = page(api, f"/recordings/{recording_id}", headers=api.bearer)
    assert "Caption again" in staff and "Caption again" not in page(api, f"/recordings/{recording_id}")
    path = str(api.repo.recording(recording_id).path)
    same = api.post("/api/v1/jobs", {"path": path}).get_json()
    assert not same["created"]                              # captioned already: nothing to do
    again = api.post("/api/v1/jobs", {"path": path, "force": True}).get_json()
    assert again["created"] and again["state"] == "queued"



def test_caption_again_warns_before_replacing_staff_corrections(api) -> None:
    """A new machine transcript supersedes an approved correction: the button carries what it
    would replace, for its confirmation to say so."""
    recording_id = captioned(api)
    assert "data-corrected" not in page(api, f"/recordings/{recording_id}", headers=api.bearer)
    url = f"/api/v1/recordings/{recording_id}/transcript"
    lines = [{k: s[k] for k in ("start", "end", "text")}
             for s in api.client.get(url).get_json()["segments"]]
    lines[0]["text"] = "Good evening and welcome to the Riverton city council."
    saved = api.client.put(url, json={"segments": lines}, headers={**api.bearer, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.get_json()
    assert api.post(f"/api/v1/recordings/{recording_id}/approve").status_code == 200
    staff = page(api, f"/recordings/{recording_id}", headers=api.bearer)
    assert 'data-corrected="revision 2, approved by token:tests"' in staff


def test_the_city_archive_pages_and_filters_meetings(api) -> None:
    for day, body in [(3, "City Council"), (10, "Planning Commission"), (17, "City Council")]:
        captioned(api, f"10{day}-1-{body} (202611{day:02d}).mp4")
    html = page(api, "/cities/Riverton?body=City+Council&since=2026-11-05")
    assert "Tue 17 Nov 2026" in html and "Tue 3 Nov 2026" not in html
    assert "Planning Commission</a>" not in html
    everything = page(api, "/recordings")
    assert everything.index("17 Nov 2026") < everything.index("10 Nov 2026") < everything.index("3 Nov 2026")
    assert "Tue 17 Nov 2026" in page(api, "/cities/riverton?body=City+Council")   # any case
    assert api.client.get("/cities/Nowhere", headers=HTML).status_code == 404
    queue = page(api, "/jobs?city=RIVERTON", api.bearer)
    assert 'data-city="Riverton"' in queue and 'id="no-jobs"' not in queue
    unknown = api.client.get("/jobs?city=Rivertn", headers={**HTML, **api.bearer})
    assert unknown.status_code == 404 and "did you mean Riverton?" in unknown.get_data(as_text=True)
    assert api.client.get("/recordings?since=soon", headers=HTML).status_code == 400


def test_visitors_see_file_names_in_messages_and_staff_see_where_they_are(api) -> None:
    from archivist.domain.models import JobState

    path = api.recording("1007-1-Garbage Board (20261115).mp4")
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    claimed = api.repo.claim(job_id, "test:1", stale_before=api.repo.job(job_id).created_at)
    api.repo.transition(job_id, [JobState.RUNNING], JobState.FAILED, attempt=claimed.attempts,
                        error=f"{path}: not a media file (no known audio/video format)")
    rid = claimed.recording_id
    said = f"{path.name}: not a media file"
    # A resident: the API, the queue, the job, the recording and where the player would be name
    # the file and never the folder it is kept in.
    assert api.client.get(f"/api/v1/jobs/{job_id}").get_json()["error"].startswith(said)
    assert api.client.get(f"/api/v1/recordings/{rid}").get_json()["job"]["error"].startswith(said)
    for url in ("/jobs", f"/jobs/{job_id}", f"/recordings/{rid}"):
        html = page(api, url)
        assert path.name in html and str(api.mount) not in html, url
    # Why it cannot play comes from ffprobe, within the page's deadline: a loaded machine may
    # miss it once (the page then says "right now"), so it is asked a few times.
    for _ in range(5):
        html = page(api, f"/recordings/{rid}/transcript")
        assert str(api.mount) not in html
        if "cannot be played: " in html:
            break
    assert f"({path.name}: " in html
    # Staff are told where the file is.
    assert api.client.get(f"/api/v1/jobs/{job_id}", headers=api.bearer).get_json()["error"] \
        .startswith(f"{path}: not a media file")
    assert f"{path}: not a media file" in page(api, f"/jobs/{job_id}", headers=api.bearer)


def test_a_recording_the_server_reads_too_late_for_the_page_says_why_and_to_reload(api, monkeypatch) -> None:
    """On a loaded machine ffprobe can miss the page's deadline (web.deadline): the page says
    the server was too busy to read the recording in time, not just that it cannot play."""
    import time

    from archivist.domain.playback.copies import Playback
    from archivist.entrypoints.web import deadline

    recording_id = captioned(api)
    with api.app.app_context():
        late = deadline.page_seconds() + 0.5
    monkeypatch.setattr(Playback, "playable", lambda self, recording_id, ask=False: time.sleep(late))
    transcript = page(api, f"/recordings/{recording_id}/transcript")
    assert "too busy to read it in time" in transcript and "Reload the page" in transcript
    assert "<video" not in transcript and "water main replacement" in transcript


def test_a_recording_of_unknown_length_says_so(api) -> None:
    """A recording not yet read (or unreadable) has no length: the page said 'Length' and
    nothing."""
    path = api.recording("1008-1-Parks Board (20261116).mp4")
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    rid = api.repo.job(job_id).recording_id
    assert api.repo.recording(rid).duration is None
    html = page(api, f"/recordings/{rid}")
    assert "<dt>Length</dt><dd>unknown until it is captioned</dd>" in html


def test_the_archive_says_which_lengths_are_unknown_and_why(api) -> None:
    """The archive's Length cell was empty for a meeting not captioned yet (the length is read
    from the media when it is captioned): it says "unknown" and why, as the recording page
    does, and a captioned meeting's length as a clock."""
    import re

    captioned(api, "1003-1-City Council (20261103).mp4")
    waiting = api.recording("1008-1-Parks Board (20261116).mp4")
    api.post("/api/v1/jobs", {"path": str(waiting)})
    html = page(api, "/recordings")
    rows = dict(re.findall(r'<a href="/recordings/\d+">([^<]+)</a>.*?<td data-label="Length">(.*?)</td>',
                           html, re.S))
    assert rows == {"City Council": "0:35", "Parks Board": "unknown until it is captioned"}


def test_a_length_unknown_says_why_only_where_that_is_true(api) -> None:
    """"Unknown until it is captioned" was said of any recording with no length: of one whose
    captioning failed (captioning it again may fail again), and of one with a transcript
    stored by another route (it is captioned). The recording page and the archive say the
    same of each."""
    import re

    from archivist.domain.models import JobState
    from tests.fakes import spoken

    failed = api.recording("1007-1-Garbage Board (20261115).mp4")
    failed_job = api.post("/api/v1/jobs", {"path": str(failed)}).get_json()["id"]
    api.repo.transition(failed_job, [JobState.QUEUED], JobState.FAILED,
                        error="1007-1-Garbage Board (20261115).mp4: not a media file")
    stored = api.recording("1008-1-Parks Board (20261116).mp4")
    stored_job = api.post("/api/v1/jobs", {"path": str(stored)}).get_json()["id"]
    stored_id = api.repo.job(stored_job).recording_id
    api.repo.save_transcript(stored_id, stored_job, spoken((1.0, "the park is open")))
    assert api.repo.recording(stored_id).duration is None
    said = {"Garbage Board": "unknown (its captioning failed)", "Parks Board": "unknown"}
    html = page(api, "/recordings")
    rows = dict(re.findall(r'<a href="/recordings/\d+">([^<]+)</a>.*?<td data-label="Length">(.*?)</td>',
                           html, re.S))
    assert rows == said
    for job_id, title in ((failed_job, "Garbage Board"), (stored_job, "Parks Board")):
        rid = api.repo.job(job_id).recording_id
        assert f"<dt>Length</dt><dd>{said[title]}</dd>" in page(api, f"/recordings/{rid}")


def test_the_archive_shows_a_jobs_new_state_at_the_next_read(api) -> None:
    """The archive keeps its list until a recording is added (or a minute passes): a job that
    failed, was queued again or succeeded after a read showed only a minute later."""
    import re

    from archivist.domain.models import JobState
    from tests.fakes import spoken

    path = api.recording("1008-1-Parks Board (20261116).mp4")
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    repo = api.repo

    def shown() -> tuple[str, str]:
        html = page(api, "/recordings")
        found = re.search(r'<td data-label="Length">(.*?)</td>\s*'
                          r'<td data-label="Transcript">(.*?)</td>', html, re.S)
        assert found is not None, html
        return found[1], re.sub(r"<[^>]+>", "", found[2])

    assert shown() == ("unknown until it is captioned", "not yet")
    claimed = repo.claim(job_id, "test:1", stale_before=repo.job(job_id).created_at)
    repo.transition(job_id, [JobState.RUNNING], JobState.FAILED, attempt=claimed.attempts,
                    error="the worker ran out of memory")
    assert shown() == ("unknown (its captioning failed)", "not yet")
    repo.transition(job_id, [JobState.FAILED], JobState.QUEUED)   # "Retry"
    assert shown() == ("unknown until it is captioned", "not yet")
    claimed = repo.claim(job_id, "test:2", stale_before=repo.job(job_id).created_at)
    repo.succeed(job_id, claimed.attempts, spoken((30.0, "The park opens at dawn.")), [], [])
    assert shown() == ("0:33", "Watch and read")


def test_the_archive_shows_a_replaced_transcript_at_the_next_read(api) -> None:
    """Captioning a recording again replaces its transcript (their number stays the same) and
    its length: the archive showed the old length until a minute passed."""
    import re

    from archivist.domain.models import Job
    from tests.fakes import spoken

    path = api.recording("1009-1-Library Board (20261117).mp4")
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    repo = api.repo

    def length() -> str:
        found = re.search(r'<td data-label="Length">(.*?)</td>', page(api, "/recordings"), re.S)
        assert found is not None
        return found[1]

    def caption(job_id: int, until: float) -> None:
        claimed = repo.claim(job_id, "test:1", stale_before=repo.job(job_id).created_at)
        repo.succeed(job_id, claimed.attempts, spoken((until, "The meeting is adjourned.")),
                     [], [])

    caption(job_id, 30.0)
    assert length() == "0:33"
    again, created = repo.queue_job(Job(recording_id=repo.job(job_id).recording_id))
    assert created and length() == "0:33"   # read again while the new job waits
    caption(again.id, 60.0)
    assert length() == "1:03"


def test_a_page_typed_with_a_slash_at_the_end_is_found(app_with) -> None:
    """`/recordings/`, `/cities/Riverton/` or `/search/?q=budget`, as people type addresses
    and flyers print them, were "no such URL": they go to the page, with their query."""
    client = app_with().test_client()
    for typed, page in (("/recordings/", "/recordings"), ("/search/?q=budget", "/search?q=budget"),
                        ("/cities/Riverton/", "/cities/Riverton"), ("/status/", "/status")):
        response = client.get(typed, headers=HTML)
        assert response.status_code == 308 and response.headers["Location"] == page, typed
    assert client.get("/nowhere/", headers=HTML).status_code == 404
    assert client.post("/recordings/", headers=HTML).status_code in (401, 404, 405)


def test_logging_in_from_a_page_comes_back_to_it_with_its_query(api) -> None:
    """"Log in" on a search's results (or a transcript at a moment) came back to /search with
    no words: the link kept the page's path and dropped its query."""
    import html as markup
    import re

    from tests.web.test_security import PASSWORD

    api.app.container.access().add_staff("dana", PASSWORD)
    for wanted in ("/search?q=water+main&city=Riverton", "/recordings?body=Council&page=2"):
        shown = page(api, wanted)
        link = markup.unescape(re.search(r'href="(/login\?next=[^"]+)"', shown).group(1))
        client = api.app.test_client()
        form = client.get(link).get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        back = markup.unescape(re.search(r'name="next" value="([^"]*)"', form).group(1))
        response = client.post("/login", data={"name": "dana", "password": PASSWORD,
                                               "csrf_token": csrf, "next": back})
        assert response.headers["Location"] == wanted
    # "Log in" pressed on the login page itself goes where that one was going.
    client = api.app.test_client()
    form = client.get("/login?next=/search%3Fq%3Dbudget").get_data(as_text=True)
    link = markup.unescape(re.search(r'href="(/login\?next=[^"]+)"', form).group(1))
    again = client.get(link).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', again).group(1)
    back = markup.unescape(re.search(r'name="next" value="([^"]*)"', again).group(1))
    response = client.post("/login", data={"name": "dana", "password": PASSWORD,
                                           "csrf_token": csrf, "next": back})
    assert response.headers["Location"] == "/search?q=budget"
