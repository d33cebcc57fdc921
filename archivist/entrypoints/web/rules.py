"""URL rules that write their `url_for` builder on first use rather than when registered.

Werkzeug compiles two Python functions per rule (reverse URL building) as the rule is added:
for the pages' two dozen rules that is about a sixth of the web process's own start-up cost
(bench/startup.py), and most rules are never built by a process that only answers /health.
Matching is unchanged. Should Werkzeug rename the method, rules are simply compiled eagerly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule


class BuiltOnFirstUse(Rule):
    """A rule whose builders are compiled the first time a URL is built from it."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: list[Callable[..., tuple[str, str]]] = []

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            if not compiled:   # two threads may both compile: the same function, harmless
                compiled.append(Rule._compile_builder(rule, append_unknown))
            return compiled[0](rule, *args, **kwargs)

        return build
