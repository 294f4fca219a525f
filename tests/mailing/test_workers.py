"""Worker processes: two at once never send the same message (PostgreSQL); a worker killed
with SIGKILL resumes without re-sending what was acknowledged."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.mailing.conftest import SmtpSink, smtp_server, use_smtp
from wordofmouth.db import utcnow
from wordofmouth.mailing import service
from wordofmouth.mailing.models import Message, MessageStatus


def mailing_to(url: str, n: int, port: int, tag: str) -> int:
    engine = create_engine(url)
    with Session(engine) as s:
        factories.bind(s)
        use_smtp(s, port)
        ids = [factories.CustomerFactory.create(first_name=f"C{i}", email=f"{tag}{i}@example.com",
                                         consent_email=True).id for i in range(n)]
        mailing = service.create(s, channel="email", subject="Hi {first_name}", body="News",
                                 customer_ids=ids, actor="owner")
        s.commit()
        mailing_id = mailing.id
    engine.dispose()
    return mailing_id


def worker(url: str, *, batch: int = 10,
           env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    wom = Path(sys.executable).with_name("wom")
    return subprocess.Popen([str(wom), "mailing", "worker", "--until-empty", "--batch",
                             str(batch)],
                            env={**os.environ, "WOM_DATABASE_URL": url, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def statuses(url: str, mailing_id: int) -> Counter[str]:
    engine = create_engine(url)
    with Session(engine) as s:
        found = Counter(s.scalars(select(Message.status)
                                  .where(Message.mailing_id == mailing_id)))
    engine.dispose()
    return found


@requires_postgres
def test_two_workers_never_send_the_same_message(committed_url: str, smtp: SmtpSink) -> None:
    mailing_id = mailing_to(committed_url, 200, smtp.port, "two")
    workers = [worker(committed_url) for _ in range(2)]
    for w in workers:
        _out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err.decode()
    received = Counter(m["To"] for m in smtp.received)
    assert len(received) == 200 and set(received.values()) == {1}
    assert statuses(committed_url, mailing_id) == Counter({MessageStatus.SENT: 200})


class SlowSink(SmtpSink):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.03)
        return await super().handle_DATA(server, session, envelope)


def test_a_killed_worker_resumes_without_resending_what_was_acknowledged(
        committed_url: str) -> None:
    with smtp_server(SlowSink) as sink:
        mailing_id = mailing_to(committed_url, 120, sink.port, "killed")
        first = worker(committed_url)
        deadline = time.monotonic() + 60
        while statuses(committed_url, mailing_id)[MessageStatus.SENT] < 30:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        engine = create_engine(committed_url)
        with Session(engine) as s:
            acknowledged = set(s.scalars(select(Message.address).where(
                Message.mailing_id == mailing_id, Message.status == MessageStatus.SENT)))
            # Time passes: the dead worker's lease on its claimed batch runs out.
            s.execute(update(Message).where(Message.status == MessageStatus.SENDING)
                      .values(claimed_until=utcnow() - timedelta(seconds=1)))
            s.commit()
        engine.dispose()
        second = worker(committed_url)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()
    received = Counter(m["To"] for m in sink.received)
    assert 30 <= len(acknowledged) < 120  # the kill came in the middle
    assert len(received) == 120  # everyone got the message
    assert all(received[a] == 1 for a in acknowledged)  # nothing recorded was sent again
    assert sum(received.values()) - 120 <= 1  # at most the one in flight at the kill
    assert statuses(committed_url, mailing_id) == Counter({MessageStatus.SENT: 120})


class VerySlowSink(SmtpSink):
    """A mail server that takes a second per message: longer than the lease lets a batch
    take, so a worker's later messages outlive their lease while it is still sending."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(1.0)
        return await super().handle_DATA(server, session, envelope)


@requires_postgres
def test_a_slow_mail_server_never_makes_two_workers_send_one_message(
        committed_url: str) -> None:
    with smtp_server(VerySlowSink) as sink:
        mailing_id = mailing_to(committed_url, 10, sink.port, "slow")
        lease = {"WOM_MAIL_LEASE_SECONDS": "2"}
        first = worker(committed_url, batch=10, env=lease)  # claims all ten at once
        time.sleep(0.5)
        second = worker(committed_url, batch=10, env=lease)  # takes what outlives its lease
        for w in (first, second):
            _out, err = w.communicate(timeout=120)
            assert w.returncode == 0, err.decode()
    received = Counter(m["To"] for m in sink.received)
    assert len(received) == 10
    assert set(received.values()) == {1}, received
    assert statuses(committed_url, mailing_id) == Counter({MessageStatus.SENT: 10})
