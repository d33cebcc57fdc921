"""Full-text search on real SQLite (FTS5) and PostgreSQL (tsvector + GIN): a saved transcript
is found by words and phrases, best first, at the second the words are spoken."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.adapters.sql import SqlRepository, SqlSearch
from archivist.domain.models import Job, Recording
from archivist.domain.search.passages import parse_query
from tests.adapters.conftest import quick_retry
from tests.fakes import spoken


@pytest.fixture
def stores(engine) -> tuple[SqlRepository, SqlSearch]:
    return SqlRepository(engine=engine, retry=quick_retry()), SqlSearch(engine=engine,
                                                                        retry=quick_retry())


def captioned(repo: SqlRepository, name: str, city: str, *phrases: tuple[float, str]) -> int:
    recording = repo.add_recording(Recording(Path(f"/mnt/{city}/{name}.mp4"), name * 8, 1, city))
    job, _ = repo.queue_job(Job(recording_id=recording.id, path=recording.path, city=city))
    repo.save_transcript(recording.id, job.id, spoken(*phrases))
    return recording.id


def test_a_word_is_found_at_the_second_it_is_spoken(stores) -> None:
    repo, search = stores
    rid = captioned(repo, "council", "Riverton",
                    (3.0, "Good evening and welcome to the council."),
                    (41.0, "The next item is the water main replacement on Elm Street."))
    [hit] = search.search(parse_query("replacement"))
    assert hit.recording_id == rid and hit.city == "Riverton"
    assert hit.path == Path("/mnt/Riverton/council.mp4")
    assert hit.start == pytest.approx(41.0 + 7 * 0.35, abs=0.01)   # the eighth word
    assert "«replacement»" in hit.snippet


def test_stems_match_and_phrases_keep_their_order(stores) -> None:
    repo, search = stores
    captioned(repo, "a", "Riverton", (10.0, "We approved the budgets for the water main."))
    captioned(repo, "b", "Northfield", (20.0, "The main water line is old."))
    assert {h.city for h in search.search(parse_query("budget"))} == {"Riverton"}
    assert {h.city for h in search.search(parse_query("water main"))} == {"Riverton", "Northfield"}
    [hit] = search.search(parse_query('"water main"'))
    assert hit.city == "Riverton" and hit.start == pytest.approx(10.0 + 6 * 0.35, abs=0.01)
    assert search.search(parse_query('"water main"'), city="Northfield") == []


def test_better_matches_come_first(stores) -> None:
    repo, search = stores
    captioned(repo, "once", "Riverton", (5.0, "A zoning question came up once."))
    captioned(repo, "often", "Riverton", (5.0, "Zoning zoning zoning: the zoning board on zoning."))
    hits = search.search(parse_query("zoning"))
    assert [h.path.stem for h in hits] == ["often", "once"]


def test_a_rerun_replaces_what_is_found(stores) -> None:
    repo, search = stores
    rid = captioned(repo, "c", "Riverton", (1.0, "The library hours will change."))
    job, _ = repo.queue_job(Job(recording_id=rid))
    repo.save_transcript(rid, job.id, spoken((2.0, "The museum hours will change.")))
    assert search.search(parse_query("library")) == []
    assert len(search.search(parse_query("museum"))) == 1


def test_search_syntax_typed_into_the_box_is_only_words(stores) -> None:
    repo, search = stores
    captioned(repo, "d", "Riverton", (1.0, "Motion carried unanimously."))
    for typed in ['motion OR', 'motion" NEAR(', "motion*", "motion' ; DROP TABLE passages; --",
                  "motion & | ! :*", '"', "()"]:
        hits = search.search(parse_query(typed))
        assert all(h.city == "Riverton" for h in hits), typed
    assert len(search.search(parse_query("motion"))) == 1


def test_reindex_finds_every_stored_transcript(stores) -> None:
    repo, search = stores
    captioned(repo, "e", "Riverton", (1.0, "Public hearing on the park."))
    assert search.reindex() == 1
    assert len(search.search(parse_query("park"))) == 1


def test_a_common_word_is_answered_from_recent_meetings_a_rare_one_from_all(stores,
                                                                           monkeypatch) -> None:
    from archivist.adapters.sql import search as module

    monkeypatch.setattr(module, "RECENT_PASSAGES", 2)   # PostgreSQL: the newest 2 passages first
    repo, search = stores
    old = captioned(repo, "old", "Riverton", (1.0, "Council approved the levy."),
                    (9.0, "A rare heron was seen."))
    new = captioned(repo, "new", "Riverton", (1.0, "Council met."), (9.0, "Council adjourned."))
    assert [h.recording_id for h in search.search(parse_query("council"), limit=2)] == [new, new]
    assert {h.recording_id for h in search.search(parse_query("council"), limit=3)} == {old, new}
    assert [h.recording_id for h in search.search(parse_query("heron"))] == [old]


def test_a_correction_keeps_the_passages_it_left_alone_and_replaces_the_rest(stores,
                                                                            engine) -> None:
    from sqlalchemy import select

    from archivist.adapters.sql.tables import schema

    repo, search = stores
    said = [(10.0 * k, f"Item {k} is the water main on street number {k}.") for k in range(1, 9)]
    rid = captioned(repo, "long", "Riverton", *said)
    table = schema().passages

    def rows() -> list[tuple[int, float, str]]:
        with engine.connect() as conn:
            return sorted(conn.execute(select(table.c.id, table.c.start_seconds, table.c.text)
                                       .where(table.c.recording_id == rid)).all(),
                          key=lambda r: r[1])
    before = rows()
    said[3] = (40.0, "Item 4 is the splash pad on street number 4.")
    job, _ = repo.queue_job(Job(recording_id=rid))
    repo.save_transcript(rid, job.id, spoken(*said))
    after = rows()
    texts = [r[2] for r in before]
    assert [r[2] for r in after] == [*texts[:3], "Item 4 is the splash pad on street number 4.",
                                     *texts[4:]]
    kept = [r[0] for r in before if "Item 4" not in r[2]]
    assert [r[0] for r in after if "splash" not in r[2]] == kept
    [hit] = search.search(parse_query("splash"))
    assert hit.start == pytest.approx(40.0 + 4 * 0.35, abs=0.01)
    assert search.search(parse_query('"water main" 4')) == []


def test_either_spelling_finds_a_meeting_kept_in_the_other(stores, engine) -> None:
    """Captions are respelled American now (captions.spelling); a transcript kept before says
    "favour". Whichever a resident types, both are found, at the second the word is said; in
    a live session's words too."""
    import datetime as dt

    from archivist.adapters.sql.live import SqlLiveSessions
    from archivist.domain.search.passages import Passage

    repo, search = stores
    old = captioned(repo, "old", "Riverton", (1.0, "All those in favour of the harbour centre."))
    new = captioned(repo, "new", "Riverton", (1.0, "All those in favor of the harbor center."))
    # What is typed, and the word said first of it ("All those in favour of the harbour").
    for typed, word in (("favor", 3), ("favour", 3), ('"harbour centre"', 6),
                        ('"harbor center"', 6), ("center favour", 3)):
        hits = {h.recording_id: h for h in search.search(parse_query(typed))}
        assert set(hits) == {old, new}, typed
        assert hits[old].start == hits[new].start == pytest.approx(1.0 + word * 0.35), typed
    [hit] = [h for h in search.search(parse_query("favor")) if h.recording_id == old]
    assert "«favour»" in hit.snippet
    assert search.search(parse_query("favourite")) == []   # only the word's own forms

    live = SqlLiveSessions(engine=engine, retry=quick_retry())
    live.opened("Riverton", "20261207T180000Z", "udp://127.0.0.1:5999",
                dt.datetime(2026, 12, 7, 18, tzinfo=dt.UTC))
    live.keep("Riverton", "20261207T180000Z",
              [Passage(5.0, 7.0, "The neighbourhood is in favour.",
                       ((5.0, "The"), (5.4, "neighbourhood"), (6.0, "is"), (6.2, "in"),
                        (6.5, "favour.")))],
              None, 100, None, None)
    [said] = [h for h in search.search(parse_query("neighborhood")) if h.live_session]
    assert said.start == pytest.approx(5.4)


