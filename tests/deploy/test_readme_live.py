"""README's live captions demo, as a newcomer types it: the station file it writes is a valid
configuration whose city sends to the fake encoder the demo starts and listens where the demo's
ffmpeg sends, and the stream starts only after `live start` listens (a UDP stream's first
seconds are otherwise lost while the model loads)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from archivist.providers import settings

README = Path(__file__).resolve().parents[2] / "README.md"


def demo_block() -> str:
    """The shell block of README's Live captions section that writes the demo station."""
    section = README.read_text(encoding="utf-8").split("\n## Live captions\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    found = [b for b in blocks if "live start" in b and "ffmpeg" in b]
    assert found, "README's Live captions section has no block that runs live start and ffmpeg"
    return found[0]


def commands(block: str) -> list[list[str]]:
    """The block's commands (continued lines joined, comments and the here-document left out)."""
    joined = re.sub(r"\\\n\s*", " ", block)
    joined = re.sub(r"<<EOF\n.*?\nEOF\n", "\n", joined, flags=re.S)
    return [shlex.split(line, comments=True) for line in joined.splitlines() if line.strip()]


def test_the_demo_station_file_is_valid_and_wired_to_the_demo_encoder_and_stream(tmp_path):
    block = demo_block()
    writes = block.split("\nEOF\n")[0] + "\nEOF\n"   # mkdir and the here-document: run as typed
    subprocess.run(["bash", "-c", writes], cwd=tmp_path, check=True, timeout=10)
    config = settings.load(tmp_path / "demo" / "station.yml", environ={})
    (city,) = config["library"]["cities"]
    assert Path(city["path"]) == tmp_path / "demo" / "riverton" and Path(city["path"]).is_dir()

    typed = commands(block)
    encoder = next(c for c in typed if "fake-encoder" in c)
    assert int(encoder[encoder.index("--port") + 1]) == int(city["live"]["encoder"]["port"])
    stream = next(c for c in typed if c[0] == "ffmpeg")
    sent_to = stream[-1]
    assert city["live"]["source"] == sent_to
    start = next(c for c in typed if "live" in c and "start" in c)
    assert typed.index(start) < typed.index(stream), "the stream starts before anyone listens"
    assert start[start.index("--config") + 1] == "demo/station.yml"
    assert "--source" not in start or start[start.index("--source") + 1] == sent_to


@pytest.mark.parametrize("line", ["serve", "live start"])
def test_each_demo_command_names_the_demo_station(line):
    typed = commands(demo_block())
    for command in (c for c in typed if " ".join(c).find(line) >= 0 and "archivist" in c[0]):
        assert "--config" in command, f"{' '.join(command)}: not the demo station"
