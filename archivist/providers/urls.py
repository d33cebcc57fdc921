"""Reading the URLs people type for the database and Redis: check them, show them without secrets.

The parsing is done by hand on purpose: a password may hold `/`, `@`, `?` or `:` without being
percent-encoded, and people type it so. The credentials end at the last `@` before the host.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode

# Query parameters that carry a secret (libpq's `password`, `sslpassword`; Redis' `password`).
_SECRET_PARAMS = frozenset({"password", "sslpassword", "pass", "pwd", "secret", "token"})
MASK = "****"


@dataclass(frozen=True, slots=True)
class Parts:
    """A URL cut into scheme, credentials, host part, path and query (all as typed)."""

    scheme: str
    user: str | None
    password: str | None
    host: str
    path: str
    query: str


def split(url: str) -> Parts | None:
    """The parts of `scheme://[user[:password]@]host[/path][?query]`, or None if it has no scheme."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        return None
    # The host part never holds '@'; the password may. So the credentials end at the last '@'
    # that comes before the query and before any '/' that follows it.
    at = rest.rfind("@", 0, _query_start(rest))
    userinfo, hostpart = (rest[:at], rest[at + 1:]) if at >= 0 else (None, rest)
    user = password = None
    if userinfo is not None:
        user, colon, pw = userinfo.partition(":")
        password = pw if colon else None
    path_at = min((i for i in (hostpart.find("/"), hostpart.find("?")) if i >= 0), default=len(hostpart))
    host, tail = hostpart[:path_at], hostpart[path_at:]
    path, _, query = tail.partition("?")
    return Parts(scheme, user, password, host, path, query)


def _query_start(rest: str) -> int:
    # A '?' after the last '@' starts the query; one before it is inside the password.
    at = rest.rfind("@")
    q = rest.find("?", at + 1 if at >= 0 else 0)
    return q if q >= 0 else len(rest)


def masked_url(url: str) -> str:
    """`url` with its password and secret query parameters replaced by ****."""
    parts = split(url)
    if parts is None:
        return url
    auth = ""
    if parts.user is not None:
        auth = parts.user + (f":{MASK}" if parts.password else "") + "@"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if k.lower() in _SECRET_PARAMS else v) for k, v in pairs],
                          safe="*", quote_via=quote)
    return f"{parts.scheme}://{auth}{parts.host}{parts.path}" + (f"?{query}" if query else "")


def secrets_in(url: str) -> list[str]:
    """The password and the secret query parameters of `url`, as typed and decoded."""
    from urllib.parse import unquote

    parts = split(url)
    if parts is None:
        return []
    found = [parts.password] if parts.password else []
    found += [v for k, v in parse_qsl(parts.query, keep_blank_values=True)
              if k.lower() in _SECRET_PARAMS and v]
    return found + [unquote(s) for s in found if unquote(s) != s]
