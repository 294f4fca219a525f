"""`wom history import KIND FILE`: a store's past from its old program (see
docs/history-import.md), with a progress bar and a report of the rows that failed."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from wordofmouth import db as database
from wordofmouth import plugins

app = typer.Typer(help="Import a store's history.", no_args_is_help=True)
console = Console()


@app.command("import")
def import_file(
        kind: str = typer.Argument(help="customers, links, sales, returns or bonus_balances"),
        path: Path = typer.Argument(help="A CSV (UTF-8 or Windows-1251) or XLSX file"),
        report: Path | None = typer.Option(None, help="Write the failed rows here (CSV)"),
) -> None:
    """Import one file; import customers first, then links, sales, returns and balances."""
    from wordofmouth.errors import DomainError
    from wordofmouth.history import importer

    plugins.install()
    if not path.is_file():
        console.print(f"[red]{path} is not a file.[/red]")
        raise typer.Exit(2)
    data = path.read_bytes()
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console, transient=True) as bar, \
                database.transaction() as session:
            task = bar.add_task(kind, total=None)
            done = importer.run(session, kind, data, path.name, actor="import",
                                commit_every=500, max_bytes=1_000_000_000,
                                progress=lambda n, total: bar.update(task, completed=n,
                                                                     total=total))
    except DomainError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{kind}: {done.imported} imported, {len(done.errors)} failed "
                  f"({done.rows} rows read).")
    for line, reason in done.errors[:20]:
        console.print(f"  line {line}: {reason}")
    if report is not None and done.errors:
        with report.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "reason"])
            writer.writerows(done.errors)
        console.print(f"Every failed row: {report}")
    if done.errors:
        raise typer.Exit(1)
