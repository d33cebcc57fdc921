"""Publishing recordings to the fake Cablecast over HTTP: sidecars, chapters, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.domain.models import PublicationState, Segment, Transcript
from archivist.domain.publishing.publisher import CityPublishing, Publisher
from tests.fakes import FolderLibrary

RIVERTON = CityPublishing(location=3, sidecar="beside", chapters=True)
EASTFIELD = CityPublishing(location=5, sidecar="beside", chapters=True)
UPLOADING = CityPublishing(location=3, sidecar="upload", file_store=7, chapters=True)
NAME = "1001-1-Riverton City Council (20261103)"
VOD = 5000   # the fake's VOD of show 1001

# What the chair said at the Riverton council meeting of 3 November (utterance starts, seconds).
MEETING = Transcript(tuple(Segment(start, start + 5, text) for start, text in [
    (2.1, ("Good evening everyone. I would like to call this regular meeting of the city council "
           "to order. Will the clerk please call the roll?")),
    (33.0, ("The first item on the agenda is the approval of the consent agenda. Is there a motion "
            "to approve the consent agenda as presented?")),
    (44.2, ("It has been moved and seconded. All those in favor say aye. Opposed? The motion "
            "carries unanimously.")),
    (118.4, ("Thank you. Seeing no further questions, we will move on to the public comment "
             "period. Please state your name and address for the record.")),
    (143.0, ("Thank you for your comment. The next item is a resolution approving the purchase of "
             "a new ladder truck for the fire department.")),
    (185.3, ("Is there a motion to adjourn? So moved. Second. All in favor. This meeting is "
             "adjourned.")),
]), duration=193.0)
SCC = "Scenarist_SCC V1.0\n\n00:00:02;03\t9420 9420 94ae 94ae\n"


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    media = tmp_path / f"{NAME}.mp4"
    media.write_bytes(b"not really video")
    (tmp_path / f"{NAME}.scc").write_text(SCC)
    return media


def live_chapters(cablecast) -> list[tuple[int, str]]:
    return [(c["offset"], c["title"]) for c in cablecast.fake.state.live_chapters(VOD)]


def test_publishing_links_checks_the_sidecar_and_publishes_chapters(cablecast, platform,
                                                                    recording) -> None:
    done = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING)

    assert done.state is PublicationState.PUBLISHED, done.error
    assert (done.show_id, done.vod_id, done.link_reason) == (1001, VOD, "file name names show 1001")
    assert done.sidecar_ref == str(recording.with_suffix(".scc"))
    assert live_chapters(cablecast) == [
        (2, "Call to order"), (5, "Roll call"), (33, "Approval of the consent agenda"),
        (35, "Motion to approve the consent agenda as presented"), (118, "Public comment"),
        (144, "Resolution approving the purchase of a new ladder truck…"), (185, "Adjournment")]
    assert [c.id for c in done.chapters] == [c["id"] for c in cablecast.fake.state.live_chapters(VOD)]
    assert cablecast.fake.state.vods[VOD]["chaptersPublished"] is True


def test_publishing_twice_adds_no_chapter_the_second_time(cablecast, platform, recording) -> None:
    first = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING)
    posts = len(cablecast.fake.asked("POST", "/chapters"))
    again = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING, previous=first)

    assert again.state is PublicationState.PUBLISHED
    assert [c.id for c in again.chapters] == [c.id for c in first.chapters]
    assert len(cablecast.fake.asked("POST", "/chapters")) == posts == 7
    assert len(live_chapters(cablecast)) == 7


def test_a_failure_half_way_then_a_retry_leaves_each_chapter_once(cablecast, platform,
                                                                  recording) -> None:
    cablecast.fake.fault(status=500, method="POST", path="/chapters", skip=3)
    failed = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING)
    assert failed.state is PublicationState.FAILED and "500" in (failed.error or "")
    assert len(live_chapters(cablecast)) == 3

    cablecast.fake.clear_faults()
    retried = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING, previous=failed)
    assert retried.state is PublicationState.PUBLISHED
    offsets = [offset for offset, _ in live_chapters(cablecast)]
    assert offsets == sorted(set(offsets)) and len(offsets) == 7


def test_a_chapter_whose_answer_was_lost_is_found_not_posted_again(cablecast, platform,
                                                                  recording) -> None:
    # The server makes the chapter, then the connection drops before the answer.
    cablecast.fake.fault(drop=True, when="after", method="POST", path="/chapters", times=1)
    done = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING)

    assert done.state is PublicationState.PUBLISHED, done.error
    assert len(live_chapters(cablecast)) == 7
    assert len(cablecast.fake.asked("POST", "/chapters")) == 7


def test_chapters_an_earlier_publication_made_and_no_longer_said_are_deleted_softly(
        cablecast, platform, recording) -> None:
    first = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING)
    shorter = Transcript(MEETING.segments[:2], duration=60.0)
    second = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, shorter, previous=first)

    assert [t for _, t in live_chapters(cablecast)] == [c.title for c in second.chapters]
    deleted = [c for c in cablecast.fake.state.chapters.values() if c["deleted"]]
    assert len(deleted) == 7 - len(second.chapters)


def test_chapters_added_by_hand_in_cablecast_are_left_alone(cablecast, platform, recording) -> None:
    from archivist.domain.publishing.vod import Chapter
    hand = platform.add_chapter(VOD, Chapter(offset=60, title="Presentation"))
    Publisher(platform, FolderLibrary()).publish(recording, RIVERTON, MEETING)
    assert (60, "Presentation") in live_chapters(cablecast)
    assert hand.id in cablecast.fake.state.chapters


def test_upload_mode_sends_the_sidecar_named_like_the_video_once(cablecast, platform,
                                                                recording) -> None:
    scc = SCC * 10   # several 64-byte segments
    first = Publisher(platform, FolderLibrary()).publish(recording, UPLOADING, MEETING, scc=scc)
    again = Publisher(platform, FolderLibrary()).publish(recording, UPLOADING, MEETING, scc=scc)

    assert first.state is again.state is PublicationState.PUBLISHED, first.error
    assert cablecast.fake.state.files[(7, f"{NAME}.scc")] == scc.encode()
    assert [p for p in cablecast.fake.asked("POST", "/fileuploads") if p.endswith("/fileuploads")
            ] == ["/cablecastapi/v1/fileuploads"]
    assert first.sidecar_ref == again.sidecar_ref


def test_an_upload_whose_start_answer_was_lost_is_resumed_not_started_twice(
        cablecast, platform, recording) -> None:
    cablecast.fake.fault(drop=True, when="after", method="POST", path="/fileuploads", times=1)
    done = Publisher(platform, FolderLibrary()).publish(recording, UPLOADING, MEETING, scc=SCC)

    assert done.state is PublicationState.PUBLISHED, done.error
    assert len(cablecast.fake.state.uploads) == 1
    assert cablecast.fake.state.files[(7, f"{NAME}.scc")] == SCC.encode()


def test_a_beside_sidecar_missing_is_written_from_the_transcript(cablecast, platform,
                                                                recording) -> None:
    recording.with_suffix(".scc").unlink()
    library = FolderLibrary()
    done = Publisher(platform, library=library).publish(recording, RIVERTON, MEETING)
    assert done.state is PublicationState.PUBLISHED, done.error
    assert library.written == [recording.with_suffix(".scc")]
    assert recording.with_suffix(".scc").read_text().startswith("Scenarist_SCC V1.0")


def test_a_beside_sidecar_missing_with_nothing_to_write_it_from_fails_clearly(
        cablecast, platform, recording) -> None:
    recording.with_suffix(".scc").unlink()
    done = Publisher(platform, FolderLibrary()).publish(recording, RIVERTON)
    assert done.state is PublicationState.FAILED
    assert "no sidecar beside the video" in (done.error or "")


def test_a_recording_no_show_can_be_found_for_is_unlinked_and_nothing_is_sent(
        cablecast, platform, tmp_path) -> None:
    media = tmp_path / "Eastfield Planning Commission (20261119).mp4"
    media.write_bytes(b"x")
    done = Publisher(platform, FolderLibrary()).publish(media, EASTFIELD, MEETING)
    assert done.state is PublicationState.UNLINKED and done.show_id is None
    assert "90, 91" in done.link_reason
    assert cablecast.fake.asked("POST") == []


def test_staff_can_choose_the_show(cablecast, platform, tmp_path) -> None:
    media = tmp_path / "Eastfield Planning Commission (20261119).mp4"
    media.write_bytes(b"x")
    media.with_suffix(".scc").write_text(SCC)
    done = Publisher(platform, FolderLibrary()).publish(media, EASTFIELD, MEETING, show_id=90)
    assert (done.state, done.show_id, done.link_reason) == (
        PublicationState.PUBLISHED, 90, "chosen by staff: show 90")


def test_a_show_named_in_the_file_that_cablecast_lacks_fails_and_says_so(platform, tmp_path):
    media = tmp_path / "4242-1-Riverton City Council (20261103).mp4"
    media.write_bytes(b"x")
    done = Publisher(platform, FolderLibrary()).publish(media, RIVERTON, MEETING)
    assert done.state is PublicationState.FAILED
    assert done.error == "file name names show 4242, but Cablecast has no show 4242"


def test_a_show_without_a_vod_yet_waits_for_it(cablecast, platform, tmp_path) -> None:
    media = tmp_path / "Eastfield Planning Commission (20261119).mp4"
    media.write_bytes(b"x")
    media.with_suffix(".scc").write_text(SCC)
    done = Publisher(platform, FolderLibrary()).publish(media, EASTFIELD, MEETING, show_id=91)
    assert done.state is PublicationState.WAITING and done.vod_id is None
    assert "no VOD yet" in done.notes[0]


def test_refused_credentials_stop_publishing_with_one_line_naming_the_server_and_401(
        cablecast, recording) -> None:
    from archivist.adapters.cablecast import CablecastError, CablecastPlatform
    from tests.cablecast.conftest import make_client

    wrong = CablecastPlatform(make_client(cablecast.url, password="wrong"))
    with pytest.raises(CablecastError) as caught:
        Publisher(wrong, FolderLibrary()).publish(recording, RIVERTON, MEETING)
    message = str(caught.value)
    assert caught.value.status == 401 and "\n" not in message
    assert message.startswith(f"cablecast at {cablecast.url.removeprefix('http://')} refused GET")
    assert "wrong" not in message
