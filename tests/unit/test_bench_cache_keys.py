"""The benches' caches keep a run by the model it used: the configured `auto` by the model it
picks, so a run of one model is never scored as another's."""

from __future__ import annotations

from pathlib import Path

from archivist.adapters.whisper import models

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_a_run_of_the_configured_model_is_kept_by_the_model_auto_picks(tmp_path, monkeypatch):
    """Before `auto`, bare faster-whisper's runs of the configured model were tiny.en's, kept
    under the same key as now, when auto picks base: the bench scored archivist's base against
    bare's tiny.en."""
    monkeypatch.syspath_prepend(str(BENCH))
    import _corpus

    env = {"ARCHIVIST_DATA_DIR": str(tmp_path / "data")}
    monkeypatch.setattr(models, "base_packaged", lambda: True)
    with_base = _corpus.bare_key(env, None), _corpus.settings_key(env, None)
    monkeypatch.setattr(models, "base_packaged", lambda: False)
    without = _corpus.bare_key(env, None), _corpus.settings_key(env, None)
    assert with_base[0] != without[0] and with_base[1] != without[1]
    assert _corpus.bare_key(env, None) == _corpus.bare_key(env, "tiny.en")   # the same model

