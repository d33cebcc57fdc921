"""Who may change things: API tokens for machines, staff accounts for people.

A token is shown once, when it is made, and kept only as its SHA-256 (a token is 256 random
bits, so a fast hash is enough and lets a request be checked with one indexed look-up).
Passwords are people's, so they are kept with a slow, salted hash (the PasswordHasher port).
"""

from __future__ import annotations

import hashlib
import re
import secrets

from archivist.domain import logcontext
from archivist.domain.errors import ArchivistError, NotFound
from archivist.domain.models import ApiToken, Staff
from archivist.domain.ports import AccessStore, PasswordHasher

TOKEN_PREFIX = "arv_"
MIN_PASSWORD = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class InvalidName(ArchivistError):
    """A token or staff name that is empty, too long or has odd characters."""


class WeakPassword(ArchivistError):
    """A password too short to keep a station's controls safe."""


def token_hash(secret: str) -> str:
    """What is stored of a token: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_name(name: str, what: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise InvalidName(f"{what} name {name!r}: use 1-64 letters, digits, '_', '.', '@' or "
                          "'-', starting with a letter or digit")
    return name


class Access:
    """Issues and checks tokens, adds staff and checks their passwords."""

    def __init__(self, store: AccessStore, passwords: PasswordHasher) -> None:
        self._store = store
        self._passwords = passwords

    # Tokens

    def create_token(self, name: str) -> tuple[ApiToken, str]:
        """A new token named `name`; returns it and its secret, which is never shown again."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        logcontext.keep_secret(secret)
        return self._store.add_token(check_name(name, "token"), token_hash(secret)), secret

    def token_for(self, secret: str) -> ApiToken | None:
        """The live token whose secret this is, or None."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        found = self._store.token_by_hash(token_hash(secret))
        if found is not None:   # only real ones: made-up tokens would fill the list for ever
            logcontext.keep_secret(secret)
        return found

    def tokens(self) -> list[ApiToken]:
        return self._store.tokens()

    def revoke(self, name: str) -> ApiToken:
        """Revoke the live token named `name`; requests carrying it are refused from now on."""
        revoked = self._store.revoke_token(name)
        if revoked is None:
            raise NotFound(f"no live token named {name!r}")
        return revoked

    # Staff

    def add_staff(self, name: str, password: str) -> Staff:
        """A new staff account; Conflict if the name is taken."""
        if len(password) < MIN_PASSWORD:
            raise WeakPassword(f"a password needs at least {MIN_PASSWORD} characters")
        logcontext.keep_secret(password)
        return self._store.add_staff(check_name(name, "staff"), self._passwords.hash(password))

    def log_in(self, name: str, password: str) -> Staff | None:
        """The staff member with this name and password, or None (the same time either way)."""
        found = self._store.staff_by_name(name) if _NAME.fullmatch(name or "") else None
        if found is None:
            self._passwords.verify(self._passwords.dummy(), password)   # as slow as a real check
            return None
        staff, stored = found
        if not self._passwords.verify(stored, password):
            return None
        logcontext.keep_secret(password)
        return staff

    def staff(self, staff_id: int) -> Staff | None:
        return self._store.staff(staff_id)

    def staff_in_session(self, staff_id: int, generation: int) -> Staff | None:
        """The staff member a session names, if that session has not been ended since."""
        found = self._store.staff(staff_id)
        return found if found is not None and found.session_generation == generation else None

    def end_sessions(self, staff_id: int) -> None:
        """End every session of this staff member (logging out ends them all, on every device)."""
        self._store.next_session_generation(staff_id)

    def change_password(self, name: str, password: str) -> Staff:
        """Give staff member `name` a new password; every session of theirs ends."""
        if len(password) < MIN_PASSWORD:
            raise WeakPassword(f"a password needs at least {MIN_PASSWORD} characters")
        logcontext.keep_secret(password)
        found = self._store.staff_by_name(check_name(name, "staff"))
        if found is None:
            raise NotFound(f"no staff account named {name!r}")
        self._store.set_password(found[0].id, self._passwords.hash(password))
        self._store.next_session_generation(found[0].id)
        return found[0]
