"""Response bodies streamed from a generator that holds a read transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


_END = object()


async def closing(chunks: Iterator[T]) -> AsyncIterator[T]:
    """Send a generator's chunks, reading each on a worker thread, and close it whatever
    happens — the download finished, or the browser went away half-way — so the read
    transaction it holds ends with the response, not whenever it is garbage-collected."""
    try:
        while (chunk := await run_in_threadpool(next, chunks, _END)) is not _END:
            yield chunk  # type: ignore[misc]
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            await run_in_threadpool(close)
