"""Stateful property tests for the Task aggregate.

A RuleBasedStateMachine drives one Task with random commands (legal and illegal)
and checks it against a plain reference model after every step.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from domain.errors import IllegalTransition
from domain.task import MAX_ITERATIONS, Task, TaskKind, TaskStatus
from tests.unit.aggregate_machine import START, AggregateMachine

OWNER = UUID(int=7)

MODEL_FIELDS = (
    "id", "kind", "inputs", "iterations", "webhook_url", "webhook_include_image",
    "owner_key_id", "status", "submitted_at", "started_at", "finished_at", "attempts",
    "rounds", "image_ref", "artifacts", "description", "error", "version",
)

notes_st = st.lists(st.sampled_from(["tighten axis", "fix legend", "ok"]), max_size=3)


class TaskMachine(AggregateMachine):
    FIELDS = MODEL_FIELDS
    aggregate: Task

    # ---- commands ------------------------------------------------------------

    @initialize(
        n=st.integers(min_value=0, max_value=2**32),
        kind=st.sampled_from([k.value for k in TaskKind]),
        # Small limits are favoured so the "at most `iterations` rounds" edge is reached.
        iterations=st.one_of(
            st.integers(min_value=1, max_value=3),
            st.integers(min_value=1, max_value=MAX_ITERATIONS),
        ),
        url=st.one_of(st.none(), st.just("https://hook.example/x")),
        include_image=st.booleans(),
    )
    def submit(self, n, kind, iterations, url, include_image) -> None:
        submitted_at = self.at()
        inputs = {"caption": f"figure {n}"}
        self.aggregate = Task(
            id=UUID(int=n), kind=kind, inputs=dict(inputs), iterations=iterations,
            webhook_url=url, webhook_include_image=include_image, owner_key_id=OWNER,
            at=submitted_at,
        )
        self.model = {
            "id": UUID(int=n), "kind": kind, "inputs": inputs, "iterations": iterations,
            "webhook_url": url, "webhook_include_image": include_image, "owner_key_id": OWNER,
            "status": TaskStatus.PENDING, "submitted_at": submitted_at, "started_at": None,
            "finished_at": None, "attempts": 0, "rounds": [], "image_ref": None,
            "artifacts": {}, "description": None, "error": None, "version": 0,
        }
        self.collect(["Submitted"])

    @rule()
    def start(self) -> None:
        m = self.model
        if m["status"].finished:
            self.expect_refused(IllegalTransition, self.aggregate.start)
            return
        at = self.at()
        self.aggregate.start(at=at)
        m.update(status=TaskStatus.RUNNING, started_at=at, attempts=m["attempts"] + 1, rounds=[])
        self.collect(["Started"])

    @rule(notes=notes_st)
    def record_iteration(self, notes) -> None:
        self._record_one(notes)

    @rule(count=st.integers(min_value=1, max_value=MAX_ITERATIONS + 1), notes=notes_st)
    def record_burst(self, count, notes) -> None:
        """Several rounds in a row, so the per-attempt limit is actually reached."""
        for _ in range(count):
            self._record_one(notes)
            self.rounds_numbered_in_order()

    def _record_one(self, notes) -> None:
        m = self.model
        if m["status"] is not TaskStatus.RUNNING or len(m["rounds"]) >= m["iterations"]:
            self.expect_refused(IllegalTransition, self.aggregate.record_iteration, notes=notes)
            return
        at = self.at()
        self.aggregate.record_iteration(notes=notes, at=at)
        m["rounds"] = [*m["rounds"], {"iteration": len(m["rounds"]) + 1, "notes": list(notes), "at": at}]
        self.collect(["IterationRecorded"])

    @rule(image=st.sampled_from(["blob://1", "blob://2"]), desc=st.sampled_from(["a", "b"]))
    def complete(self, image, desc) -> None:
        m = self.model
        artifacts = {"final": image}
        if m["status"] is not TaskStatus.RUNNING:
            self.expect_refused(
                IllegalTransition, self.aggregate.complete,
                image_ref=image, description=desc, artifacts=artifacts,
            )
            return
        at = self.at()
        self.aggregate.complete(image_ref=image, description=desc, artifacts=artifacts, at=at)
        m.update(status=TaskStatus.COMPLETED, image_ref=image, description=desc,
                 artifacts=dict(artifacts), finished_at=at)
        self.collect(["Completed"])

    @rule(error=st.sampled_from(["worker lost", "model refused"]))
    def fail(self, error) -> None:
        m = self.model
        if m["status"] not in (TaskStatus.PENDING, TaskStatus.RUNNING):
            self.expect_refused(IllegalTransition, self.aggregate.fail, error=error)
            return
        at = self.at()
        self.aggregate.fail(error=error, at=at)
        m.update(status=TaskStatus.FAILED, error=error, finished_at=at)
        self.collect(["Failed"])

    # ---- invariants (plus those shared in AggregateMachine) --------------------

    @invariant()
    def rounds_numbered_in_order(self) -> None:
        numbers = [r["iteration"] for r in self.aggregate.rounds]
        assert numbers == list(range(1, len(numbers) + 1))
        assert len(numbers) <= self.model["iterations"]

    @invariant()
    def rounds_only_while_started(self) -> None:
        if self.model["attempts"] == 0:
            assert self.aggregate.rounds == []
            assert self.model["status"] in (TaskStatus.PENDING, TaskStatus.FAILED)


TaskMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestTaskStateful = TaskMachine.TestCase


# ---- plain tests -------------------------------------------------------------


def _submit(**overrides) -> Task:
    kwargs = dict(
        id=UUID(int=1), kind="methodology", inputs={}, iterations=3, webhook_url=None,
        webhook_include_image=False, owner_key_id=OWNER, at=START,
    )
    kwargs.update(overrides)
    return Task(**kwargs)


@pytest.mark.parametrize("iterations", [0, MAX_ITERATIONS + 1, 11, -1, True, False, 2.5, "3", None])
def test_constructor_rejects_bad_iterations(iterations) -> None:
    with pytest.raises(ValueError):
        _submit(iterations=iterations)


@pytest.mark.parametrize("kind", ["", "diagram", "METHODOLOGY", "statistical-plot"])
def test_constructor_rejects_unknown_kind(kind) -> None:
    with pytest.raises(ValueError):
        _submit(kind=kind)


@pytest.mark.parametrize("iterations", [1, MAX_ITERATIONS])
@pytest.mark.parametrize("kind", [k.value for k in TaskKind])
def test_constructor_accepts_bounds_and_known_kinds(kind, iterations) -> None:
    task = _submit(kind=kind, iterations=iterations)
    assert task.status is TaskStatus.PENDING
    assert task.iterations == iterations

