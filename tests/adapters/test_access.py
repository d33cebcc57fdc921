"""API tokens and staff accounts on real SQLite and PostgreSQL, through the Access service."""

from __future__ import annotations

import pytest

from archivist.adapters.passwords import Argon2Passwords
from archivist.adapters.sql import SqlAccess
from archivist.domain.access.staff import Access, WeakPassword, token_hash
from archivist.domain.errors import Conflict, NotFound
from tests.adapters.conftest import quick_retry


@pytest.fixture
def access(engine) -> tuple[Access, SqlAccess]:
    store = SqlAccess(engine=engine, retry=quick_retry())
    return Access(store, Argon2Passwords()), store


def test_a_token_works_until_revoked_and_only_its_hash_is_kept(access, engine) -> None:
    service, store = access
    _token, secret = service.create_token("cablecast-sync")
    assert secret.startswith("arv_") and len(secret) > 40
    assert service.token_for(secret).name == "cablecast-sync"
    assert service.token_for(secret + "x") is None and service.token_for("") is None
    from sqlalchemy import text
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT token_hash FROM api_tokens")).scalar_one()
    assert kept == token_hash(secret) and secret not in kept
    assert store.tokens()[0].last_used_at is not None
    service.revoke("cablecast-sync")
    assert service.token_for(secret) is None
    with pytest.raises(NotFound):
        service.revoke("cablecast-sync")


def test_one_live_token_per_name(access) -> None:
    service, _ = access
    service.create_token("ci")
    with pytest.raises(Conflict):
        service.create_token("ci")
    service.revoke("ci")
    service.create_token("ci")   # a revoked name may be used again
    assert [t.revoked_at is None for t in service.tokens()] == [False, True]


def test_staff_log_in_with_their_password_only(access, engine) -> None:
    service, _ = access
    staff = service.add_staff("dana", "correct horse battery")
    assert service.log_in("dana", "correct horse battery") == staff
    assert service.log_in("dana", "wrong password!!") is None
    assert service.log_in("nobody", "correct horse battery") is None
    with pytest.raises(Conflict):
        service.add_staff("dana", "another long password")
    with pytest.raises(WeakPassword):
        service.add_staff("lee", "short")
    from sqlalchemy import text
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT password_hash FROM staff")).scalar_one()
    assert kept.startswith("$argon2id$") and "correct horse" not in kept
