"""Flask CLI commands: courts, API keys, the expiry sweep, recounting provisional deadlines and demo data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from blacklist_service import clock
from blacklist_service.auth import SECTORS, create_key
from blacklist_service.errors import ServiceError
from blacklist_service.extensions import db
from blacklist_service.models import Court, Principal, Role
from blacklist_service.models.types import utcnow
from blacklist_service.transactions import write_transaction

if TYPE_CHECKING:
    from blacklist_service.services.deadlines import Recounted


def _court(code: str) -> Court:
    court = db.session.scalar(select(Court).where(Court.code == code))
    if court is None:
        raise click.ClickException(f"no court with code {code}; add it with 'flask courts add'")
    return court


def register(app: Flask) -> None:
    app.cli.add_command(courts)
    app.cli.add_command(keys)
    app.cli.add_command(listings_cli)
    app.cli.add_command(deadlines_cli)
    app.cli.add_command(demo)


@click.group(cls=AppGroup)
def courts() -> None:
    """Manage courts."""


@courts.command("add")
@click.argument("code")
@click.argument("name")
@click.argument("province")
@click.option("--parent", help="Code of the court one level up (hears reconsiderations)")
@click.option("--contact", help="Phone and address shown to citizens")
def add_court(code: str, name: str, province: str, parent: str | None, contact: str | None) -> None:
    """Add a court, e.g. 京0105 北京市朝阳区人民法院 北京市 --parent 京03"""
    with write_transaction():
        court = Court(
            code=code,
            name=name,
            province=province,
            contact=contact,
            parent=_court(parent) if parent else None,
        )
        db.session.add(court)
    click.echo(f"court {court.code} added (id {court.id})")


@click.group(cls=AppGroup)
def keys() -> None:
    """Manage API keys."""


@keys.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", required=True, help="Who holds the key (a person or system)")
@click.option("--court", "court_code", help="Court code, for a court key")
@click.option(
    "--sector", type=click.Choice(SECTORS), help="Sector, for a partner key (see GET /sanctions/sectors)"
)
def create_key_command(role: str, name: str, court_code: str | None, sector: str | None) -> None:
    """Create an API key and print it once; only its hash is stored."""
    try:
        with write_transaction():
            principal, key = create_key(
                name, Role(role), court=_court(court_code) if court_code else None, sector=sector
            )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"principal {principal.id} ({role}); the key is shown only now:")
    click.echo(key)


@keys.command("revoke")
@click.argument("prefix")
def revoke_key(prefix: str) -> None:
    """Revoke the key whose prefix (the part after bl_ and before the dot) is PREFIX."""
    with write_transaction():
        principal = db.session.scalar(select(Principal).where(Principal.key_prefix == prefix))
        if principal is None:
            raise click.ClickException("no such key")
        principal.revoked_at = utcnow()
    click.echo(f"key {prefix} revoked")


@click.group("listings", cls=AppGroup)
def listings_cli() -> None:
    """Maintain the list."""


@listings_cli.command("sweep")
def sweep() -> None:
    """Daily: mark listings whose term has ended (L-DEL-TERM); announce publications after a grace period
    (D4), restrictions taking effect, permissions starting and ending (D11), for the partners' feed; delete
    screening-job results older than JOB_RESULT_DAYS and attachment files no application holds."""
    from blacklist_service.services import applications, jobs, listings, restrictions

    with write_transaction():
        expired = listings.sweep_expired()
        published = listings.announce_published()
        dated = restrictions.announce_dated_changes()
    results, abandoned = jobs.purge(utcnow())
    orphans = applications.purge_orphans(utcnow())
    click.echo(
        f"{len(expired)} expired listing(s) marked, {len(published)} publication(s) announced, "
        f"{len(dated)} restriction/permission date change(s) announced, "
        f"{len(results)} screening-job result(s) deleted, {len(abandoned)} abandoned job(s) failed, "
        f"{len(orphans)} orphaned attachment file(s) deleted"
    )


@click.group("deadlines", cls=AppGroup)
def deadlines_cli() -> None:
    """Deadlines counted before the holiday calendar covered their year (D2)."""


@deadlines_cli.command("recount")
@click.option("--dry-run", is_flag=True, help="Print what would change and write nothing.")
def recount(dry_run: bool) -> None:
    """After upgrading chinese-calendar or setting BLACKLIST_HOLIDAYS_FILE: count again, on the official
    calendar, the stored deadlines counted on weekends only (provisional), in one transaction, with an event
    per changed record. Those still beyond the calendar stay provisional; a second run changes nothing."""
    from blacklist_service.services import deadlines

    if dry_run:
        report = deadlines.plan(clock.today())
    else:
        with write_transaction():
            report = deadlines.recount()
    for change in report.changes:
        for d in change.deadlines:
            click.echo(f"{change.label} {d.name}: {_recounted(d)}")
        if not change.settled:
            click.echo(f"{change.label}: another deadline is still beyond the calendar (provisional)")
    moved = sum(len(c.moved) for c in report.changes)
    click.echo(
        f"{'dry run, nothing written: ' if dry_run else ''}{len(report.changes)} record(s) recounted, "
        f"{moved} deadline(s) moved; {report.provisional} record(s) still provisional (beyond the calendar)"
    )


def _recounted(d: Recounted) -> str:
    judged = ""
    if d.done_on is not None and (d.done_on > d.now) != (d.done_on > d.was):
        judged = " (done late, was on time)" if d.done_on > d.now else " (done on time, was late)"
    if d.kept:
        return f"{d.was} kept, official {d.official.due}: {d.kept}"
    if d.now == d.was:
        return f"{d.was} confirmed"
    return f"{d.was} -> {d.now}{judged}"


@click.group(cls=AppGroup)
def demo() -> None:
    """Demo data."""


@demo.command("seed")
def seed() -> None:
    """Load courts, keys and a few cases so the service can be tried at once (prints the keys)."""
    from blacklist_service.demo import seed_demo

    with write_transaction():
        keys_made = seed_demo()
    if keys_made is None:
        click.echo("demo data already loaded (its keys were printed then; 'flask keys create' makes more)")
        return
    click.echo("Demo API keys (shown only now):")
    for label, key in keys_made.items():
        click.echo(f"  {label}: {key}")
