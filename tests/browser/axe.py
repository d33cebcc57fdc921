"""axe-core (tests/browser/vendor/axe-core, from npm, tests only) run on a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def violations(page: Any) -> list[str]:
    """WCAG 2 A and AA violations on the page as it is now, one line each ([] when clean).

    The page's context must be made with `bypass_csp=True`: axe arrives as an inline script.
    """
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})
        .then(r => r.violations.map(v => v.id + ': ' + v.help + ' at ' +
              v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))""")
    return list(found)
