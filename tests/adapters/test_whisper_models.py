"""Which Whisper model a setting names, brought onto the machine (adapters/whisper/models.py):
the packaged base joined and checked, a named model fetched once or a one-line reason why not,
and a worker keeping a bounded number of cities' models loaded."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from archivist.adapters.whisper import adapter, decoding, models
from archivist.adapters.whisper.adapter import FasterWhisperTranscriber
from archivist.adapters.whisper.probe import WhisperProbe
from archivist.domain.errors import ConfigError

needs_base = pytest.mark.skipif(not models.base_packaged(), reason="needs the [base-model] extra")


@needs_base
def test_base_is_joined_once_into_the_data_dir_and_checks_out(tmp_path):
    found = models.locate("base", tmp_path, allow_download=False)
    folder = tmp_path / "models" / "base"
    assert found.source == str(folder) and found.name == "base (packaged)"
    digest = hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest()
    assert digest == models.BASE_SHA256
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json",
                                                   "vocabulary.txt"}
    joined_at = (folder / "model.bin").stat().st_mtime_ns
    models.locate("base", tmp_path, allow_download=False)
    assert (folder / "model.bin").stat().st_mtime_ns == joined_at   # not joined again
    assert set(models.installed(tmp_path)) >= {"tiny.en", "base"}


@needs_base
def test_a_base_that_does_not_check_out_is_refused_and_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "BASE_SHA256", "0" * 64)
    with pytest.raises(models.ModelUnavailable, match="does not check out"):
        models.locate("base", tmp_path, allow_download=False)
    assert not (tmp_path / "models" / "base" / "model.bin").exists()


@needs_base
def test_a_named_model_not_here_without_downloads_is_one_line(tmp_path):
    with pytest.raises(models.ModelUnavailable) as raised:
        models.locate("small.en", tmp_path, allow_download=False)
    assert "'small.en' is not on this machine" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert WhisperProbe("small.en", str(tmp_path)).check().status == "down"
    assert WhisperProbe("small.en", str(tmp_path), allow_download=True).check().status == "degraded"
    assert WhisperProbe("base", str(tmp_path)).check().status == "ok"


@pytest.mark.e2e
def test_a_model_the_hub_cannot_give_is_a_one_line_cli_error(tmp_path):
    """No way to the model hub (here: nothing listens on its address): one line, exit 2, no work."""
    env = {"ARCHIVIST_DATA_DIR": str(tmp_path), "HF_ENDPOINT": "http://127.0.0.1:9",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    sample = Path(__file__).resolve().parents[2] / "archivist" / "samples"
    media = next(sample.glob("*.mp4"))
    result = subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "transcribe",
                             str(media), "--out", str(tmp_path / "out"), "--model", "small.en"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot download Whisper model 'small.en'" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "models" / "small.en").exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_worker_keeps_at_most_the_bound_of_models_loaded(tmp_path, monkeypatch):
    loads: list[str] = []
    transcriber = FasterWhisperTranscriber("bundled", data_dir=str(tmp_path), models_loaded=2)
    monkeypatch.setattr(transcriber, "_load",
                        lambda s: loads.append(s) or adapter._Loaded(object(), s, s, s))
    for setting in ("bundled", "base", "bundled", "small.en", "bundled", "base"):
        transcriber.model(setting)
    assert loads == ["bundled", "base", "small.en", "base"]   # base went when small.en came
    assert len(transcriber._loaded) == 2


def test_each_transcription_decodes_on_a_model_loaded_anew_never_two_at_once(monkeypatch):
    """CTranslate2 seeds a decoding thread once, at its first draw: a model with threads that
    have drawn nothing is loaded for each transcription (the one just loaded serves the first),
    the seed set, and the one before freed before the next loads."""
    import ctranslate2

    alive: list[weakref.ref[object]] = []
    most = [0]
    seeds: list[int] = []

    class Decoder:
        def __init__(self) -> None:
            most[0] = max(most[0], 1 + sum(r() is not None for r in alive))
            alive.append(weakref.ref(self))

    class Whisper:
        def __init__(self) -> None:
            self.model = Decoder()

    transcriber = FasterWhisperTranscriber("bundled")
    monkeypatch.setattr(transcriber, "_load", lambda s: adapter._Loaded(Whisper(), s, s, s))
    monkeypatch.setattr(transcriber, "_decoder", lambda setting, source: Decoder())
    monkeypatch.setattr(ctranslate2, "set_random_seed", seeds.append)
    first, _name = transcriber.fresh()
    assert len(alive) == 1   # just loaded: its threads have drawn nothing
    del first
    for _ in range(3):
        model, _name = transcriber.fresh()
        del model
    assert len(alive) == 4 and most[0] == 1
    assert seeds == [decoding.SEED] * 4
    transcriber.model()   # handed out: it may have sampled
    transcriber.fresh()
    assert len(alive) == 5


def test_a_citys_model_must_be_a_name_or_folder():
    from archivist.adapters.filesystem import cities_from

    assert cities_from([{"name": "A", "path": "/a", "model": "base"}])[0].model == "base"
    with pytest.raises(ConfigError, match=r"library.cities\[0\].model"):
        cities_from([{"name": "A", "path": "/a", "model": 5}])


@pytest.mark.e2e
def test_archivist_models_lists_what_is_here_and_who_uses_it(tmp_path):
    config = tmp_path / "station.yml"
    config.write_text(f"library:\n  cities:\n    - {{name: Riverton, path: {tmp_path}, model: base}}\n"
                      f"    - {{name: Lakeside, path: {tmp_path}, model: small.en}}\n")
    env = {"ARCHIVIST_DATA_DIR": str(tmp_path / "data"), "ARCHIVIST_CONFIG": str(config),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "models", "--json"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    rows = {row["model"]: row for row in listed["models"]}
    # The station names no model: `auto`, the most accurate here that is fast enough.
    assert listed["station_setting"] == "auto"
    assert listed["recommended"] == ("base" if models.base_packaged() else "tiny.en")
    assert [name for name, row in rows.items() if row["station_default"]] == [listed["recommended"]]
    if models.base_packaged():
        assert rows["base"]["cities"] == ["Riverton"]
    assert listed["not_here"] == ["small.en"]
    said = subprocess.run([sys.executable, "-m", "archivist.entrypoints.cli", "models"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert said.returncode == 0, said.stderr
    assert "[station default (auto)" in said.stdout
    assert f"recommended: {listed['recommended']} (" in said.stdout


def test_a_misspelt_model_name_is_down_not_waiting_for_a_download(tmp_path):
    """`smal.en` will never download: health says so now, not when every job has failed."""
    probe = WhisperProbe("smal.en", str(tmp_path), allow_download=True).check()
    assert probe.status == "down"
    assert "'smal.en' is not a model name nor a model folder (did you mean 'small.en'?" in probe.detail
    assert WhisperProbe("Systran/faster-whisper-small", str(tmp_path),
                        allow_download=True).check().status == "degraded"


def test_each_citys_own_model_is_checked_by_name(tmp_path):
    cities = [{"name": "Riverton", "model": "smal.en"}, {"name": "Lakeside"},
              {"name": "Oak Ridge", "model": "bundled"}]
    probe = WhisperProbe("tiny.en", str(tmp_path), cities=cities).check()
    assert probe.status == "down"
    assert probe.detail.startswith("model tiny.en (bundled); Riverton: 'smal.en' is not a model name")
    assert "Lakeside" not in probe.detail


def _downloaded(data_dir: Path, name: str) -> None:
    folder = models.models_dir(data_dir) / name
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"")


def test_auto_is_base_where_it_is_packaged_else_the_bundled_model(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "base_packaged", lambda: True)
    assert models.chosen(tmp_path) == "base"
    assert models.resolved("auto", tmp_path) == "base"
    assert models.setting_name("auto", tmp_path) == "base"
    assert models.resolved("bundled", tmp_path) == "bundled"   # any other setting as it is
    monkeypatch.setattr(models, "base_packaged", lambda: False)
    assert models.chosen(tmp_path) == "tiny.en"
    assert models.locate("auto", tmp_path, allow_download=False).name == "tiny.en (bundled)"


def test_auto_follows_what_the_models_cost_here(tmp_path, monkeypatch):
    """costs.json (`archivist models --probe`, bench/foundation.py --models) wins over the
    packaged models' known costs; a downloaded model is chosen only once measured."""
    monkeypatch.setattr(models, "base_packaged", lambda: True)
    _downloaded(tmp_path, "small.en")
    assert models.chosen(tmp_path) == "base"   # small.en never measured here
    costs = models.costs_path(tmp_path)
    costs.write_text(json.dumps({"small.en": {"cpu_s_per_audio_min": 18.0}}))
    assert models.chosen(tmp_path) == "small.en"
    costs.write_text(json.dumps({"small.en": {"cpu_s_per_audio_min": 45.0},
                                 "base": {"cpu_s_per_audio_min": 35.0}}))   # a slow machine
    assert models.chosen(tmp_path) == "tiny.en"
    costs.write_text("{not json")
    assert models.chosen(tmp_path) == "base"


