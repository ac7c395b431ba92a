"""Follows the event store's notification log and feeds consumers in order.

The embedded store (SQLite) offers no subscriptions, so consumers are caught up
synchronously after every commit and before every read of a read model: a client
that writes and then reads sees its write. One lock serialises catch-ups in-process;
each consumer records its own position, so a crash between batches only replays.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from application.event_store import EventStore
from application.projections.read_models import PositionConflict

BATCH_SIZE = 500
log = logging.getLogger(__name__)


class Consumer(Protocol):
    name: str
    deferrable: bool
    """True when a failure may wait: it is logged, and the same events are offered again
    on the next catch-up, while the caller (a request that committed) goes on."""

    def position(self) -> int: ...

    def process(self, after: int, batch: Sequence[tuple[int, Any]]) -> None:
        """Apply `batch`, the events following position `after`; raise PositionConflict
        when another process got there first."""


class Follower:
    def __init__(self, store: EventStore, consumers: Sequence[Consumer]) -> None:
        self.store = store
        self.consumers = list(consumers)
        self._lock = threading.Lock()

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Bring every consumer to the head; `progress(position, head)` after each batch."""
        with self._lock:
            head = self.store.head()
            for consumer in self.consumers:
                position = consumer.position()
                while position < head:
                    batch = list(self.store.read_after(position, BATCH_SIZE))
                    if not batch:
                        break
                    try:
                        consumer.process(position, batch)
                    except PositionConflict:
                        position = consumer.position()
                        continue
                    except Exception:
                        if not consumer.deferrable:
                            raise
                        log.exception("%s failed after %d; trying again later",
                                      consumer.name, position)
                        break
                    position = batch[-1][0]
                    if progress is not None:
                        progress(position, head)
