"""Where a consumer that is not a read model (the dispatcher) keeps its position.

In one process the position lives in memory. Processes that follow one shared log keep
it in the shared store, and moving it past a batch is a claim: exactly one process moves
it, and only that process acts on the batch (the others get PositionConflict).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from application.projections.read_models import PositionConflict


class Position(ABC):
    @abstractmethod
    def get(self) -> int:
        """The notification id of the last event handled."""

    @abstractmethod
    def advance(self, after: int, position: int) -> AbstractContextManager[None]:
        """Claim the events after `after` up to `position`: the block acts on them and the
        move is kept when it exits cleanly. Raises PositionConflict when the position is
        no longer `after`."""


class MemoryPosition(Position):
    """A position held by this process alone (the embedded default)."""

    def __init__(self, start: int = 0) -> None:
        self._position = start

    def get(self) -> int:
        return self._position

    @contextmanager
    def advance(self, after: int, position: int) -> Iterator[None]:
        if after != self._position:
            raise PositionConflict(f"position moved past {after}")
        yield
        self._position = position