def test_auto_and_a_city_naming_its_choice_share_one_loaded_model(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "base_packaged", lambda: True)
    loads: list[str] = []
    transcriber = FasterWhisperTranscriber("auto", data_dir=str(tmp_path))
    monkeypatch.setattr(transcriber, "_load",
                        lambda s: loads.append(s) or adapter._Loaded(object(), f"{s} (x)", s, s))
    transcriber.model()
    transcriber.model("base")
    assert loads == ["base"]
    assert transcriber.model_name == "base (x)"


def test_health_says_what_auto_picked(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "base_packaged", lambda: False)
    result = WhisperProbe("auto", str(tmp_path)).check()
    assert result.status == "ok" and result.detail == "auto: model tiny.en (bundled)"


def test_every_model_faster_whisper_can_fetch_is_ranked_for_auto():
    """A name missing from the ranking would never be picked, measured or not."""
    from archivist.domain import model_choice

    assert set(models.known_names()) <= set(model_choice.ACCURACY)


def test_costs_are_kept_whole_and_a_nonsense_cost_is_no_cost(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "base_packaged", lambda: True)
    models.write_costs(tmp_path, {"base": {"cpu_s_per_audio_min": 40.0}})
    assert models.read_costs(tmp_path) == {"base": {"cpu_s_per_audio_min": 40.0}}
    assert [p.name for p in models.models_dir(tmp_path).iterdir()] == ["costs.json"]
    assert models.chosen(tmp_path) == "tiny.en"   # base measured too slow here
    models.costs_path(tmp_path).write_text('{"base": {"cpu_s_per_audio_min": 1' + "0" * 400 + "}}")
    assert models.chosen(tmp_path) == "base"   # no cost anyone measured: the known one


def test_a_misspelt_auto_is_taken_for_auto_not_a_model(tmp_path):
    probe = WhisperProbe("atuo", str(tmp_path), allow_download=True).check()
    assert probe.status == "down"
    assert "(did you mean 'auto'? names: auto, bundled, tiny.en" in probe.detail
