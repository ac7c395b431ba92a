"""Stateful property tests for the WebhookDelivery aggregate.

A RuleBasedStateMachine drives one delivery with random attempt outcomes and checks
it against a plain reference model after every step.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from domain.errors import IllegalTransition
from domain.webhook_delivery import WebhookDelivery, delivery_id_for
from tests.unit.aggregate_machine import START, AggregateMachine

KEY_ID = UUID(int=99)
EVENT_NAMES = ["task.completed", "task.failed"]

# Written out by hand (not imported) so a change to the domain constants is caught.
EXPECTED_MAX_ATTEMPTS = 4
EXPECTED_DELAYS = {0: 0, 1: 5, 2: 15, 3: 60}

MODEL_FIELDS = (
    "id", "task_id", "event_name", "key_id", "url", "include_image", "scheduled_at",
    "attempts", "status", "finished", "next_retry_delay", "version",
)

# Boundary codes are listed explicitly so 199/200/299/300 come up often; None is a
# connection error (no answer at all).
status_codes = st.one_of(
    st.sampled_from([None, 100, 199, 200, 204, 299, 300, 302, 404, 429, 500, 503]),
    st.integers(min_value=100, max_value=599),
)


def is_success(code: int | None) -> bool:
    return code is not None and 200 <= code <= 299


class WebhookDeliveryMachine(AggregateMachine):
    FIELDS = MODEL_FIELDS
    aggregate: WebhookDelivery

    @initialize(
        n=st.integers(min_value=0, max_value=2**32),
        event_name=st.sampled_from(EVENT_NAMES),
        include_image=st.booleans(),
    )
    def schedule(self, n, event_name, include_image) -> None:
        task_id = UUID(int=n)
        scheduled_at = self.at()
        self.aggregate = WebhookDelivery(
            task_id=task_id, event_name=event_name, key_id=KEY_ID,
            url="https://hook.example/x", include_image=include_image, at=scheduled_at,
        )
        # The id is deterministic: scheduling again yields the same stream id.
        again = WebhookDelivery(
            task_id=task_id, event_name=event_name, key_id=UUID(int=1),
            url="https://other.example/", include_image=not include_image, at=START,
        )
        assert self.aggregate.id == again.id == delivery_id_for(task_id, event_name)
        self.model = {
            "id": delivery_id_for(task_id, event_name), "task_id": task_id,
            "event_name": event_name, "key_id": KEY_ID, "url": "https://hook.example/x",
            "include_image": include_image, "scheduled_at": scheduled_at,
            "attempts": [], "status": "pending", "finished": False,
            "next_retry_delay": 0, "version": 0,
        }
        self.collect(["Scheduled"])

    @rule(
        code=status_codes,
        error=st.one_of(st.none(), st.just("connection refused")),
        duration=st.floats(min_value=0, max_value=5000, allow_nan=False),
    )
    def record_attempt(self, code, error, duration) -> None:
        m = self.model
        if m["finished"]:
            self.expect_refused(
                IllegalTransition, self.aggregate.record_attempt,
                status_code=code, error=error, duration_ms=duration,
            )
            return
        at = self.at()
        self.aggregate.record_attempt(status_code=code, error=error, duration_ms=duration, at=at)
        m["attempts"] = [*m["attempts"], {
            "number": len(m["attempts"]) + 1, "status_code": code, "error": error,
            "duration_ms": duration, "at": at,
        }]
        names = ["AttemptRecorded"]
        if is_success(code):
            m["status"] = "delivered"
            names.append("Delivered")
        elif len(m["attempts"]) >= EXPECTED_MAX_ATTEMPTS:
            m["status"] = "abandoned"
            names.append("Abandoned")
        m["finished"] = m["status"] != "pending"
        failures = sum(1 for a in m["attempts"] if not is_success(a["status_code"]))
        m["next_retry_delay"] = None if m["finished"] else EXPECTED_DELAYS[failures]
        self.collect(names)

    # ---- invariants (plus those shared in AggregateMachine) --------------------

    @invariant()
    def status_follows_attempts(self) -> None:
        attempts = self.aggregate.attempts
        successes = [a for a in attempts if is_success(a["status_code"])]
        assert len(successes) <= 1
        assert len(attempts) <= EXPECTED_MAX_ATTEMPTS
        assert [a["number"] for a in attempts] == list(range(1, len(attempts) + 1))
        if successes:
            assert self.aggregate.status == "delivered"
            assert attempts[-1] is successes[0]
        elif len(attempts) == EXPECTED_MAX_ATTEMPTS:
            assert self.aggregate.status == "abandoned"
        else:
            assert self.aggregate.status == "pending"


WebhookDeliveryMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=10, deadline=None
)
TestWebhookDeliveryStateful = WebhookDeliveryMachine.TestCase


# ---- plain properties --------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    a=st.integers(min_value=0, max_value=2**128 - 1),
    b=st.integers(min_value=0, max_value=2**128 - 1),
    ea=st.sampled_from(EVENT_NAMES),
    eb=st.sampled_from(EVENT_NAMES),
)
def test_delivery_id_is_deterministic(a, b, ea, eb) -> None:
    ta, tb = UUID(int=a), UUID(int=b)
    assert WebhookDelivery.create_id(ta, ea) == delivery_id_for(ta, ea)
    assert (delivery_id_for(ta, ea) == delivery_id_for(tb, eb)) == ((ta, ea) == (tb, eb))


def test_four_failures_abandon_with_escalating_delays() -> None:
    d = WebhookDelivery(
        task_id=UUID(int=5), event_name="task.completed", key_id=KEY_ID,
        url="https://hook.example/x", include_image=False, at=START,
    )
    delays = [d.next_retry_delay]
    for i, code in enumerate([None, 500, 302, 404]):
        d.record_attempt(status_code=code, error=None, duration_ms=1.0,
                         at=START + timedelta(seconds=i + 1))
        delays.append(d.next_retry_delay)
    assert delays == [0, 5, 15, 60, None]
    assert d.status == "abandoned"
    with pytest.raises(IllegalTransition):
        d.record_attempt(status_code=200, error=None, duration_ms=1.0, at=START)
