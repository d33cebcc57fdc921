"""The PasswordHasher port on argon2id (argon2-cffi), imported on first use."""

from __future__ import annotations

import threading
from typing import Any


class Argon2Passwords:
    """Salted argon2id hashes with the library's recommended cost (RFC 9106, low memory)."""

    def __init__(self) -> None:
        self._hasher: Any = None
        self._dummy: str | None = None
        self._lock = threading.Lock()

    def _argon2(self) -> Any:
        with self._lock:
            if self._hasher is None:
                from argon2 import PasswordHasher

                self._hasher = PasswordHasher()
            return self._hasher

    def hash(self, password: str) -> str:
        return str(self._argon2().hash(password))

    def verify(self, stored: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._argon2().verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False

    def dummy(self) -> str:
        if self._dummy is None:
            self._dummy = self.hash("not a password anyone has")
        return self._dummy
