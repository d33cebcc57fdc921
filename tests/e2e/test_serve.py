"""`archivist serve` as an operator starts it: where it listens, or why it cannot."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request


def test_a_busy_port_is_one_line_naming_the_address(archivist):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = archivist("serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip() == f"archivist: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_serve_says_where_it_listens_and_sends_no_server_header(archivist):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "archivist.entrypoints.cli", "serve",
                             "--port", str(port), "--no-worker"], env=archivist.env,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert line.strip() == f"archivist: serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=20) as response:
                    headers = response.headers
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "Server" not in headers and headers["X-Content-Type-Options"] == "nosniff"
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()
