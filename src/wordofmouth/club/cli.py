"""`wom club …`: the daily review from cron."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from wordofmouth import db as database
from wordofmouth import plugins
from wordofmouth.calendar import date_of
from wordofmouth.errors import DomainError, InvalidInput

app = typer.Typer(help="Club discount system.")
console = Console()


@app.command("review")
def review(when: Annotated[str | None, typer.Option(
        "--date", help="The day to review, YYYY-MM-DD, for a backfill (not after "
                          "today; default: today, the store's day)")] = None) -> None:
    """Run the daily club review (once per day: a second run changes nothing)."""
    from wordofmouth.club import service

    plugins.install()
    try:
        asked = date.fromisoformat(when) if when else None
    except ValueError:
        console.print(f"[red]'{when}' is not a date (YYYY-MM-DD).[/red]")
        raise typer.Exit(2) from None
    try:
        with database.transaction() as session:
            day = service.backfill_day(session, asked) if asked else None
            result = service.run_review(session, day=day, actor="cli")
    except DomainError as exc:  # a day after today is bad input (2); a club switched off, 1
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2 if isinstance(exc, InvalidInput) else 1) from None
    label = date_of(result.day).isoformat()
    if not result.ran:
        console.print(f"{label} was reviewed already; nothing changed.")
    for event, n in result.counts.items():
        console.print(f"{label}  {event.replace('_', ' '):<20} {n}")
