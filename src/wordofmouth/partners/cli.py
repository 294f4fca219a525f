"""`wom partners …`: the daily maturing of commission from cron."""

from __future__ import annotations

import typer
from rich.console import Console

from wordofmouth import db as database
from wordofmouth import plugins

app = typer.Typer(help="Referrer partners.")
console = Console()


@app.command("mature")
def mature() -> None:
    """Move commission whose hold period has passed from pending to payable."""
    from wordofmouth.partners import commission

    plugins.install()
    with database.transaction() as session:
        n = commission.mature(session)
    console.print(f"{n} sale{'s' if n != 1 else ''} matured from pending to payable.")
