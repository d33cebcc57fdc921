"""`archivist live status`: one line a city, saying nothing stale of a session that ended."""

from __future__ import annotations

from archivist.entrypoints.cli.live import _print_status

ENDED = {"session": "20261206T035204Z", "source": "udp://127.0.0.1:5000", "source_up": True,
         "encoder_up": True, "words_sent": 52, "gaps": 1, "latency_p50": 2.7, "latency_p95": 3.9,
         "stream_seconds": 39.2}


def test_an_ended_session_reports_its_figures_not_its_last_connections(capsys):
    _print_status({**ENDED, "state": "stopped"}, "Riverton", running=False)
    assert capsys.readouterr().out == (
        "Riverton: stopped (session 20261206T035204Z), source udp://127.0.0.1:5000, 52 words sent, "
        "latency p50 2.7 s, p95 3.9 s, 1 gap, 39.2 s heard\n")


def test_a_running_session_reports_its_source_and_encoder(capsys):
    _print_status({**ENDED, "state": "running", "encoder_up": False, "gaps": 2}, "Riverton", running=True)
    assert capsys.readouterr().out == (
        "Riverton: running (session 20261206T035204Z), source udp://127.0.0.1:5000 sending, "
        "encoder DOWN, 52 words sent, latency p50 2.7 s, p95 3.9 s, 2 gaps, 39.2 s heard\n")


def test_a_failing_session_says_why_and_a_wanted_one_says_starting(capsys):
    _print_status({"state": "failing", "problem": "Riverton: /feed.mp4: no such file"}, "Riverton",
                  running=False)
    _print_status({"state": "starting"}, "Riverton", running=False)
    assert capsys.readouterr().out == (
        "Riverton: failing: Riverton: /feed.mp4: no such file\nRiverton: starting\n")


def test_a_running_session_says_why_its_source_and_encoder_are_down(capsys):
    _print_status({**ENDED, "state": "running", "source_up": False, "encoder_up": False,
                   "source_problem": "srt: Failed to resolve hostname feed.lan: Name or service not known",
                   "encoder_problem": "encoder.lan:23: Connection refused"}, "Riverton", running=True)
    out = capsys.readouterr().out
    assert "source udp://127.0.0.1:5000 QUIET (srt: Failed to resolve hostname feed.lan: " in out
    assert "encoder DOWN (encoder.lan:23: Connection refused)" in out


def test_a_wanted_session_nothing_runs_says_what_to_start(capsys):
    _print_status({"state": "starting", "problem": "no worker with --beat is running it: start "
                   "`archivist worker --beat`"}, "Riverton", running=False)
    assert capsys.readouterr().out == (
        "Riverton: starting, but no worker with --beat is running it: start `archivist worker --beat`\n")


def test_a_session_started_before_its_stream_is_waiting_for_it_not_quiet(capsys):
    _print_status({**ENDED, "state": "running", "source_up": False, "waiting": True, "gaps": 0,
                   "words_sent": 0, "latency_p50": None, "stream_seconds": 0.0}, "Riverton",
                  running=True)
    assert "source udp://127.0.0.1:5000 waiting for it, " in capsys.readouterr().out


def test_a_session_loading_its_model_says_starting_and_once_ended_stopped(capsys):
    loading = {"city": "Riverton", "state": "loading", "source": "udp://127.0.0.1:5000",
               "session": None}
    _print_status(loading, "Riverton", running=True)
    _print_status(loading, "Riverton", running=False)   # `live start` interrupted as it loaded
    assert capsys.readouterr().out == (
        "Riverton: starting (loading the model)\nRiverton: stopped\n")


def test_a_source_that_dropped_after_its_first_sound_says_since_when(capsys):
    from datetime import datetime

    quiet_since = 1796500000.0
    _print_status({**ENDED, "state": "running", "source_up": False, "waiting": False,
                   "source_quiet_since": quiet_since, "source_problem": "udp: timed out"},
                  "Riverton", running=True)
    at = datetime.fromtimestamp(quiet_since).astimezone().strftime("%H:%M:%S")
    assert f"source udp://127.0.0.1:5000 QUIET since {at} (udp: timed out), " in capsys.readouterr().out


def test_latency_is_said_in_words_when_a_figure_is_missing(capsys):
    """`live status` said "p95 None s" of a status with only its p50, and "no words yet" of a
    session that had ended without one; /status says the same as this line."""
    none = {"latency_p50": None, "latency_p95": None, "words_sent": 0}
    _print_status({**ENDED, "state": "running", "latency_p95": None}, "Riverton", running=True)
    _print_status({**ENDED, **none, "state": "running"}, "Riverton", running=True)
    _print_status({**ENDED, **none, "state": "stopped"}, "Riverton", running=False)
    first, running, ended = capsys.readouterr().out.splitlines()
    assert "52 words sent, latency p50 2.7 s, p95 —, 1 gap" in first
    assert "0 words sent, no words sent yet, 1 gap" in running
    assert "0 words sent, no words were sent, 1 gap" in ended
