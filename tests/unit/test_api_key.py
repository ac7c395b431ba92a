"""Stateful property tests for the ApiKey aggregate.

A RuleBasedStateMachine drives one ApiKey with random commands (legal and illegal)
and checks it against a plain reference model after every step.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from domain.api_key import ApiKey, hash_key, key_id_for_hash
from domain.errors import (
    DomainError,
    InvalidQuota,
    KeyDeleted,
    KeyInactive,
    QuotaExhausted,
)
from tests.unit.aggregate_machine import START, AggregateMachine

# Fields whose live and replayed values must agree (the brief's list, plus a few more).
STATE_FIELDS = (
    "quota_remaining", "quota_total", "total_used", "active", "deleted",
    "webhook_url", "webhook_secret", "name", "version",
    "key_hash", "prefix", "issued_at", "id",
)

quotas = st.one_of(st.none(), st.integers(min_value=0, max_value=5))
urls = st.one_of(st.none(), st.sampled_from(["https://a.example/hook", "https://b.example/hook"]))
secrets = st.one_of(st.none(), st.sampled_from(["s1", "s2"]))
bad_quota_values = st.one_of(
    st.integers(max_value=-1), st.booleans(), st.just(1.5), st.just("3"),
)


class ApiKeyMachine(AggregateMachine):
    FIELDS = STATE_FIELDS
    aggregate: ApiKey

    # ---- helpers -------------------------------------------------------------

    def alive_error(self) -> type[DomainError] | None:
        return KeyDeleted if self.model["deleted"] else None

    # ---- commands ------------------------------------------------------------

    @initialize(
        plaintext=st.text(min_size=1, max_size=12),
        name=st.sampled_from(["ci", "laptop", "prod"]),
        quota=quotas, url=urls, secret=secrets,
    )
    def issue(self, plaintext, name, quota, url, secret) -> None:
        key_hash = hash_key(plaintext)
        issued_at = self.at()
        self.aggregate = ApiKey(
            key_hash=key_hash, prefix=plaintext[:4], name=name, quota=quota,
            webhook_url=url, webhook_secret=secret, at=issued_at,
        )
        assert self.aggregate.id == key_id_for_hash(key_hash) == ApiKey.create_id(key_hash)
        self.model = {
            "key_hash": key_hash, "prefix": plaintext[:4], "issued_at": issued_at,
            "id": key_id_for_hash(key_hash),
            "name": name, "quota_remaining": quota, "quota_total": quota, "total_used": 0,
            "active": True, "deleted": False, "webhook_url": url, "webhook_secret": secret,
            "version": 0,
        }
        self.collect(["Issued"])

    @rule(task=st.sampled_from(["t1", "t2"]), endpoint=st.sampled_from(["/a", "/b"]))
    def consume(self, task, endpoint) -> None:
        m = self.model
        if m["deleted"]:
            error = KeyDeleted
        elif not m["active"]:
            error = KeyInactive
        elif m["quota_remaining"] is not None and m["quota_remaining"] <= 0:
            error = QuotaExhausted
        else:
            error = None
        if error is not None:
            self.expect_refused(error, self.aggregate.consume, task_id=task, endpoint=endpoint)
            return
        unlimited_before = m["quota_remaining"] is None
        self.aggregate.consume(task_id=task, endpoint=endpoint, at=self.at())
        m["total_used"] += 1
        if m["quota_remaining"] is not None:
            m["quota_remaining"] -= 1
        self.collect(["QuotaConsumed"])
        if unlimited_before:
            assert self.aggregate.unlimited and self.aggregate.quota_remaining is None

    @rule(quota=quotas, extra=st.integers(min_value=0, max_value=3))
    def set_quota(self, quota, extra) -> None:
        remaining, total = (None, None) if quota is None else (quota, quota + extra)
        if self.model["deleted"]:
            self.expect_refused(
                KeyDeleted, self.aggregate.set_quota, remaining=remaining, total=total
            )
            return
        self.aggregate.set_quota(remaining=remaining, total=total, at=self.at())
        self.model["quota_remaining"] = remaining
        self.model["quota_total"] = total
        self.collect(["QuotaSet"])

    @rule(
        data=st.data(),
        shape=st.sampled_from(["remaining_none", "total_none", "bad_remaining", "bad_total"]),
    )
    def set_invalid_quota(self, data, shape) -> None:
        good = data.draw(st.integers(min_value=0, max_value=5), label="good")
        bad = data.draw(bad_quota_values, label="bad")
        remaining, total = {
            "remaining_none": (None, good),
            "total_none": (good, None),
            "bad_remaining": (bad, good),
            "bad_total": (good, bad),
        }[shape]
        error = KeyDeleted if self.model["deleted"] else InvalidQuota
        self.expect_refused(error, self.aggregate.set_quota, remaining=remaining, total=total)

    @rule()
    def activate(self) -> None:
        self._set_active(True, self.aggregate.activate, "Activated")

    @rule()
    def deactivate(self) -> None:
        self._set_active(False, self.aggregate.deactivate, "Deactivated")

    def _set_active(self, active: bool, command, event_name: str) -> None:
        """(De)activation is refused once deleted and emits an event only on a change."""
        if self.model["deleted"]:
            self.expect_refused(KeyDeleted, command)
            return
        changed = self.model["active"] != active
        command(at=self.at())
        self.model["active"] = active
        self.collect([event_name] if changed else [])

    @rule(url=urls, secret=secrets)
    def change_webhook_defaults(self, url, secret) -> None:
        m = self.model
        if m["deleted"]:
            self.expect_refused(
                KeyDeleted, self.aggregate.change_webhook_defaults, url=url, secret=secret
            )
            return
        changed = (url, secret) != (m["webhook_url"], m["webhook_secret"])
        self.aggregate.change_webhook_defaults(url=url, secret=secret, at=self.at())
        m["webhook_url"], m["webhook_secret"] = url, secret
        self.collect(["WebhookDefaultsChanged"] if changed else [])

    @rule()
    def delete(self) -> None:
        if self.model["deleted"]:
            self.expect_refused(KeyDeleted, self.aggregate.delete)
            return
        self.aggregate.delete(at=self.at())
        self.model.update(deleted=True, active=False, webhook_secret=None)
        self.collect(["Deleted"])

    # ---- invariants (plus replay_rebuilds_live_state from AggregateMachine) ----

    @invariant()
    def matches_model(self) -> None:
        super().matches_model()
        assert self.aggregate.unlimited == (self.model["quota_remaining"] is None)

    @invariant()
    def quota_never_negative(self) -> None:
        assert self.aggregate.quota_remaining is None or self.aggregate.quota_remaining >= 0

    @invariant()
    def total_used_counts_consumed_events(self) -> None:
        consumed = sum(1 for e in self.events if isinstance(e, ApiKey.QuotaConsumed))
        assert self.aggregate.total_used == consumed == self.model["total_used"]

    @invariant()
    def version_counts_events(self) -> None:
        super().version_counts_events()
        assert [e.originator_version for e in self.events] == list(range(1, len(self.events) + 1))


ApiKeyMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None
)
TestApiKeyStateful = ApiKeyMachine.TestCase


# ---- plain properties --------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(a=st.text(max_size=20), b=st.text(max_size=20))
def test_create_id_is_derived_from_hash(a: str, b: str) -> None:
    ha, hb = hash_key(a), hash_key(b)
    assert ApiKey.create_id(ha) == key_id_for_hash(ha) == ApiKey.create_id(ha)
    assert (ApiKey.create_id(ha) == ApiKey.create_id(hb)) == (ha == hb)
    key = ApiKey(
        key_hash=ha, prefix="pb_", name="n", quota=None,
        webhook_url=None, webhook_secret=None, at=START,
    )
    assert key.id == key_id_for_hash(ha)


@pytest.mark.parametrize("quota", [-1, True, 1.0, "5"])
def test_issue_rejects_invalid_quota(quota) -> None:
    with pytest.raises(InvalidQuota):
        ApiKey(
            key_hash=hash_key("x"), prefix="pb_", name="n", quota=quota,
            webhook_url=None, webhook_secret=None, at=START,
        )


def test_unlimited_key_never_runs_out() -> None:
    key = ApiKey(
        key_hash=hash_key("u"), prefix="pb_", name="n", quota=None,
        webhook_url=None, webhook_secret=None, at=START,
    )
    for i in range(200):
        key.consume(task_id=str(i), endpoint="/e", at=START + timedelta(seconds=i))
    assert key.quota_remaining is None
    assert key.total_used == 200