def test_a_possessive_is_found_in_either_spelling(stores) -> None:
    """"neighbour's" typed finds a meeting respelled American ("neighbor's"), and the other way
    round: the word's letters are respelled, its apostrophe kept."""
    repo, search = stores
    old = captioned(repo, "old", "Riverton", (1.0, "The neighbour's fence and the councillors' vote."))
    new = captioned(repo, "new", "Riverton", (1.0, "The neighbor's fence and the councilors' vote."))
    for typed, word in (("neighbour's", 1), ("neighbor's", 1), ('"councillors vote"', 5)):
        hits = {h.recording_id: h for h in search.search(parse_query(typed))}
        assert set(hits) == {old, new}, typed
        assert hits[old].start == hits[new].start == pytest.approx(1.0 + word * 0.35), typed


def test_a_term_of_only_underscores_is_no_term(stores) -> None:
    """`budget _` found nothing on SQLite: "_" was kept as a word, the engine's tokenizer reads
    none in it, and FTS5 matched the empty phrase with nothing (PostgreSQL dropped it)."""
    repo, search = stores
    rid = captioned(repo, "e", "Riverton", (1.0, "We approved the budget for snake_case roads."))
    for typed in ("budget _", "budget __", "_budget_", "budget '_'", 'budget "_ _"'):
        assert [h.recording_id for h in search.search(parse_query(typed))] == [rid], typed
    assert [h.recording_id for h in search.search(parse_query('"snake case"'))] == [rid]
