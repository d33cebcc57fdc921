"""`archivist search` at the command line: a word found in either spelling, as the API finds it."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from archivist import containers
from archivist.domain.models import Job
from archivist.entrypoints.cli import cli
from archivist.providers import settings
from tests.fakes import spoken


def test_search_finds_a_word_kept_british_typed_american_and_the_other_way(tmp_path: Path):
    """Captions are respelled American now; a meeting kept before says "favour"."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    overlay = tmp_path / "archivist.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "library": {
        "cities": [{"name": "Riverton", "path": str(mount)}]}}))
    container = containers.build(settings.load(overlay, environ={}))
    for name, text in (("old.mp4", "All those in favour say aye."),
                       ("new.mp4", "The harbor center is closed.")):
        media = mount / name
        media.write_bytes(name.encode() * 100)
        rec = container.jobs().recording_at(media, "Riverton")
        job, _ = container.repository().queue_job(Job(recording_id=rec.id, path=media,
                                                      city="Riverton"))
        container.repository().save_transcript(rec.id, job.id, spoken((1.0, text)))
    containers.shutdown(container)

    def search(typed: str) -> str:
        run = CliRunner().invoke(cli, ["--config", str(overlay), "search", typed])
        assert run.exit_code == 0, run.output
        return run.output

    assert "old.mp4" in search("favor") and "[favour]" in search("favor")
    phrase = search('"harbour centre"')
    assert "new.mp4" in phrase and "[harbor center]" in phrase


def test_a_query_of_only_punctuation_is_nothing_to_search_for(tmp_path: Path):
    """`search _` searched for a word no engine indexes and said "nothing found"; it is
    nothing to search for, as `search ""` is: said so, and no search."""
    overlay = tmp_path / "archivist.yml"
    overlay.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "library": {
        "cities": [{"name": "Riverton", "path": str(tmp_path)}]}}))
    for typed in ("", "_", '" : * _'):
        run = CliRunner().invoke(cli, ["--config", str(overlay), "search", typed])
        assert run.exit_code == 0, run.output
        assert run.output.strip() == "nothing to search for", typed
    reindexed = CliRunner().invoke(cli, ["--config", str(overlay), "search", "--reindex"])
    assert reindexed.output.strip() == "indexed 0 transcript(s)"
