"""`wom friends …`: codes for a printed mass campaign, issued in bulk and written out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from wordofmouth import db as database
from wordofmouth import i18n, plugins
from wordofmouth.errors import DomainError
from wordofmouth.i18n import gettext

app = typer.Typer(help="Refer a Friend.")
console = Console()


@app.command("issue")
def issue(
    campaign: Annotated[str, typer.Option(help="The campaign's name, as the back office "
                                                "shows it")],
    card: Annotated[str, typer.Option(help="The card number of the codes' holder (the "
                                            "store's own customer for a printed campaign)")],
    count: Annotated[int, typer.Option(help="How many codes")],
    out: Annotated[Path, typer.Option(help="The CSV file to write the codes to, one per "
                                            "row, for the print shop")],
) -> None:
    """Issue many one-time friend codes at once (all or none) and write them to a CSV file."""
    from wordofmouth.customers import service as customers
    from wordofmouth.friends import bulk
    from wordofmouth.friends import service as friends

    plugins.install()
    try:  # made now, before a code is issued: a folder that is not there is bad input
        f = out.open("x", newline="", encoding="utf-8")
    except OSError as exc:
        said = (gettext("{0} exists already: choose a new file.").format(out)
                if isinstance(exc, FileExistsError) else
                gettext("Cannot write {0}: {1}").format(out, exc.strerror))
        console.print(f"[red]{said}[/red]", highlight=False)
        raise typer.Exit(2) from None
    progress = Progress("[progress.description]{task.description}", BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=console)
    try:
        with progress, database.transaction() as session:
            holder = customers.card_by_number(session, card).customer_id
            campaign_id = friends.campaign_named(session, campaign).id
            task = progress.add_task(gettext("issuing"), total=count)
            batch = bulk.issue_bulk(session, campaign_id=campaign_id, referrer_id=holder,
                                    count=count, actor="cli",
                                    progress=lambda done: progress.update(task, completed=done))
    except BaseException as exc:
        f.close()
        out.unlink()  # nothing issued: no file either
        if isinstance(exc, DomainError):
            console.print(f"[red]{exc.detail}[/red]", highlight=False)
            raise typer.Exit(2) from None
        raise
    # Written once the codes are committed: a code on paper is a code the till knows.
    with database.transaction() as session, f:
        written = bulk.write_csv(session, batch, f)
    console.print(gettext("{0} codes of “{1}” issued (batch {2}) and written to {3}.")
                  .format(i18n.number(written), campaign, batch, out), highlight=False)
