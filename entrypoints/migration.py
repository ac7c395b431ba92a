"""`paperbanana migrate`: an embedded store copied into PostgreSQL, then verified.

Events are copied in notification order, decrypted with the source's key and encrypted
with the target's, in batches, each one transaction; a fresh target gives them the same
notification ids, so rebuilt read models (usage-log ids included) equal the source's.
Figures are copied under the same references. API keys get a snapshot each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adapters.file_blob_store import FileBlobStore
from domain.api_key import ApiKey
from entrypoints.bootstrap import Container

BATCH_SIZE = 500


class MigrationError(Exception):
    """The migration cannot start or cannot go on; nothing after the message was copied."""


@dataclass
class MigrationReport:
    events: tuple[int, int]  # (source, target)
    blobs: tuple[int, int]
    read_models: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        pairs = [self.events, self.blobs, *self.read_models.values()]
        return all(source == target for source, target in pairs)

    def as_dict(self) -> dict[str, Any]:
        def pair(counts: tuple[int, int]) -> dict[str, int]:
            return {"source": counts[0], "target": counts[1]}

        return {"events": pair(self.events), "blobs": pair(self.blobs),
                "read_models": {t: pair(c) for t, c in self.read_models.items()},
                "verified": self.verified}


def migrate(source: Container, target: Container,
            progress: Callable[[int, int], None]) -> MigrationReport:
    if target.store.head():
        raise MigrationError(f"the target already holds {target.store.head()} events; "
                             "migrate into an empty database")
    source.follower.catch_up()
    key_ids = _copy_events(source, target, progress)
    blobs = _copy_blobs(source, target)
    target.read_models.reset()
    target.follower.catch_up()
    for key_id in key_ids:
        target.store.take_snapshot(key_id)
    source_rows, target_rows = source.read_models.counts(), target.read_models.counts()
    return MigrationReport(
        events=(source.store.head(), target.store.head()),
        blobs=blobs,
        read_models={table: (source_rows[table], target_rows[table]) for table in source_rows})


def _copy_events(source: Container, target: Container,
                 progress: Callable[[int, int], None]) -> set:
    """Copy every event in order; return the ids of the API keys (to snapshot)."""
    head, position, key_ids = source.store.head(), 0, set()
    while batch := list(source.store.read_after(position, BATCH_SIZE)):
        ids = target.store.append([event for _, event in batch])
        if ids != [notification_id for notification_id, _ in batch]:
            raise MigrationError(f"notification ids diverged after {position}: the target "
                                 "must be a fresh database")
        key_ids.update(e.originator_id for _, e in batch if isinstance(e, ApiKey.Issued))
        position = batch[-1][0]
        progress(position, head)
    return key_ids


def _copy_blobs(source: Container, target: Container) -> tuple[int, int]:
    """(figures in the source, figures readable in the target under the same reference)."""
    blobs = source.persistence.blobs
    refs = list(blobs.refs()) if isinstance(blobs, FileBlobStore) else []
    copied = sum(target.persistence.blobs.put(blobs.get(ref), "application/octet-stream") == ref
                 for ref in refs)
    return len(refs), copied
