"""`whisper.model: auto` (domain/model_choice.py): the most accurate installed model that runs
at least 4x faster than real time on 2 cores."""

from __future__ import annotations

from archivist.domain import model_choice


def test_the_most_accurate_of_those_fast_enough():
    assert model_choice.best({"tiny.en": 4.5, "base": 7.1}) == "base"
    # small.en measured here at 20 CPU s per audio minute: 6x real time on 2 cores.
    assert model_choice.best({"tiny.en": 4.5, "base": 7.1, "small.en": 20.0}) == "small.en"


def test_a_model_too_slow_or_never_measured_is_not_chosen():
    # large-v3 at 90 CPU s per audio minute: 1.3x real time on 2 cores.
    assert model_choice.best({"tiny.en": 4.5, "base": 7.1, "large-v3": 90.0}) == "base"
    assert model_choice.best({"tiny.en": 4.5, "medium.en": None}) == "tiny.en"
    assert model_choice.best({"tiny.en": 4.5, "base": 31.0}) == "tiny.en"   # 3.9x: just too slow
    assert model_choice.best({"tiny.en": 4.5, "base": 30.0}) == "base"      # 4x exactly


def test_a_folder_or_a_hub_repository_is_named_never_chosen():
    assert model_choice.best({"tiny.en": 4.5, "Systran/faster-whisper-small": 10.0}) == "tiny.en"


def test_nothing_fast_enough_falls_back_to_the_bundled_model():
    assert model_choice.best({}) == "tiny.en"
    assert model_choice.best({"tiny.en": 0.0}) == "tiny.en"
