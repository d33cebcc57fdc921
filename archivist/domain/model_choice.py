"""Which Whisper model a station gets when it names none (`whisper.model: auto`): the most
accurate model on the machine that still runs at least FAST_ENOUGH times faster than real time
on CORES cores.

Speed is judged from CPU seconds per audio minute (a busy machine moves it less than wall
time): what a probe or benchmark measured here, else what the packaged models cost on a machine
of the station's kind. Accuracy is judged by the published order of faster-whisper's models
for English (a larger model makes fewer errors; `distil-*` sits below its teacher), which the
corpus agrees with for the two models it measured (tiny.en 19-22 % WER, base 14-16 %). A model
in no such list (a folder, a hub repository) is never chosen for the station: it is named.
"""

from __future__ import annotations

from collections.abc import Mapping

FAST_ENOUGH = 4.0   # times faster than real time, at least
CORES = 2
# Least to most accurate on English speech (OpenAI's and Systran's published figures).
ACCURACY = (
    "tiny", "tiny.en", "base", "base.en", "small", "distil-small.en", "small.en",
    "medium", "distil-medium.en", "medium.en", "large-v1", "distil-large-v2", "large-v2",
    "distil-large-v3", "distil-large-v3.5", "large-v3-turbo", "turbo", "large", "large-v3",
)
# The model a station falls back to (the one every install has).
FALLBACK = "tiny.en"


def fast_enough(cpu_seconds_per_audio_minute: float | None) -> bool:
    """Does a model that costs this much run at least FAST_ENOUGH x real time on CORES cores?"""
    if not cpu_seconds_per_audio_minute or cpu_seconds_per_audio_minute <= 0:
        return False
    return 60.0 * CORES / cpu_seconds_per_audio_minute >= FAST_ENOUGH


def best(costs: Mapping[str, float | None]) -> str:
    """The model to use among those installed (`costs`: each one's CPU seconds per audio minute,
    None where not known): the most accurate of the fast enough, else FALLBACK."""
    fit = [name for name, cost in costs.items() if name in ACCURACY and fast_enough(cost)]
    return max(fit, key=ACCURACY.index) if fit else FALLBACK
