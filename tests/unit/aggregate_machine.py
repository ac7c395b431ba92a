"""Shared scaffolding for the stateful (RuleBasedStateMachine) aggregate tests.

Each machine drives one event-sourced aggregate held in `self.aggregate`, keeps the
events it has emitted in `self.events`, and checks it against a plain reference model
(`self.model`, a dict holding every name in `FIELDS`, "version" among them) after
every step.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis.stateful import RuleBasedStateMachine, invariant

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def replay(events: list) -> Any:
    """Rebuild an aggregate from its events alone."""
    agg = None
    for e in events:
        agg = e.mutate(agg)
    assert agg is not None
    return agg


class AggregateMachine(RuleBasedStateMachine):
    # The aggregate's fields compared with the model and after replay; each subclass
    # sets it (deliberately no default, so a missing one fails loudly).
    FIELDS: tuple[str, ...]

    def __init__(self) -> None:
        super().__init__()
        self.tick = 0
        self.events: list = []
        self.aggregate: Any = None
        self.model: dict[str, Any] = {}

    def fields_of(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in self.FIELDS}

    def at(self) -> datetime:
        """A fresh, strictly later timestamp for each command."""
        self.tick += 1
        return START + timedelta(seconds=self.tick)

    def collect(self, expected_names: list[str]) -> None:
        """Take the new events, check their names, and count them in the model's version."""
        new = self.aggregate.collect_events()
        assert [type(e).__name__ for e in new] == expected_names
        self.events.extend(new)
        self.model["version"] += len(expected_names)

    def expect_refused(self, exc: type[Exception], command, **kwargs) -> None:
        """A refused command raises `exc`, records no events and leaves the state as it was."""
        before = copy.deepcopy(vars(self.aggregate))
        with pytest.raises(exc):
            command(at=self.at(), **kwargs)
        assert self.aggregate.collect_events() == []
        assert vars(self.aggregate) == before

    # ---- invariants shared by every aggregate ----------------------------------

    @invariant()
    def matches_model(self) -> None:
        assert self.fields_of(self.aggregate) == {f: self.model[f] for f in self.FIELDS}

    @invariant()
    def version_counts_events(self) -> None:
        assert self.aggregate.version == len(self.events)

    @invariant()
    def replay_rebuilds_live_state(self) -> None:
        rebuilt = replay(self.events)
        assert self.fields_of(rebuilt) == self.fields_of(self.aggregate)
        assert vars(rebuilt) == vars(self.aggregate)
