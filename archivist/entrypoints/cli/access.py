"""`archivist token` and `archivist user`: who may change things through the API and pages."""

from __future__ import annotations

import click

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.cli.app import Context, _fail, cli
from archivist.entrypoints.cli.review import record


@cli.group()
def token() -> None:
    """Create, list and revoke API tokens."""


@token.command("create")
@click.argument("name")
@click.pass_obj
def token_create(obj: Context, name: str) -> None:
    """Make a token named NAME; it is printed once, alone on the last line, and kept hashed."""
    try:
        made, secret = obj.container.access().create_token(name)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    record(obj, "token.create", f"token:{made.name}")
    click.echo(f"token {made.name!r} created; it is shown only now. Send it as "
               "`Authorization: Bearer <token>`:", err=True)
    click.echo(secret)


@token.command("list")
@click.pass_obj
def token_list(obj: Context) -> None:
    """Every token: name, when made, last used, revoked (never the token itself)."""
    try:
        tokens = obj.container.access().tokens()
    except ArchivistError as exc:
        _fail(str(exc), 1)
    for t in tokens:
        used = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "never"
        state = f"revoked {t.revoked_at.isoformat(timespec='seconds')}" if t.revoked_at else "live"
        click.echo(f"{t.name:<24} created {t.created_at.isoformat(timespec='seconds')}  "
                   f"used {used}  {state}")
    if not tokens:
        click.echo("no tokens")


@token.command("revoke")
@click.argument("name")
@click.pass_obj
def token_revoke(obj: Context, name: str) -> None:
    """Revoke the live token named NAME; requests carrying it are refused from now on."""
    try:
        obj.container.access().revoke(name)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    record(obj, "token.revoke", f"token:{name}")
    click.echo(f"token {name!r} revoked")


@cli.group()
def user() -> None:
    """Staff accounts for the operator pages."""


@user.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (for scripts) instead of asking.")
@click.pass_obj
def user_add(obj: Context, name: str, password_stdin: bool) -> None:
    """Add a staff account NAME; the password is asked twice (never on the command line)."""
    password = _password("Password", password_stdin)
    try:
        staff = obj.container.access().add_staff(name, password)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    record(obj, "user.add", f"staff:{staff.name}")
    click.echo(f"staff account {staff.name!r} added")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help="Read the new password from standard input (for scripts) instead of asking.")
@click.pass_obj
def user_password(obj: Context, name: str, password_stdin: bool) -> None:
    """Give staff account NAME a new password; every session it has ends (logged out everywhere)."""
    password = _password("New password", password_stdin)
    try:
        staff = obj.container.access().change_password(name, password)
    except ArchivistError as exc:
        _fail(str(exc), 1)
    click.echo(f"staff account {staff.name!r}: password changed, its sessions ended")


def _password(prompt: str, from_stdin: bool) -> str:
    """A password from standard input's first line (scripts), or asked twice, never echoed."""
    if from_stdin:
        import sys

        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))
