"""The configuration checked whole: every level (cities included), text that YAML turned into a
number, numbers that are not numbers, formats nobody writes, cities that clash."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.domain.errors import ConfigError
from archivist.providers import settings, yaml_reading

RIVERTON = "{name: Riverton, path: /mnt/flex-3"


def refused(tmp_path: Path, text: str) -> str:
    overlay = tmp_path / "station.yml"
    overlay.write_text(text)
    with pytest.raises(ConfigError) as err:
        settings.load(overlay, environ={})
    message = str(err.value)
    assert message.startswith(str(overlay)) and "\n" not in message
    return message


@pytest.mark.parametrize("text, said", [
    (f"library:\n  cities: [{RIVERTON}, cablecats: {{location: 3}}}}]\n",
     "library.cities[Riverton].cablecats: unknown key; did you mean cablecast?"),
    (f"library:\n  cities: [{RIVERTON}, vocabualry: [Oyelaran]}}]\n",
     "library.cities[Riverton].vocabualry: unknown key; did you mean vocabulary?"),
    (f"library:\n  cities: [{RIVERTON}, cablecast: {{locaton: 3}}}}]\n",
     "library.cities[Riverton].cablecast.locaton: unknown key; did you mean location?"),
    ("databse:\n  url: x\n", "databse: unknown key; did you mean database?"),
    ("web:\n  prot: 80\n", "web.prot: unknown key; did you mean port?"),
    ("cablecast:\n  circuit: {treshold: 3}\n",
     "cablecast.circuit.treshold: unknown key; did you mean threshold?"),
])
def test_an_unknown_key_at_any_level_names_the_closest_known_one(tmp_path: Path, text: str,
                                                                  said: str) -> None:
    assert said in refused(tmp_path, text)


@pytest.mark.parametrize("text, said", [
    ("cablecast:\n  password: 0123\n", "'cablecast.password' must be text, got '0123', which YAML reads as 83"),
    ("cablecast:\n  password: 0x1F\n", "which YAML reads as 31; quote it"),
    ("secret_key: 12345\n", "'secret_key' must be text"),
    ("web:\n  host: 10\n", "quote it"),
    ("library:\n  cities: [{name: 2024, path: /mnt/flex-3}]\n", "quote it"),
])
def test_text_that_yaml_read_as_a_number_is_refused_with_quote_it(tmp_path: Path, text: str,
                                                                   said: str) -> None:
    message = refused(tmp_path, text)
    assert said in message and "quote it" in message


def test_a_quoted_password_stays_as_written(tmp_path: Path) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_text("cablecast:\n  password: '0123'\n")
    assert settings.load(overlay, environ={})["cablecast"]["password"] == "0123"


@pytest.mark.parametrize("text, said", [
    ("health:\n  deadline: .nan\n", "'health.deadline' must be a finite number"),
    ("cablecast:\n  upload: {wait: .inf}\n", "'cablecast.upload.wait' must be a finite number"),
    ("captions:\n  broadcast: {max_chars: -1}\n", "'captions.broadcast.max_chars' must be at least 1"),
    ("library:\n  list_timeout: 0\n", "'library.list_timeout' must be more than 0"),
    ("captions:\n  formats: [scc, docx]\n", "'captions.formats[1]' must be one of scc, srt, vtt, txt, json"),
    ("captions:\n  spelling: americn\n", "'captions.spelling' must be one of american, as_heard"),
    # Left blank it was passed here, and then every recording's job failed on it.
    ("captions:\n  spelling:\n", "'captions.spelling' must be one of american, as_heard, got null"),
    (f"library:\n  cities: [{RIVERTON}}}, {RIVERTON}}}]\n", "a second city named 'Riverton'"),
    # Live sessions, their status and their web page find a city in any case: two cities
    # one letter's case apart were one session (`live start riverton` ran Riverton's).
    ("library:\n  cities: [{name: Riverton, path: /a}, {name: riverton, path: /b}]\n",
     "a second city named 'riverton' (city names must differ, in any case)"),
    ("library:\n  cities: [{name: Riverton, path: flex-3}]\n",
     "'library.cities[Riverton].path' must be an absolute path"),
    ("library:\n  cities: [{name: Riverton}]\n", "'library.cities[Riverton].path' is required"),
    (f"library:\n  cities: [{RIVERTON}, cablecast: {{location: 3, sidecar: upload}}}}]\n",
     "file_store' is not set"),
    (f"library:\n  cities: [{RIVERTON}, cablecast: {{sidecar: aside}}}}]\n",
     "'library.cities[Riverton].cablecast.sidecar' must be one of beside, upload"),
    (f"library:\n  cities: [{RIVERTON}, vocabulary: Oyelaran}}]\n",
     "'library.cities[Riverton].vocabulary' must be a list"),
    ("library:\n  cities: [Riverton]\n", "'library.cities[0]' must be a mapping"),
])
def test_values_that_make_no_sense_are_refused(tmp_path: Path, text: str, said: str) -> None:
    assert said in refused(tmp_path, text)


def test_a_full_city_passes(tmp_path: Path) -> None:
    overlay = tmp_path / "station.yml"
    overlay.write_text("library:\n  cities:\n"
                       "  - {name: Riverton, path: /mnt/flex-3, extensions: [mp4], vocabulary: [Oyelaran],\n"
                       "     cablecast: {location: 3, sidecar: upload, file_store: 7, chapters: true}}\n"
                       "  - {name: Lakeside, path: ~/flex-4}\n")
    cities = settings.load(overlay, environ={})["library"]["cities"]
    assert [c["name"] for c in cities] == ["Riverton", "Lakeside"]


def test_a_key_set_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    """YAML keeps the last of two: a second `library:` further down a hand-edited file dropped
    the first one's cities without a word, and the station scanned nothing."""
    said = refused(tmp_path, f"library:\n  cities: [{RIVERTON}}}]\nweb: {{port: 9000}}\n"
                             "library:\n  settle_seconds: 30\n")
    assert "line 4: 'library' is set twice in one mapping (first on line 1)" in said
    said = refused(tmp_path, "live:\n  context_seconds: 3\n  late_pauses: true\n  context_seconds: 0\n")
    assert "line 4: 'context_seconds' is set twice" in said


