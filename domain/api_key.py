"""The ApiKey aggregate: who may submit, and how much quota is left.

The plaintext key never enters the domain: the aggregate holds its SHA-256 hash and
a short display prefix, and its id is derived from the hash, so authentication is a
direct read of the event store.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidQuota, KeyDeleted, KeyInactive, QuotaExhausted

KEY_ID_NAMESPACE = uuid5(NAMESPACE_URL, "https://paperbanana.dev/api-key")


def hash_key(plaintext: str) -> str:
    """SHA-256 hex digest of a plaintext API key."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def key_id_for_hash(key_hash: str) -> UUID:
    return uuid5(KEY_ID_NAMESPACE, key_hash)


def check_quota(value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InvalidQuota(f"quota must be an integer >= 0 or unlimited, not {value!r}")


class ApiKey(Aggregate):
    @staticmethod
    def create_id(key_hash: str) -> UUID:
        return key_id_for_hash(key_hash)

    @event("Issued")
    def __init__(
        self,
        key_hash: str,
        prefix: str,
        name: str,
        quota: int | None,
        webhook_url: str | None,
        webhook_secret: str | None,
        at: datetime,
    ) -> None:
        check_quota(quota)
        self.key_hash = key_hash
        self.prefix = prefix
        self.name = name
        self.quota_remaining = quota
        self.quota_total = quota
        self.total_used = 0
        self.active = True
        self.deleted = False
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.issued_at = at

    @property
    def unlimited(self) -> bool:
        return self.quota_remaining is None

    def consume(self, task_id: str, endpoint: str, at: datetime) -> None:
        """Deduct one unit for an accepted submission, or refuse it."""
        self._require_alive()
        if not self.active:
            raise KeyInactive("API key is deactivated")
        if self.quota_remaining is not None and self.quota_remaining <= 0:
            raise QuotaExhausted("API key quota exhausted")
        self._quota_consumed(task_id=task_id, endpoint=endpoint, at=at)

    @event("QuotaConsumed")
    def _quota_consumed(self, task_id: str, endpoint: str, at: datetime) -> None:
        self.total_used += 1
        if self.quota_remaining is not None:
            self.quota_remaining -= 1

    def set_quota(self, remaining: int | None, total: int | None, at: datetime) -> None:
        self._require_alive()
        check_quota(remaining)
        check_quota(total)
        if (remaining is None) != (total is None):
            raise InvalidQuota("remaining and total must both be set, or both unlimited")
        self._quota_set(remaining=remaining, total=total, at=at)

    @event("QuotaSet")
    def _quota_set(self, remaining: int | None, total: int | None, at: datetime) -> None:
        self.quota_remaining = remaining
        self.quota_total = total

    def activate(self, at: datetime) -> None:
        self._require_alive()
        if not self.active:
            self._activated(at=at)

    @event("Activated")
    def _activated(self, at: datetime) -> None:
        self.active = True

    def deactivate(self, at: datetime) -> None:
        self._require_alive()
        if self.active:
            self._deactivated(at=at)

    @event("Deactivated")
    def _deactivated(self, at: datetime) -> None:
        self.active = False

    def change_webhook_defaults(self, url: str | None, secret: str | None, at: datetime) -> None:
        self._require_alive()
        if (url, secret) != (self.webhook_url, self.webhook_secret):
            self._webhook_defaults_changed(url=url, secret=secret, at=at)

    @event("WebhookDefaultsChanged")
    def _webhook_defaults_changed(self, url: str | None, secret: str | None, at: datetime) -> None:
        self.webhook_url = url
        self.webhook_secret = secret

    def delete(self, at: datetime) -> None:
        self._require_alive()
        self._deleted(at=at)

    @event("Deleted")
    def _deleted(self, at: datetime) -> None:
        self.deleted = True
        self.active = False
        self.webhook_secret = None

    def _require_alive(self) -> None:
        if self.deleted:
            raise KeyDeleted("API key was deleted")
