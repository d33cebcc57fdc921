"""Ctrl-C to a process the fault tests started, timed as the person waiting would time it."""

from __future__ import annotations

import os
import signal
import subprocess
import time


def ctrl_c(process: subprocess.Popen[str]) -> tuple[float, str]:
    """Send SIGINT, wait up to 60 s for the process to end: (seconds it took, its stderr).
    Its whole process group is killed if it is still there, so nothing outlives the test."""
    try:
        asked = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        return time.monotonic() - asked, err
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
