"""`wom partners …`: the daily maturing of commission and the monthly statements, from
cron."""

from __future__ import annotations

from datetime import timedelta

import typer
from rich.console import Console

from wordofmouth import db as database
from wordofmouth import plugins

app = typer.Typer(help="Referrer partners.")
console = Console()


@app.command("mature")
def mature(when: str = typer.Option(
        "", "--date", help="YYYY-MM-DD: mature as of the end of that store day, for a "
                           "backfill (not after today; default: now)")) -> None:
    """Move commission whose hold period has passed from pending to payable."""
    from datetime import date

    from wordofmouth.errors import DomainError
    from wordofmouth.partners import commission

    plugins.install()
    try:
        day = date.fromisoformat(when) if when else None
    except ValueError:
        console.print(f"[red]'{when}' is not a date (YYYY-MM-DD).[/red]")
        raise typer.Exit(2) from None
    try:
        with database.transaction() as session:
            now = commission.as_of_day(session, day) if day else None
            n = commission.mature(session, now=now)
    except DomainError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{n} sale{'s' if n != 1 else ''} matured from pending to payable.")


@app.command("send-statements")
def send_statements(month: str = typer.Option(
        "", help="YYYY-MM; default: the month before this one (the store's days)")) -> None:
    """E-mail each partner who asked for it the statement of a month (once per partner)."""
    from datetime import date

    from wordofmouth.calendar import today_date
    from wordofmouth.settings import service as store_settings
    from wordofmouth.storefront import statement_mail

    plugins.install()
    if month:
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            console.print(f"[red]'{month}' is not a month: write it as YYYY-MM.[/red]")
            raise typer.Exit(2) from None
        start, end = statement_mail.month_before(
            (first.replace(day=28) + timedelta(days=4)).replace(day=1))
    else:
        with database.transaction() as session:
            start, end = statement_mail.month_before(today_date(store_settings.zone(session)))
    mailing_id, added = statement_mail.queue_month(start, end, actor="cli")
    if mailing_id is None:
        console.print("No partner asks for the monthly statement by e-mail.")
    else:
        console.print(f"Statements of {start} – {end}: {added} queued now "
                      f"(mailing #{mailing_id}).")
