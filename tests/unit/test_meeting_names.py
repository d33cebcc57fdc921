"""Meeting names from file names: the documented pattern gives title, body and date; any
file name gives a title; the archive pages newest first and filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archivist.domain.meetings.archive import Archive, Catalogued, Names
from archivist.domain.meetings.names import NamePattern, check


def test_the_cablecast_convention_gives_title_body_and_date() -> None:
    named = NamePattern().read("/mnt/flex-3/1001-1-City Council Regular Meeting (20261110).ts")
    assert (named.title, named.body, named.date) == (
        "City Council Regular Meeting", "City Council", date(2026, 11, 10))


def test_a_name_off_the_pattern_keeps_its_file_name_and_no_date() -> None:
    named = NamePattern().read("council_budget_workshop.mp4")
    assert (named.title, named.date) == ("council budget workshop", None)


def test_a_date_that_is_no_date_is_left_out() -> None:
    assert NamePattern().read("1-1-Council (20261399).ts").date is None


def test_a_city_may_write_its_own_pattern() -> None:
    pattern = NamePattern("{date:%Y-%m-%d} {body} - {title}")
    named = pattern.read("2026-01-05 Planning Commission - Elm Street rezoning.mxf")
    assert (named.title, named.body, named.date) == (
        "Elm Street rezoning", "Planning Commission", date(2026, 1, 5))


@pytest.mark.parametrize("pattern", ["{nonsense}", "{date}", "{title} {title}", "{date:%Q} {title}"])
def test_a_pattern_that_cannot_work_is_refused_with_why(pattern: str) -> None:
    assert check(pattern)


@given(st.text(max_size=80))
def test_any_file_name_gives_a_title(name: str) -> None:
    named = NamePattern().read(name)
    assert named.title.strip() and named.body.strip()


@given(show=st.integers(1, 99999), reel=st.integers(1, 9),
       title=st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00"),
                     min_size=1, max_size=40).filter(lambda t: t.strip() and t.strip() not in (".", "..")),
       day=st.dates(date(1990, 1, 1), date(2099, 12, 31)))
def test_the_documented_pattern_reads_back_what_was_written(show: int, reel: int, title: str,
                                                            day: date) -> None:
    named = NamePattern().read(f"{show}-{reel}-{title} ({day:%Y%m%d}).mp4")
    assert named.date == day
    written = " ".join(title.replace("_", " ").split())
    assert named.title == (written or named.title)   # a blank title ("_") keeps the file name


def test_a_blank_title_keeps_the_date_the_name_gives() -> None:
    named = NamePattern().read("1-1-_ (20000101).mp4")
    assert named.date == date(2000, 1, 1) and named.title.strip()


class Rows:
    """The archive's database, as a list."""

    def __init__(self, rows: list[Catalogued]) -> None:
        self.rows, self.reads = rows, 0

    def catalogued(self, city: str | None) -> list[Catalogued]:
        self.reads += 1
        return [r for r in self.rows if city is None or r.city == city]

    def catalogue_mark(self, city: str | None) -> tuple[int, ...]:
        return (len(self.rows),)


def row(i: int, name: str, city: str = "Riverton") -> Catalogued:
    return Catalogued(i, f"/mnt/{city}/{name}", city, datetime(2026, 12, 1, 12), 3600.0, i % 2 == 0)


def test_the_archive_lists_newest_meetings_first_a_page_at_a_time() -> None:
    rows = Rows([row(i, f"{i}-1-{'City Council' if i % 3 else 'Planning Commission'} "
                        f"({20260101 + i:08d}).mp4") for i in range(1, 29)]
                + [row(99, "untitled.mp4"), row(100, "1-1-Board (20260105).mp4", "Lakeside")])
    archive = Archive(rows, Names())
    first = archive.page("Riverton", per_page=10)
    assert (first.total, first.pages) == (29, 3)
    assert first.meetings[0].title == "untitled"            # first seen 1 Dec: newest
    assert [m.date for m in first.meetings[1:3]] == [date(2026, 1, 29), date(2026, 1, 28)]
    assert first.bodies == ("City Council", "Planning Commission", "untitled")
    planning = archive.page("Riverton", body="Planning Commission", since=date(2026, 1, 10),
                            until=date(2026, 1, 20))
    assert [m.date.day for m in planning.meetings if m.date] == [19, 16, 13, 10]
    assert archive.page("Riverton", page=99, per_page=10).page == 3   # past the end: the last
    assert archive.page(None).total == 30
    reads = rows.reads
    archive.page("Riverton", page=2)
    assert rows.reads == reads                                 # kept until something changes
    rows.rows.append(row(101, "2-1-City Council (20270101).mp4"))
    assert archive.page("Riverton").meetings[0].date == date(2027, 1, 1)


def test_a_city_with_its_own_pattern_is_read_by_it() -> None:
    names = Names("", {"Lakeside": "{date:%Y-%m-%d} {title}"})
    assert names.read("Lakeside", "2026-02-03 Board.mp4").date == date(2026, 2, 3)
    assert names.read("Riverton", "2026-02-03 Board.mp4").date is None
