"""Accuracy you can see, on the real app and database: approving an edited revision records
the machine's word error rate, which /metrics exports per city, the city page shows and the
recording's API answer carries; a person's caption file beside a captioned recording is
measured by the next scan."""

from __future__ import annotations

import os
import time

import pytest

from tests.labels import parse, value
from tests.web.test_api import captioned


def _lines(body):
    return [{"start": s["start"], "end": s["end"], "text": s["text"]} for s in body["segments"]]


def test_approving_an_edit_shows_the_machines_word_error_rate_everywhere(api) -> None:
    recording_id = captioned(api)
    url = f"/api/v1/recordings/{recording_id}"
    assert api.client.get(url).get_json()["accuracy"] is None
    lines = _lines(api.client.get(f"{url}/transcript").get_json())
    # The machine heard "Elm Street"; the clerk heard "Okafor Street": 1 error in 17 words.
    lines[1]["text"] = lines[1]["text"].replace("Elm Street", "Okafor Street")
    saved = api.client.put(f"{url}/transcript", json={"segments": lines},
                           headers={**api.bearer, "If-Match": '"1"'})
    assert saved.status_code == 200, saved.get_json()
    assert api.post(f"{url}/approve").status_code == 200

    accuracy = api.client.get(url).get_json()["accuracy"]
    assert accuracy["reference"] == "approved" and accuracy["source"] == "revision 2"
    assert (accuracy["errors"], accuracy["words"], accuracy["machine_revision"]) == (1, 17, 1)
    assert accuracy["by"] == "token:tests" and round(accuracy["wer"], 4) == round(1 / 17, 4)

    samples = parse(api.client.get("/metrics").data.decode())
    assert value(samples, "archivist_caption_wer", city="Riverton") == \
        pytest.approx(1 / 17)
    assert value(samples, "archivist_caption_wer_recordings", city="Riverton") == 1

    page = api.client.get("/cities/Riverton").get_data(as_text=True)
    assert "Caption accuracy: word error rate <strong>5.9&nbsp;%</strong>" in page
    assert "mean over 1 recording " in page


def test_a_persons_captions_beside_a_captioned_recording_are_measured_by_the_scan(api) -> None:
    recording_id = captioned(api)
    old = time.time() - 3600
    (api.mount / "council.scc").write_text("Scenarist_SCC V1.0\n")   # captioned, as playout sees
    (api.mount / "council.human.vtt").write_text(
        "WEBVTT\n\n00:00:02.000 --> 00:00:05.000\nGood evening and welcome to the Riverton "
        "council.\n\n00:00:30.000 --> 00:00:34.000\nThe water main replacement on Elm Street "
        "is approved tonight.\n")
    for name in ("council.mp4", "council.scc", "council.human.vtt"):
        os.utime(api.mount / name, (old, old))

    report = api.app.container.scanner().scan()
    assert [str(p) for p, _ in report.measured] == [str(api.mount / "council.mp4")]
    assert "against council.human.vtt, a person's captions" in report.measured[0][1]
    accuracy = api.read(f"/api/v1/recordings/{recording_id}").get_json()["accuracy"]
    assert (accuracy["reference"], accuracy["source"]) == ("human", "council.human.vtt")
    assert (accuracy["errors"], accuracy["words"]) == (1, 18)   # "tonight" the machine missed
    assert api.app.container.scanner().scan().measured == []   # once
