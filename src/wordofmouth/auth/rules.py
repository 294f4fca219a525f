"""Login throttling, as pure rules: how long a login must wait at an address.

Failures count per login *and* client address, so a stranger who types wrong passwords
for a login slows down only their own address, never the rightful user's. After the
allowed failures each further one doubles the wait (1 minute, 2, 4 … up to the window).
A login that fails from very many addresses at once (a distributed guesser) is held back
everywhere except at the addresses it has logged in from before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FIRST_WAIT = timedelta(minutes=1)
DISTRIBUTED_FACTOR = 10  # failures from all addresses, in allowed failures per address


@dataclass(frozen=True)
class Failures:
    here: int  # failures of this login from this address since its last success there
    last_here: datetime | None  # the latest of them
    everywhere: int  # failures of this login from any address in the window
    known_address: bool  # the login has succeeded from this address before


def wait(f: Failures, *, allowed: int, window: timedelta, now: datetime) -> timedelta:
    """How long this attempt must wait (zero: it may try now)."""
    if f.here >= allowed and f.last_here is not None:
        step = min(FIRST_WAIT * 2 ** (f.here - allowed), window)
        left = f.last_here + step - now
        if left > timedelta(0):
            return left
    if f.everywhere >= allowed * DISTRIBUTED_FACTOR and not f.known_address:
        return FIRST_WAIT
    return timedelta(0)


def in_words(left: timedelta) -> str:
    seconds = max(1, int(left.total_seconds() + 0.999))
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"
