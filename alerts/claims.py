"""Who does which work when several processes share one database: claims and their leases.

Each process has an id (host, process id, a nonce). Feeds, new articles and outbox entries are
claimed under a lease; a process that dies leaves claims that run out, and on this host a restart
frees them at once.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta

from alerts.clock import REAL_TIME, Clock
from alerts.config import Config
from alerts.store import Store

log = logging.getLogger("alerts.claims")

_PROCESS_NONCE = uuid.uuid4().hex[:8]


def replica_id() -> str:
    """Who this process is, for claims shared with other replicas through the database:
    host, process id, and a nonce that tells this process from an earlier one with its id."""
    return f"{socket.gethostname()}:{os.getpid()}:{_PROCESS_NONCE}"


def is_dead_here(owner: str) -> bool:
    """Is ``owner`` a process of this host that no longer runs? (Elsewhere: leases decide.)"""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or parts[0] != socket.gethostname():
        return False
    pid, nonce = int(parts[1]), parts[2]
    if pid == os.getpid():
        return nonce != _PROCESS_NONCE  # an earlier process that had our id
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_dead_claims(store: Store) -> None:
    """A process killed on this host left claims: free them now rather than when they lapse,
    so a restart resumes at once."""
    dead = [owner for owner in store.claim_owners() if is_dead_here(owner)]
    if dead:
        log.warning("claims.released owners=%s", ",".join(dead))
        store.release_claims(dead)


@dataclass(frozen=True)
class Worker:
    """Who polls, and for how long its claims hold if it dies. ``shared``: one of several
    replicas, so each feed is fetched by only one of them per poll interval."""

    owner: str
    lease: timedelta
    shared: bool = False


def worker_for(config: Config, *, shared: bool = False, clock: Clock = REAL_TIME) -> Worker:
    """Claims outlive a whole fetch (every deadline) several times over before others take the
    work; the lease is in the clock's time, which may run faster than real time."""
    lease = timedelta(seconds=6 * config.fetch_deadline() * clock.speed)
    return Worker(replica_id(), lease, shared)
