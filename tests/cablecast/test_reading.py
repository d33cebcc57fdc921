"""Reading shows and VODs from the fake Cablecast over HTTP: paging, sideloading, addresses, links."""

from __future__ import annotations

import pytest

from archivist.adapters.cablecast import CablecastPlatform, api_base
from archivist.domain.errors import NotFound
from archivist.domain.publishing.linking import link
from tests.cablecast.conftest import make_client


def add_archive(cablecast, count: int) -> None:
    for n in range(count):
        cablecast.fake.state.add_show(f"Riverton Archive {n:03d}", "2025-01-07T19:00:00-06:00",
                                      vod_file=f"Riverton Archive {n:03d}.mp4")


def test_a_search_reads_every_page_though_the_server_caps_page_size(cablecast, platform) -> None:
    add_archive(cablecast, 60)
    cablecast.fake.state.page_cap = 25   # the client asks for 100 a page

    shows = platform.find_shows("Riverton Archive")

    assert sorted(s.title for s in shows) == [f"Riverton Archive {n:03d}" for n in range(60)]
    assert len({s.id for s in shows}) == 60
    pages = cablecast.fake.asked("GET", "/shows?")
    assert len(pages) == 3 and "offset=25" in pages[1] and "offset=50" in pages[2]


def test_a_server_that_reads_offset_as_a_page_number_loses_and_repeats_nothing(
        cablecast, platform) -> None:
    add_archive(cablecast, 60)
    cablecast.fake.state.page_cap = 10
    cablecast.fake.state.offset_is_page = True

    shows = platform.find_shows("Riverton Archive")

    assert len(shows) == 60 and len({s.id for s in shows}) == 60


def test_paging_stops_on_a_short_page_without_asking_again(cablecast, platform) -> None:
    shows = platform.find_shows("Eastfield")
    assert {s.id for s in shows} == {87, 88, 90, 91}
    assert len(cablecast.fake.asked("GET", "/shows?")) == 1


def test_shows_come_with_their_vods_sideloaded_in_the_same_request(cablecast, platform) -> None:
    [show] = [s for s in platform.find_shows("Eastfield Park Board") if s.id == 88]
    assert show.event_date and show.event_date.date().isoformat() == "2026-11-12"
    assert [v.file_name for v in show.vods] == ["Eastfield Park Board (20261112).mp4"]
    assert "include=vod" in cablecast.fake.asked("GET", "/shows?")[0]
    assert cablecast.fake.asked("GET", "/vods") == []


def test_one_show_by_id_with_its_vods(platform) -> None:
    show = platform.show(1001)
    assert show.title == "Riverton City Council" and show.location == 3
    assert [v.file_name for v in show.vods] == ["1001-1-Riverton City Council (20261103).mp4"]


def test_an_unknown_show_is_not_found(platform) -> None:
    with pytest.raises(NotFound, match="shows/4242"):
        platform.show(4242)


@pytest.mark.parametrize("suffix", ["", "/", "/CablecastAPI/v1", "/cablecastapi/v1/",
                                    "/CABLECASTAPI/V1/"])
def test_the_server_address_may_already_name_the_api_root(cablecast, suffix) -> None:
    assert api_base(cablecast.url + suffix) == cablecast.url + "/cablecastapi/v1"
    platform = CablecastPlatform(make_client(cablecast.url + suffix))
    assert platform.show(1002).title == "Riverton School Board Work Session"
    assert cablecast.fake.asked("GET")[-1].startswith("/cablecastapi/v1/shows/1002")


def test_a_recording_named_by_show_id_links_without_a_search(cablecast, platform) -> None:
    found = link("1003-1-Riverton City Council (20261117).mp4", platform)
    assert (found.show_id, found.reason) == (1003, "file name names show 1003")
    assert cablecast.fake.requests == []


def test_a_recording_named_by_title_and_date_links_to_the_one_show_that_matches(platform) -> None:
    found = link("Eastfield Park Board (20261112).mp4", platform, location=5)
    assert (found.show_id, found.reason) == (88, "title and date match show 88")


def test_an_ambiguous_title_and_date_links_to_nothing_and_names_the_candidates(platform) -> None:
    found = link("Eastfield Planning Commission (20261119).mp4", platform)
    assert found.show_id is None
    assert "2 shows" in found.reason and "90, 91" in found.reason


def test_a_title_with_no_show_on_that_date_links_to_nothing(platform) -> None:
    found = link("Eastfield Park Board (20261203).mp4", platform)
    assert found.show_id is None
    assert found.reason == 'no show titled "Eastfield Park Board" on 2026-12-03'
