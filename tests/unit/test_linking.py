"""Linking a recording to its show from its file name, through a VOD platform of a few shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from archivist.domain.publishing.linking import link, show_id_in_name, title_and_date
from archivist.domain.publishing.vod import Show

CENTRAL = timezone(timedelta(hours=-6))


class ShowList:
    """The search half of a VodPlatform over a list of shows (the server's substring search)."""

    def __init__(self, *shows: Show) -> None:
        self.shows = shows
        self.searches: list[str] = []

    def find_shows(self, text: str, location: int | None = None) -> list[Show]:
        self.searches.append(text)
        return [s for s in self.shows if text.casefold() in s.title.casefold()
                and location in (None, s.location)]


def show(show_id: int, title: str, day: int, location: int = 5) -> Show:
    return Show(show_id, title, datetime(2026, 11, day, 18, 30, tzinfo=CENTRAL), location)


PLATFORM = ShowList(show(88, "Eastfield Park Board", 12), show(87, "Eastfield Park Board", 8),
                    show(90, "Eastfield Planning Commission", 19),
                    show(91, "Eastfield Planning Commission", 19),
                    show(1001, "Riverton City Council", 3, location=3))


@pytest.mark.parametrize(("name", "expected"), [
    ("10845-1-Birchwood City Council (20160614).mp4", 10845),
    ("/mnt/flex-3/1001-2-anything at all.ts", 1001),
    ("Eastfield Park Board (20261112).mp4", None),
    ("2026-11-12 Park Board.mp4", None),
])
def test_the_show_id_convention(name: str, expected: int | None) -> None:
    assert show_id_in_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Eastfield Park Board (20261112).mp4", ("Eastfield Park Board", date(2026, 11, 12))),
    ("Eastfield  Park Board(2026-11-12).mov", ("Eastfield Park Board", date(2026, 11, 12))),
    ("1001-1-Riverton City Council (20261103).mp4", ("Riverton City Council", date(2026, 11, 3))),
    ("Eastfield Park Board (20261340).mp4", None),
    ("Park Board.mp4", None),
])
def test_title_and_date_from_a_file_name(name: str, expected) -> None:
    assert title_and_date(name) == expected


def test_the_show_id_in_the_name_wins_and_needs_no_search() -> None:
    platform = ShowList()
    found = link("1001-1-Riverton City Council (20261103).mp4", platform)
    assert (found.show_id, found.reason) == (1001, "file name names show 1001")
    assert platform.searches == []


def test_a_show_chosen_by_staff_wins_over_the_file_name() -> None:
    found = link("1001-1-Riverton City Council (20261103).mp4", PLATFORM, chosen=77)
    assert (found.show_id, found.reason) == (77, "chosen by staff: show 77")


def test_title_and_date_choose_the_one_show_of_that_day() -> None:
    found = link("Eastfield Park Board (20261112).mp4", PLATFORM)
    assert (found.show_id, found.reason) == (88, "title and date match show 88")


def test_titles_match_whole_not_as_a_prefix() -> None:
    platform = ShowList(show(88, "Eastfield Park Board", 12),
                        show(89, "Eastfield Park Board Special Session", 12))
    assert link("Eastfield Park Board (20261112).mp4", platform).show_id == 88


def test_two_shows_of_one_title_and_day_are_left_for_staff() -> None:
    found = link("Eastfield Planning Commission (20261119).mp4", PLATFORM)
    assert found.show_id is None
    assert found.reason == ('2 shows titled "Eastfield Planning Commission" on 2026-11-19 '
                            '(90, 91): choose one')


def test_a_city_searches_only_its_own_location() -> None:
    found = link("Riverton City Council (20261103).mp4", PLATFORM, location=5)
    assert found.show_id is None and found.reason.startswith("no show titled")


def test_a_name_with_neither_convention_says_what_it_lacks() -> None:
    found = link("meeting.mp4", PLATFORM)
    assert found.show_id is None and "neither a show id" in found.reason
