"""Each city's live session as `live status`, the API and the live page report it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from archivist.domain.city_names import city_name

# Seconds a wanted session may wait for a supervisor to look at it before the report says that
# none is running (it looks every second).
UNSUPERVISED_AFTER = 10.0
NO_SUPERVISOR = ("no worker with --beat is running it: start `archivist worker --beat` "
                 "(`archivist serve` on a one-box station) with this data dir")


# What a session's status says of its source and encoder: only true while it runs.
_CONNECTIONS = ("source_up", "source_problem", "source_quiet_since", "encoder_up",
                "encoder_problem")


def live_cities(cities: Iterable[Any]) -> list[Mapping[str, Any]]:
    """The configured cities (library.cities entries with a name)."""
    return [c for c in cities or [] if isinstance(c, Mapping) and c.get("name")]


def city_named(cities: Iterable[Any], name: str) -> Mapping[str, Any]:
    """The configured city a person typed as `name`, by the one rule for that (city_name: any
    case); UnknownCity (a NotFound) saying which was meant, otherwise."""
    known = live_cities(cities)
    wanted = city_name((str(city["name"]) for city in known), name)
    return next(city for city in known if str(city["name"]) == wanted)


# What a session holding the lease says of itself before it captions: `loading` (its model,
# its source: `live start` says so once it has the lease) and `waiting` (for the source's first
# sound). Otherwise it is running.
_NOT_LIVE_YET = ("loading", "waiting")


def session_report(folder: Any) -> dict[str, Any]:
    """One city's live session: running or not, with its last status. A session that runs but
    captions nothing yet is `loading` or `waiting` (`running` stays true: a process holds it).
    A wanted session whose last start ended is `failing`, with the reason (`problem`) and when
    it is tried again."""
    holder = folder.holder()
    last = folder.last_status() or {}
    wanted = folder.wanted()
    failure = folder.failure() if wanted is not None and holder is None else None
    said = last.get("state") if last.get("state") in _NOT_LIVE_YET else "running"
    states = ((said, holder is not None), ("failing", failure), ("starting", wanted),
              ("stopped", last))
    state = next((name for name, now in states if now), "never run")
    report = {**last, "city": folder.city, "running": holder is not None,
              "pid": (holder or {}).get("pid"), "wanted": wanted is not None, "state": state}
    if holder is None and last:   # its figures stand; its connections were so when it ended
        report.update(dict.fromkeys(_CONNECTIONS))
        report.pop("waiting", None)
    if failure:
        report.update(problem=str(failure.get("reason") or ""),
                      retry_at=failure.get("retry_at"))
    elif state == "starting" and wanted is not None and _unsupervised(folder, wanted):
        report["problem"] = NO_SUPERVISOR
    return report


# What only staff see of a session (or everyone, with web.health_detail on): why it fails or
# waits (a path on the station, the command to run), what ffmpeg and the encoder said of their
# connections (hosts, driver text), and its source (a URL with a host, or a file's path).
DETAIL = ("source_problem", "encoder_problem", "source")


def for_residents(report: Mapping[str, Any]) -> dict[str, Any]:
    """A session's report without the operator's detail: its state and figures, whether its
    source sends and its encoder is connected, but not why not (`problem` is left out: the
    state says it is failing or starting; the rest are null)."""
    plain = {key: value for key, value in report.items() if key != "problem"}
    plain.update((key, None) for key in DETAIL if key in plain)
    return plain


# What stands for a figure a session has not got (a dash, never a bare unit).
NO_FIGURE = "—"


def latency_said(report: Mapping[str, Any]) -> str:
    """A session's latency as staff read it: its figures (latency_figures); with neither,
    that it has sent no words (yet, while it runs), or NO_FIGURE when it never began one
    (never run, starting, failing)."""
    figures = latency_figures(report)
    if figures is not None:
        return figures
    if report.get("running"):
        return "no words sent yet"
    return "no words were sent" if report.get("session") else NO_FIGURE


def latency_figures(report: Mapping[str, Any]) -> str | None:
    """`p50 1.2 s, p95 3.1 s` (a figure it lacks is NO_FIGURE), or None with neither."""
    p50, p95 = report.get("latency_p50"), report.get("latency_p95")
    if p50 is None and p95 is None:
        return None
    return f"p50 {_seconds(p50)}, p95 {_seconds(p95)}"


def _seconds(figure: Any) -> str:
    return NO_FIGURE if figure is None else f"{figure} s"


def _unsupervised(folder: Any, wanted: Mapping[str, Any]) -> bool:
    """Has the wanted session waited past UNSUPERVISED_AFTER with no supervisor looking?"""
    now = time.time()
    seen = folder.supervised_at()
    since = float(wanted.get("since") or now)
    return now - since > UNSUPERVISED_AFTER and (seen is None or now - seen > UNSUPERVISED_AFTER)


def reports(cities: Iterable[Any], folder: Callable[..., Any]) -> list[dict[str, Any]]:
    """Every city with live captions configured (a live: section), or that has run a session."""
    found = []
    for city in live_cities(cities):
        each = folder(city=str(city["name"]))
        if city.get("live") or each.last_status() is not None:
            found.append(session_report(each))
    return found


def landed(sessions: Any, city: str, session: str | None) -> int | None:
    """The id of the recording a session became, once that has landed and been captioned (its
    captions then replace the session's)."""
    for each in sessions.sessions(city):
        if each["name"] == session:
            return each["recording_id"] if each["replaced"] else None
    return None
