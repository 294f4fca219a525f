"""`wom mailing worker`: the outbox worker on its own (the server also runs one inside)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Mailings: the outbox worker.")
console = Console()


@app.command("worker")
def worker(
    until_empty: Annotated[bool, typer.Option(help="Stop when nothing is left to send")] = False,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="Messages per claim")] = 10,
) -> None:
    """Send queued messages: claims batches, retries with backoff, keeps the rate limits.
    Stops cleanly on SIGTERM or Ctrl-C (the message in hand is finished first)."""
    from wordofmouth.mailing.worker import Worker, pending

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    console.print(f"mailing worker: {pending()} message(s) to send")
    Worker(batch=batch).run(stop, until_empty=until_empty)
    console.print(f"mailing worker stopped: {pending()} message(s) left")
