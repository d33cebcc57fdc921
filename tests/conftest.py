"""Settings every test starts from.

The tests caption with the bundled tiny.en (quick, and on every install), not the station's
default `auto`, which picks the packaged base where it is installed (CI installs it). The few
tests of `auto` itself set the model they mean. Set before any test runs, so the processes
tests start (`archivist ...`) inherit it too.
"""

from __future__ import annotations

import os

os.environ.setdefault("ARCHIVIST_WHISPER_MODEL", "bundled")
