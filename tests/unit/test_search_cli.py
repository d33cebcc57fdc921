"""`archivist search` at the command line: a word found in either spelling, as the API finds it."""

from __future__ import annotations

from tests.fakes import spoken


def test_search_finds_a_word_kept_british_typed_american_and_the_other_way(one_city):
    """Captions are respelled American now; a meeting kept before says "favour"."""
    for name, text in (("old.mp4", "All those in favour say aye."),
                       ("new.mp4", "The harbor center is closed.")):
        job = one_city.queued(name)
        one_city.container.repository().save_transcript(job.recording_id, job.id,
                                                        spoken((1.0, text)))

    def search(typed: str) -> str:
        run = one_city.cli("search", typed)
        assert run.exit_code == 0, run.output
        return run.output

    assert "old.mp4" in search("favor") and "[favour]" in search("favor")
    phrase = search('"harbour centre"')
    assert "new.mp4" in phrase and "[harbor center]" in phrase


def test_a_query_of_only_punctuation_is_nothing_to_search_for(one_city):
    """`search _` searched for a word no engine indexes and said "nothing found"; it is
    nothing to search for, as `search ""` is: said so, and no search."""
    for typed in ("", "_", '" : * _'):
        run = one_city.cli("search", typed)
        assert run.exit_code == 0, run.output
        assert run.output.strip() == "nothing to search for", typed
    reindexed = one_city.cli("search", "--reindex")
    assert reindexed.output.strip() == "indexed 0 transcript(s)"