def test_the_defaults_set_no_key_twice_and_a_merge_key_is_not_a_repeat(tmp_path: Path) -> None:
    yaml_reading.read(settings.defaults_path())
    overlay = tmp_path / "station.yml"
    overlay.write_text("x: &retry {attempts: 5}\n")
    assert yaml_reading.read(overlay) == {"x": {"attempts": 5}}
    overlay.write_text("a: &r {attempts: 5, backoff: 1}\nb: {<<: *r, <<: *r, attempts: 2}\n")
    assert yaml_reading.read(overlay)["b"] == {"attempts": 2, "backoff": 1}


def test_a_merged_mapping_that_overrides_a_key_is_not_a_repeat(tmp_path: Path) -> None:
    """A merge expands the mapping it names in place: an anchored mapping that itself merges
    and overrides a key was refused as "'a' is set twice" when merged before it was read."""
    overlay = tmp_path / "station.yml"
    overlay.write_text("x-base: &base\n  a: 1\nx-outer:\n  inner: &A\n    <<: *base\n    a: 2\n"
                       "x-user:\n  <<: *A\n")
    assert yaml_reading.read(overlay)["x-outer"] == {"inner": {"a": 2}}
    overlay.write_text("x: {'1': one, 1: two}\n")   # text and a number: two keys in YAML
    assert yaml_reading.read(overlay)["x"] == {"1": "one", 1: "two"}
    assert "line 3: '0x1' is set twice in one mapping (first on line 2)" in \
        refused(tmp_path, "x:\n  1: one\n  0x1: two\n")   # one number, written two ways


def test_a_merge_of_a_mapping_that_itself_merges_keeps_its_overrides(tmp_path: Path) -> None:
    """PyYAML 6.0.4 alone gives `top` base's `y: 2`: a city merging a shared block that
    overrides a station-wide anchor silently got the station-wide value."""
    overlay = tmp_path / "station.yml"
    overlay.write_text("base: &b {x: 1, y: 2}\nmid: &m\n  <<: *b\n  y: 3\ntop:\n  <<: *m\n  z: 4\n"
                       "list: {<<: [*m, {y: 9, w: 5}], x: 0}\n")
    read = yaml_reading.read(overlay)
    assert read["mid"] == {"x": 1, "y": 3}
    assert read["top"] == {"x": 1, "y": 3, "z": 4}
    assert read["list"] == {"x": 0, "y": 3, "w": 5}   # own key wins; the earlier merge wins
    assert "expected a mapping or list of mappings for merging" in refused(tmp_path, "a: {<<: 3}\n")
    overlay.write_text("d: &d {}\ncity:\n  <<: *d\n  name: Riverton\ne: {<<: [], x: 1}\n")
    assert yaml_reading.read(overlay) == {"d": {}, "city": {"name": "Riverton"}, "e": {"x": 1}}
    overlay.write_text("b: &b {y: 1, x: 2}\nc: {<<: *b, y: 3}\n")   # keys in a dict's order
    assert list(yaml_reading.read(overlay)["c"].items()) == [("y", 3), ("x", 2)]
    assert "line 1, column 4: not valid YAML: the mapping merges itself" in refused(tmp_path, "a: &a {<<: *a, x: 1}\n")


def test_an_unquoted_reference_inside_braces_is_explained(tmp_path: Path) -> None:
    """`live: {context_seconds: ${CTX:0}}` read as YAML ends the mapping at ${'s brace: the
    error said only "did not find expected ',' or '}'"."""
    said = refused(tmp_path, "live: {context_seconds: ${CTX:0}, late_pauses: false}\n")
    assert said.endswith("(inside { } quote ${CTX:0}: '${CTX:0}')")
    overlay = tmp_path / "station.yml"
    overlay.write_text("live: {context_seconds: '${CTX:0}', late_pauses: false}\n")
    assert settings.load(overlay, environ={"CTX": "3"})["live"]["context_seconds"] == 3
    assert "inside { }" not in refused(tmp_path, "web: [port\n")
