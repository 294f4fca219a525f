"""Throttling of guesses: promo codes looked up in vain. Failed look-ups are counted per
principal (a user or an integration token) in this server process, in a sliding window;
over the limit, further look-ups are refused with 429 `too_many_attempts` until old
failures leave the window. (A failed request's transaction is rolled back, so the count
lives in memory, not in the database; with N server processes a guesser gets at most N
times the limit.)"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager

from wordofmouth.errors import DomainError, Throttled
from wordofmouth.i18n import gettext

GUESS_LIMIT = 30
WINDOW_SECONDS = 600.0
UNKNOWN = ("unknown_code", "friend_code_unknown", "partner_code_not_usable")


class Throttle:
    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self.failures[key]
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def check(self, key: str) -> None:
        with self.lock:
            recent = self._recent(key, time.monotonic())
            if len(recent) >= self.limit:
                wait = int(recent[0] + self.window - time.monotonic()) + 1
                raise Throttled(gettext("Too many unknown codes tried; wait {0} s before the "
                                        "next look-up.").format(wait))

    def fail(self, key: str) -> None:
        with self.lock:
            now = time.monotonic()
            self._recent(key, now).append(now)

    def reset(self) -> None:
        with self.lock:
            self.failures.clear()


CODE_GUESSES = Throttle(GUESS_LIMIT, WINDOW_SECONDS)


@contextmanager
def code_lookup(principal_key: str) -> Iterator[None]:
    """Refuse a look-up while `principal_key` is over the limit; count it if the code is
    unknown."""
    CODE_GUESSES.check(principal_key)
    try:
        yield
    except DomainError as exc:
        if exc.code in UNKNOWN:
            CODE_GUESSES.fail(principal_key)
        raise
