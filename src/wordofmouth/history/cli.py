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
        kind: str = typer.Argument(help="customers, links, sales, returns, bonus_balances, "
                                        "friend_codes or club_members"),
        path: Path = typer.Argument(help="A CSV (UTF-8 or Windows-1251) or XLSX file"),
        report: Path | None = typer.Option(None, help="Write the failed rows here (CSV)"),
) -> None:
    """Import one file as a job and run it here, with a progress bar (the job shows under
    Settings → Import history too; if this command is stopped, `wom history resume ID` or a
    running server goes on from the last committed batch)."""
    from wordofmouth.errors import DomainError
    from wordofmouth.history import jobs

    plugins.install()
    if not path.is_file():
        console.print(f"[red]{path} is not a file.[/red]")
        raise typer.Exit(2)
    try:
        with database.transaction() as session:
            job_id = jobs.queue(session, kind=kind, data=path.read_bytes(), filename=path.name,
                                actor="import", max_bytes=1_000_000_000).id
    except DomainError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    _run(job_id, report)


@app.command("resume")
def resume(job_id: int = typer.Argument(help="The import's number (wom history list)"),
           report: Path | None = typer.Option(None, help="Write the failed rows here (CSV)"),
           ) -> None:
    """Go on with an import that was stopped, from its last committed batch."""
    plugins.install()
    _run(job_id, report)


@app.command("list")
def list_jobs() -> None:
    """The latest imports: what, how far, how many failed."""
    from wordofmouth.history import jobs

    plugins.install()
    with database.transaction() as session:
        for job in jobs.recent(session):
            console.print(f"{job.id:>5}  {job.created_at:%Y-%m-%d %H:%M}  {job.kind:<15} "
                          f"{job.status:<8} {job.done}/{job.total}  {job.imported} imported, "
                          f"{len(job.errors)} failed  {job.filename}")


def _run(job_id: int, report: Path | None) -> None:
    from wordofmouth.errors import DomainError
    from wordofmouth.history import jobs

    try:
        with database.transaction() as session:
            jobs.get(session, job_id)
    except DomainError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None

    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("import", total=None)
        ran = jobs.run_one(job_id=job_id, progress=lambda n, total: bar.update(
            task, completed=n, total=total))
    with database.transaction() as session:
        job = jobs.get(session, job_id)
        kind, status, failure = job.kind, job.status, job.failure
        imported, rows, errors = job.imported, job.rows, [tuple(e) for e in job.errors]
    if ran is None and status not in jobs.FINISHED:
        console.print(f"[red]Import {job_id} is being run by a server now.[/red]")
        raise typer.Exit(2)
    if failure:
        console.print(f"[red]{failure}[/red]")
        raise typer.Exit(2)
    console.print(f"{kind}: {imported} imported, {len(errors)} failed ({rows} rows read).")
    for line, reason in errors[:20]:
        console.print(f"  line {line}: {reason}")
    if report is not None and errors:
        with report.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "reason"])
            writer.writerows(errors)
        console.print(f"Every failed row: {report}")
    if errors:
        raise typer.Exit(1)
