"""The environment a test gives the Archivist processes it starts."""

from __future__ import annotations

import os


def station_env(**settings: str) -> dict[str, str]:
    """This process's environment without its ARCHIVIST_* settings (a test's station is its
    own), the bundled model named (quick, on every install: the default `auto` would pick the
    packaged base where it is installed), and `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env["ARCHIVIST_WHISPER_MODEL"] = "bundled"
    env.update(settings)
    return env
