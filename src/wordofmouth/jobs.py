"""The server's background jobs. At start-up and then every few minutes: the daily club
review if today has not been reviewed (several workers may try; the review's claim on the
day lets one do it), and the maturing of partner commission whose hold has passed (each
sale matures once: its movements' source keys are unique), and the monthly statements of
the partners who asked for them (one letter per partner per month)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from wordofmouth import db as database
from wordofmouth.calendar import today_date
from wordofmouth.club import service
from wordofmouth.errors import DomainError
from wordofmouth.partners import commission
from wordofmouth.settings import service as store_settings

log = logging.getLogger("wordofmouth.club")
CHECK_EVERY_SECONDS = 300


def review_if_due() -> None:
    try:
        with database.transaction() as session:
            today = store_settings.today(session)
            if not service.settings(session).enabled or service.reviewed(session, today):
                return
            result = service.run_review(session, actor="scheduler")
        log.info("club review of day %s: %s", result.day, result.counts)
    except DomainError as exc:
        log.info("club review skipped: %s", exc.detail)
    except Exception:  # the server keeps serving; the next check tries again
        log.exception("club review failed")


def mature_commission() -> None:

    try:
        with database.transaction() as session:
            n = commission.mature(session)
        if n:
            log.info("commission of %s sales matured", n)
    except Exception:  # the server keeps serving; the next check tries again
        log.exception("commission maturing failed")


def send_statements_if_due() -> None:
    from wordofmouth.storefront import statement_mail

    try:
        with database.transaction() as session:
            start, end = statement_mail.month_before(today_date(store_settings.zone(session)))
        _mailing, added = statement_mail.queue_month(start, end, actor="scheduler")
        if added:
            log.info("statements of %s to %s queued for %s partners", start, end, added)
    except Exception:  # the server keeps serving; the next check tries again
        log.exception("queueing the monthly statements failed")


class Background:
    """A worker inside the server (the mailing and webhook outboxes): a daemon thread that
    runs until closed; the worker finishes the message in hand first."""

    def __init__(self, name: str, run: Callable[[threading.Event], None]) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=run, args=(self.stop,), name=name, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=20)


class Scheduler:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="club-review", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            review_if_due()
            mature_commission()
            send_statements_if_due()
            self._stop.wait(CHECK_EVERY_SECONDS)
