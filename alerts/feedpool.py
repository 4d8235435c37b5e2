"""Changed feeds parsed on every core while the poll's other fetches are still on the wire.

feedparser is the costliest step of a poll and holds the GIL, so a poll that expects many feeds
hands each changed body to a pool of forked processes (one per core) the moment it arrives.
The workers are forked before the fetch starts: the fetch resolves names in threads, and a
child forked beside running threads can inherit a lock that no thread will ever release. They
load the parser themselves on first use, so a poll whose feeds did not change never loads it.
A few documents are parsed here, one by one, when their result is asked for.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alerts.errors import ParseError
    from alerts.parse import ParsedFeed

# A forked worker starts in a few milliseconds and a 30-entry feed takes ~7 ms to parse: below
# this many feeds, one process is as fast.
POOL_FROM = 8

Parsed = Callable[[], "ParsedFeed | ParseError"]


@dataclass(frozen=True)
class Document:
    """Bytes to parse, with where they came from and how the server labelled them."""

    body: bytes
    url: str
    content_type: str | None = None


def parse_document(document: Document) -> ParsedFeed | ParseError:
    """The document's feed, or why it is none, as a value."""
    from alerts.errors import ParseError
    from alerts.parse import parse_feed

    try:
        return parse_feed(document.body, document.url, document.content_type)
    except ParseError as error:
        return error


class FeedPool:
    """``submit`` a document, get back a function that waits for its parse. A context manager:
    leaving it stops the workers."""

    def __init__(self, expected: int, workers: int | None = None) -> None:
        workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        if workers >= 2 and expected >= POOL_FROM and _can_fork():
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(workers, mp_context=context)
            self._pool.submit(int)  # forks every worker now, while this process has one thread

    def submit(self, document: Document) -> Parsed:
        if self._pool is None:
            return lambda: parse_document(document)
        return self._pool.submit(parse_document, document).result

    def __enter__(self) -> FeedPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
