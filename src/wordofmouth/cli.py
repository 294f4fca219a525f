"""The `wom` command: serve the store, migrate, load demo data, add users and tokens."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from wordofmouth import db as database
from wordofmouth.club import cli as club_cli
from wordofmouth.config import MIN_SECRET, get_settings
from wordofmouth.friends import cli as friends_cli
from wordofmouth.history import cli as history_cli
from wordofmouth.i18n import cli as i18n_cli
from wordofmouth.mailing import cli as mailing_cli
from wordofmouth.partners import cli as partners_cli
from wordofmouth.webhooks import cli as webhooks_cli

app = typer.Typer(help="wordofmouth: referral and loyalty engine for retail stores.",
                  no_args_is_help=True)
db_app = typer.Typer(help="Database schema.")
user_app = typer.Typer(help="Back-office users.")
token_app = typer.Typer(help="Integration tokens for the API.")
ledger_app = typer.Typer(help="The bonus and commission ledger.")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(ledger_app, name="ledger")
app.add_typer(club_cli.app, name="club")
app.add_typer(partners_cli.app, name="partners")
app.add_typer(friends_cli.app, name="friends")
app.add_typer(mailing_cli.app, name="mailing")
app.add_typer(i18n_cli.app, name="messages")
app.add_typer(webhooks_cli.app, name="webhooks")
app.add_typer(history_cli.app, name="history")
console = Console()


def _fail(message: str, code: int = 2) -> None:
    """One clear line, no traceback; exit 2 for what the command was given."""
    console.print(f"[red]{message}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def main() -> None:
    """The `wom` entry point: a database that cannot be reached or a URL that cannot be
    read is one line and exit 2, whatever the command."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    try:
        app()
    except (ArgumentError, NoSuchModuleError) as exc:
        console.print(f"[red]WOM_DATABASE_URL is not a database URL this program reads "
                      f"({exc}). Examples: sqlite:///wordofmouth.db, "
                      f"postgresql://user@host/db.[/red]", highlight=False, soft_wrap=True)
        raise SystemExit(2) from None
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        console.print(f"[red]The database at {_redacted(get_settings().database_url)} "
                      f"cannot be reached: {reason}[/red]", highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


def _counts(**counts: int) -> None:
    negative = [name for name, n in counts.items() if n < 0]
    if negative:
        _fail(f"--{negative[0]} is a count: 0 or more (not {counts[negative[0]]}).")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest version."""
    from wordofmouth.migrate import upgrade

    upgrade()
    console.print(f"Schema is up to date on {_redacted(get_settings().database_url)}")


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command()
def demo(
    customers: Annotated[int, typer.Option(help="How many customers")] = 200,
    sales: Annotated[int, typer.Option(help="How many receipts (small mode)")] = 1500,
    lines: Annotated[int, typer.Option(help="Sale lines in bulk mode (--bulk)")] = 0,
    bulk: Annotated[bool, typer.Option(help="Generate a large data set with set-wise "
                                            "inserts (1 M customers, 10 M lines)")] = False,
    partners: Annotated[int, typer.Option(help="Partners to add in bulk mode; 30 % of the "
                                               "new customers are linked to partners")] = 0,
) -> None:
    """Load demo data into an empty database (bulk mode appends a large history)."""
    from wordofmouth import plugins
    from wordofmouth.demo import service as demo_data
    from wordofmouth.migrate import upgrade

    _counts(customers=customers, sales=sales, lines=lines, partners=partners)
    upgrade()
    plugins.install()
    if bulk:
        from wordofmouth.demo import bulk as bulk_data

        with _progress() as bar:
            tasks: dict[str, object] = {}

            def step(stage: str, total: int, done: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done)  # type: ignore[arg-type]

            bulk_data.generate(customers=customers, lines=lines or customers * 10,
                               partners=partners, progress=step)
        with database.transaction() as session:
            written = demo_data.counts(session)
        console.print("Bulk data set generated: " + ", ".join(
            f"{n:,} {what}".replace(",", " ") for what, n in written.items()) + ".",
            soft_wrap=True)
        return
    with database.transaction() as session:
        if not demo_data.is_empty(session):
            _fail("The database already has users; demo data goes into an empty database.")
        with _progress() as bar:
            c_task = bar.add_task("customers", total=customers)
            s_task = bar.add_task("sales", total=sales)

            def tick(stage: str, n: int) -> None:
                bar.advance(c_task if stage == "customers" else s_task, n)

            logins = demo_data.seed_store(session, customers_count=customers,
                                          sales_count=sales, progress=tick)
    _print_logins(logins)


def _progress() -> Progress:
    return Progress("[progress.description]{task.description}", BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console)


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    table = Table(title="Demo logins")
    for col in ("login", "role", "password"):
        table.add_column(col)
    for row in logins:
        table.add_row(*row)
    console.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes")] = None,
    with_demo: Annotated[bool, typer.Option("--demo", help="Migrate and load the demo store "
                                                           "first if the database is empty")]
    = False,
) -> None:
    """Serve the back office, the POS screen and the API."""
    import uvicorn

    from wordofmouth.migrate import upgrade

    settings = get_settings()
    problem = settings.secret_problem()
    if problem and not with_demo:
        _fail(f"{problem} Unset it to have a random key made and kept in "
              f"{settings.secret_key_file}, or give one of {MIN_SECRET}+ random characters.")
    elif problem:
        console.print(f"[yellow]Warning: {problem} Fine for the demo only.[/yellow]")
    host, port = host or settings.host, port or settings.port
    _port_free(host, port)
    upgrade()
    if with_demo:
        from wordofmouth import plugins
        from wordofmouth.demo import service as demo_data

        plugins.install()
        with database.transaction() as session:
            if demo_data.is_empty(session):
                console.print("Loading the demo store (about a minute)…")
                _print_logins(demo_data.seed_store(session))
            else:
                from wordofmouth.demo.catalog import PARTNER_LOGIN, STAFF

                _print_logins([(lg, role, pw) for lg, _n, role, pw in [*STAFF, PARTNER_LOGIN]])
    console.print(f"\n[bold]wordofmouth[/bold] on http://{host}:{port}/  ·  POS "
                  f"http://{host}:{port}/pos  ·  partner portal http://{host}:{port}/portal  ·  "
                  f"API docs http://{host}:{port}/docs\n")
    # Ctrl-C after the server has shut down: a quiet exit 0, no traceback
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run("wordofmouth.asgi:app", host=host, port=port,
                    workers=workers or settings.server_workers(), log_level="warning",
                    proxy_headers=True, access_log=False)


def _port_free(host: str, port: int) -> None:
    """Say a port is taken before the banner says the store is there."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            _fail(f"Cannot listen on {host}:{port}: {exc.strerror or exc}. Stop what uses it, "
                  f"or give another --port.")


