"""Mailing throughput: 100 000 e-mails through the outbox to a local SMTP sink, against
plain smtplib sending the same number of messages to the same sink, on PostgreSQL.

    python -m bench.mailing [--messages 100000] [--workers 2]

The sink is an aiosmtpd server in a process of its own that counts what it receives. The
reference is the transport's limit from Python: one smtplib connection sending prepared
messages in a loop. wordofmouth writes the mailing and its outbox (timed), then `wom mailing
worker` processes send until nothing is left (timed); every message must be recorded sent
and received once."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.common import free_port, prepare_database
from wordofmouth import db as database
from wordofmouth.demo import bulk


class Counter:
    def __init__(self) -> None:
        self.n = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.n += 1
        return "250 OK"


def sink(port: int) -> None:
    """Run in a process of its own: count messages until SIGTERM, then print the count."""
    from aiosmtpd.controller import Controller

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stopped = asyncio.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    while not stopped.is_set():
        time.sleep(0.1)
    controller.stop()
    print(counter.n, flush=True)


def start_sink(port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "bench.mailing", "--sink", str(port)],
                            stdout=subprocess.PIPE, text=True)
    import socket

    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the SMTP sink did not start")


def stop_sink(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    out, _err = proc.communicate(timeout=30)
    return int(out.strip().splitlines()[-1])


def reference(port: int, n: int) -> float:
    message = EmailMessage()
    message["From"] = "Beauty Corner <shop@example.com>"
    message["Subject"] = "Olena, we miss you"
    message.set_content("Hello Olena! 12.50 bonuses wait on your card.\n\n--\nTo stop: "
                        "https://shop.example/unsubscribe/" + "x" * 60 + "\n")
    t = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as conn:
        for i in range(n):
            del message["To"]
            message["To"] = f"c{i}@example.com"
            conn.send_message(message)
    return n / (time.perf_counter() - t)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--sink":
        sink(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = prepare_database("wom_bench_mailing")
    from wordofmouth.analysis import activity
    from wordofmouth.mailing import service
    from wordofmouth.mailing import settings as mail_settings
    from wordofmouth.mailing.models import Message, MessageStatus

    bulk.generate(customers=int(args.messages * 1.5), lines=0)
    port = free_port()
    proc = start_sink(port)
    ref_rate = reference(port, args.messages)
    assert stop_sink(proc) == args.messages
    proc = start_sink(port)
    from datetime import UTC, datetime

    today = datetime.now(UTC).date()
    with database.transaction() as s:
        mail_settings.update(s, actor="bench", email_transport="smtp", smtp_host="127.0.0.1",
                             smtp_port=port, smtp_security="none", email_per_second=10_000,
                             public_url="https://shop.example")
        ids = list(activity.customer_ids(s, activity.Filter(today, today, consent="email")))
    ids = ids[:args.messages]
    t = time.perf_counter()
    with database.transaction() as s:
        mailing = service.create(s, channel="email", subject="{first_name}, we miss you",
                                 body="Hello {first_name}! {bonus_balance} bonuses wait on "
                                      "your card {card}.", customer_ids=ids, actor="bench")
        mailing_id = mailing.id
    outbox_s = time.perf_counter() - t
    wom = Path(sys.executable).with_name("wom")
    env = {**os.environ, "WOM_DATABASE_URL": url}
    t = time.perf_counter()
    workers = [subprocess.Popen([str(wom), "mailing", "worker", "--until-empty", "--batch",
                                 "200"], env=env, stdout=subprocess.DEVNULL)
               for _ in range(args.workers)]
    for w in workers:
        w.wait()
    send_s = time.perf_counter() - t
    received = stop_sink(proc)
    with database.transaction() as s:
        sent = s.scalar(select(func.count()).select_from(Message).where(
            Message.mailing_id == mailing_id, Message.status == MessageStatus.SENT))
    rate = len(ids) / send_s
    print(f"\nmailing benchmark — {len(ids):,} e-mails, local SMTP sink (aiosmtpd), PostgreSQL")
    print(f"plain smtplib, one connection     {ref_rate:8.0f} messages/s")
    print(f"outbox written (mailing + rows)   {outbox_s:8.1f} s   "
          f"{len(ids) / outbox_s:8.0f} rows/s")
    print(f"wom mailing worker × {args.workers}          {send_s:8.1f} s   {rate:8.0f} messages/s")
    print(f"ratio wom/smtplib                 {rate / ref_rate:8.2f}")
    print(f"recorded sent {sent:,}, received by the sink {received:,} "
          f"(expected {len(ids):,} each)")


if __name__ == "__main__":
    main()
