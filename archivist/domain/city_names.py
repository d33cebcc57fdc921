"""A city as a person types it: found by its configured name in any case, or a clear error."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from archivist.domain.errors import NotFound


class UnknownCity(NotFound):
    """A city name that no configured city has, in any case."""


def city_name(known: Iterable[str], typed: str) -> str:
    """The configured name of the city `typed` names, compared casefolded (as the configuration
    check compares two cities); UnknownCity naming the configured cities otherwise."""
    names = [str(name) for name in known]
    wanted = typed.strip().casefold()
    for name in names:
        if name.casefold() == wanted:
            return name
    folded = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    hint = f"did you mean {folded[close[0]]}? " if close else ""
    raise UnknownCity(f"unknown city {typed!r}; {hint}"
                      f"cities: {', '.join(names) or 'none configured (library.cities)'}")
