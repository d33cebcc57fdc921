"""The paging rules on servers the fake does not imitate: no `meta`, pages that repeat."""

from __future__ import annotations

from archivist.adapters.cablecast.paging import collect

RECORDS = [{"id": n} for n in range(1, 24)]


def server(cap: int, meta: bool, offset_is_page: bool = False):
    asked: list[int] = []

    def get(path: str, offset: int, page_size: int, **params):
        asked.append(offset)
        size = min(cap, page_size)
        start = offset * size if offset_is_page else offset
        body = {"shows": RECORDS[start:start + size]}
        if meta:
            body["meta"] = {"count": len(RECORDS), "offset": offset, "pageSize": size}
        return body

    return get, asked


def test_without_meta_a_capped_server_is_read_to_its_short_last_page() -> None:
    get, asked = server(cap=10, meta=False)
    assert collect(get, "shows", "shows", page_size=100).records == RECORDS
    assert asked == [0, 10, 20]


def test_without_meta_an_exactly_full_last_page_ends_on_the_empty_one() -> None:
    get, asked = server(cap=23, meta=False)
    assert collect(get, "shows", "shows", page_size=100).records == RECORDS
    assert asked == [0, 23]


def test_with_meta_paging_stops_once_every_record_is_in_hand() -> None:
    get, asked = server(cap=10, meta=True)
    assert collect(get, "shows", "shows", page_size=100).records == RECORDS
    assert asked == [0, 10, 20]


def test_a_server_counting_pages_is_detected_from_meta_and_read_by_page() -> None:
    get, asked = server(cap=10, meta=True, offset_is_page=True)
    assert collect(get, "shows", "shows", page_size=100).records == RECORDS
    assert asked == [0, 10, 1, 2]


def test_a_server_that_repeats_its_page_whatever_the_offset_is_read_once() -> None:
    def get(path, offset, page_size, **params):
        return {"shows": RECORDS[:5]}

    found = collect(get, "shows", "shows", page_size=5)
    assert found.records == RECORDS[:5] and found.pages == 2
