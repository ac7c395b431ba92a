"""The event store: one eventsourcing Application holding every aggregate.

One store, so that a submission can save the Task and the ApiKey's consumption in
one atomic `save()`. The persistence module (SQLite, PostgreSQL, in-memory) and the
cipher are chosen by the environment the composition root passes in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment

from domain.api_key import ApiKey

__all__ = ["EventStore", "AggregateNotFoundError", "IntegrityError"]

KEY_SNAPSHOT_INTERVAL = 50


class EventStore(Application[UUID]):
    name = "PaperBanana"
    snapshotting_intervals = {ApiKey: KEY_SNAPSHOT_INTERVAL}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._after_commit: list[Callable[[], None]] = []

    def construct_env(self, name: str, env: Any = None) -> Environment:
        """Configuration comes only from the composition root, never from os.environ."""
        return Environment(name, {"IS_SNAPSHOTTING_ENABLED": "y", **(env or {})})

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` after every commit (the projections catch up this way)."""
        self._after_commit.append(callback)

    def commit(self, *aggregates: Any) -> None:
        """Save the aggregates' pending events atomically, then run the commit hooks."""
        self.save(*aggregates)
        for callback in self._after_commit:
            callback()

    def get(self, aggregate_id: UUID, version: int | None = None) -> Any:
        """A private copy of the aggregate, for commands."""
        return self.repository.get(aggregate_id, version=version)

    def read(self, aggregate_id: UUID) -> Any:
        """The cached aggregate itself, fast-forwarded: for queries only, never mutate it.

        It skips the deep copy that `get` makes (most of a poll's cost). Event methods
        assign `status` last, so a reader never sees a finished state without its fields.
        """
        return self.repository.get(aggregate_id, deepcopy_from_cache=False)

    def events_of(self, aggregate_id: UUID) -> Sequence[DomainEventProtocol[UUID]]:
        """Every event of one aggregate, in order (snapshots ignored)."""
        return list(self.events.get(aggregate_id))

    def head(self) -> int:
        """The id of the newest notification, 0 when the store is empty."""
        return self.recorder.max_notification_id() or 0

    def append(self, events: Sequence[DomainEventProtocol[UUID]]) -> list[int]:
        """Record events made elsewhere exactly as they are (a migration's copy), in one
        transaction; return their notification ids. No commit hooks run."""
        stored = [self.mapper.to_stored_event(event) for event in events]
        return list(self.recorder.insert_events(stored) or [])

    def read_after(self, position: int, limit: int) -> Iterator[tuple[int, DomainEventProtocol[UUID]]]:
        """Events recorded after `position`, oldest first, with their notification ids."""
        notifications = self.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        for notification in notifications:
            yield notification.id, self.mapper.to_domain_event(notification)
