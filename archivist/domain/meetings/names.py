"""A meeting's title, body and date, read from its recording's file name.

Stations name files by a convention; `library.name_pattern` writes it with placeholders:
`{show}-{reel}-{title} ({date})` is Cablecast's (`1001-1-City Council (20261110).mp4`).
Placeholders: {title}, {body}, {date} (YYYYMMDD, or {date:%Y-%m-%d} in strftime's words),
and {show}, {reel}, {any} for parts that are read past. Everything else is literal. A name
that does not follow the pattern keeps its file name (tidied) as its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

CABLECAST = "{show}-{reel}-{title} ({date})"
DEFAULT_DATE = "%Y%m%d"
_FIELD = re.compile(r"\{(\w+)(?::([^}]*))?\}")
_KIND = re.compile(r"\s*[-:,]?\s*\b(?:(?:regular|special|joint|emergency|annual)\s+)?"
                   r"(?:meeting|session|work\s*session|workshop|hearing)s?\s*$", re.IGNORECASE)
_KNOWN = {"title", "body", "date", "show", "reel", "any"}
# strftime directives as the text they match.
_DIRECTIVES = {"%Y": r"\d{4}", "%m": r"\d{1,2}", "%d": r"\d{1,2}", "%y": r"\d{2}",
               "%b": r"[A-Za-z]{3}", "%B": r"[A-Za-z]+", "%%": "%"}


@dataclass(frozen=True, slots=True)
class MeetingName:
    """What a file name says about its meeting; `date` is None when it does not say."""

    title: str
    body: str
    date: date | None


class NamePattern:
    """One station's (or city's) file naming convention, compiled."""

    def __init__(self, pattern: str = CABLECAST) -> None:
        self.pattern = pattern or CABLECAST
        self._regex, self._date_format = _compile(self.pattern)

    def read(self, path: str | PurePath) -> MeetingName:
        """The meeting `path` names: from the pattern when it fits, else from the file name."""
        stem = PurePath(str(path)).stem if str(path) else ""
        found = self._regex.fullmatch(stem)
        if found is None:
            return _fallback(stem, PurePath(str(path)).name)
        parts = found.groupdict()
        title = _tidy(parts.get("title") or "") or _tidy(parts.get("body") or "")
        day = _date(parts.get("date"), self._date_format)
        if not title:   # the name fits but its title is blank ("_"): the file name, the date kept
            return _fallback(stem, PurePath(str(path)).name, day)
        body = _tidy(parts.get("body") or "") or _body_of(title)
        return MeetingName(title=title, body=body, date=day)


def check(pattern: str) -> str | None:
    """What is wrong with a pattern, or None: for the settings check."""
    try:
        _compile(pattern)
    except ValueError as exc:
        return str(exc)
    return None


def _compile(pattern: str) -> tuple[re.Pattern[str], str]:
    out, at, date_format, seen = [], 0, DEFAULT_DATE, set()
    for field in _FIELD.finditer(pattern):
        out.append(re.escape(pattern[at:field.start()]))
        name, spec = field.group(1), field.group(2)
        if name not in _KNOWN:
            raise ValueError(f"unknown placeholder {{{name}}} (known: "
                             f"{', '.join(sorted('{' + k + '}' for k in _KNOWN))})")
        if name in seen and name != "any":
            raise ValueError(f"{{{name}}} appears twice")
        seen.add(name)
        if name == "date":
            date_format = spec or DEFAULT_DATE
            out.append(f"(?P<date>{_date_regex(date_format)})")
        elif name in ("show", "reel"):
            out.append(rf"(?P<{name}>\d+)")
        elif name == "any":
            out.append(".*?")
        else:
            out.append(f"(?P<{name}>.+?)")
        at = field.end()
    out.append(re.escape(pattern[at:]))
    if not seen & {"title", "body"}:
        raise ValueError("the pattern needs {title} or {body}")
    return re.compile("".join(out), re.DOTALL), date_format


def _date_regex(fmt: str) -> str:
    pieces, i = [], 0
    while i < len(fmt):
        two = fmt[i:i + 2]
        if two in _DIRECTIVES:
            pieces.append(_DIRECTIVES[two])
            i += 2
        elif fmt[i] == "%":
            raise ValueError(f"date format {fmt!r}: only %Y %m %d %y %b %B are understood")
        else:
            pieces.append(re.escape(fmt[i]))
            i += 1
    return "".join(pieces)


def _date(text: str | None, fmt: str) -> date | None:
    if not text:
        return None
    try:
        if fmt == DEFAULT_DATE:   # the common case, without strptime's cost
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        return datetime.strptime(text, fmt).date()
    except ValueError:   # 20261399 looks like a date and is not one
        return None


def _body_of(title: str) -> str:
    # "City Council Regular Meeting" is a meeting of the City Council.
    return _KIND.sub("", title).strip() or title


def _tidy(text: str) -> str:
    return " ".join(text.replace("_", " ").split())


def _fallback(stem: str, name: str, day: date | None = None) -> MeetingName:
    title = _tidy(stem) or _tidy(name) or "Untitled recording"
    return MeetingName(title=title, body=title, date=day)