def _known_role(role: str) -> str:
    """Checked before the password is asked for."""
    from wordofmouth.auth.models import Role

    if role not in {r.value for r in Role}:
        _fail(f"'{role}' is not a role: owner, manager, cashier or partner.")
    return role


@user_app.command("add")
def user_add(login: str,
             role: Annotated[str, typer.Option(help="owner|manager|cashier|partner",
                                               callback=_known_role)],
             password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
             name: str = "",
             partner_id: Annotated[int | None, typer.Option(
                 help="For a partner user: the partner whose portal it sees")] = None) -> None:
    """Add a back-office user."""
    from wordofmouth.auth import service as auth
    from wordofmouth.errors import DomainError

    try:
        with database.transaction() as session:
            auth.create_user(session, login=login, name=name or login, role=role,
                             password=password, actor="cli", partner_id=partner_id)
    except DomainError as exc:
        _fail(exc.detail)
    console.print(f"User {login} ({role}) added.")


@token_app.command("add")
def token_add(name: str, scope: Annotated[list[str], typer.Option(
        help="Repeat for each scope, e.g. --scope sales:write")]) -> None:
    """Create an integration token and print it once."""
    from wordofmouth.auth import service as auth
    from wordofmouth.errors import DomainError

    try:
        with database.transaction() as session:
            raw = auth.create_token(session, name=name, scopes=scope, actor="cli")
    except DomainError as exc:
        _fail(exc.detail)
    console.print(raw)


@ledger_app.command("verify")
def ledger_verify() -> None:
    """Check that every account's balance equals the sum of its entries."""
    from wordofmouth.ledger import service as ledger

    with database.transaction() as session:
        bad = ledger.verify(session)
    if bad:
        for m in bad:
            console.print(f"account {m.account_id} ({m.kind} {m.owner_id}): balance "
                          f"{m.balance} != entries {m.entries_sum}")
        raise typer.Exit(1)
    console.print("Every balance equals the sum of its entries.")
