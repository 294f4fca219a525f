"""`wom webhooks deliver`: the webhook worker outside the server (cron or a service)."""

from __future__ import annotations

import signal
import threading

import typer

app = typer.Typer(help="Webhooks: deliver what is due.", no_args_is_help=True)


@app.command("deliver")
def deliver(until_empty: bool = typer.Option(
        False, "--until-empty", help="Stop once nothing is due (else run until stopped)")) -> None:
    """Send due webhook deliveries. Stops cleanly on SIGTERM or Ctrl-C (the delivery in hand
    is finished first)."""
    from wordofmouth import plugins
    from wordofmouth.webhooks.worker import Worker, pending

    plugins.install()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    Worker().run(stop, until_empty=until_empty)
    typer.echo(f"waiting: {pending()}")
