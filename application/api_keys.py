"""Use cases of API keys: issue, authenticate, administer, audit.

Callers hold the plaintext key; this service hashes it at once and finds the
aggregate by the id derived from the hash. Only `issue` ever returns the plaintext.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.errors import Forbidden, Invalid, NotFound, Unauthorized
from application.event_store import AggregateNotFoundError, EventStore
from application.ports import Clock
from application.projections.follower import Follower
from application.projections.read_models import ReadModels
from domain.api_key import ApiKey, InvalidQuota, check_quota, hash_key, key_id_for_hash

KEY_PREFIX = "pb_"
KEY_ALPHABET = string.ascii_lowercase + string.digits
KEY_LENGTH = 32
DISPLAY_CHARS = 6
UNSET: Any = object()


def new_plaintext_key() -> str:
    return KEY_PREFIX + "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def shortened(prefix: str) -> str:
    return f"{prefix}..."


@dataclass(frozen=True)
class AuditEntry:
    version: int
    at: str
    event: str
    detail: str
    quota_remaining: int | None
    total_used: int


class ApiKeys:
    def __init__(self, store: EventStore, clock: Clock, read_models: ReadModels,
                 follower: Follower) -> None:
        self.store = store
        self.clock = clock
        self.read_models = read_models
        self.follower = follower

    def issue(self, name: str, quota: int | None = None, webhook_url: str | None = None,
              webhook_secret: str | None = None) -> tuple[str, dict[str, Any]]:
        """Create a key; return the plaintext (shown once) and its public view."""
        if not isinstance(name, str) or not name.strip():
            raise Invalid("name", "must be a non-empty string")
        try:
            check_quota(quota)
        except InvalidQuota as error:
            raise Invalid("quota", str(error)) from None
        plaintext = new_plaintext_key()
        key = ApiKey(
            key_hash=hash_key(plaintext), prefix=plaintext[: len(KEY_PREFIX) + DISPLAY_CHARS],
            name=name.strip(), quota=quota, webhook_url=webhook_url or None,
            webhook_secret=webhook_secret or None, at=self.clock.now(),
        )
        self.store.commit(key)
        return plaintext, self.view(key)

    def authenticate(self, plaintext: str | None) -> ApiKey:
        """The live key for a bearer token: 401 when unknown, 403 when deactivated.

        The result is the store's read-only instance: pass its id to commands.
        """
        key = self._find(plaintext)
        if key is None:
            raise Unauthorized("invalid API key")
        if not key.active:
            raise Forbidden("API key is deactivated")
        return key

    def get(self, plaintext: str, include_deleted: bool = False,
            for_command: bool = False) -> ApiKey:
        """The key for an admin; a private copy when the caller will change it."""
        key = self._find(plaintext, include_deleted, for_command)
        if key is None:
            raise NotFound("API key not found")
        return key

    def update(self, plaintext: str, *, quota_remaining: Any = UNSET, quota_total: Any = UNSET,
               active: Any = UNSET, webhook_url: Any = UNSET,
               webhook_secret: Any = UNSET) -> ApiKey:
        """Apply an admin's partial update in one atomic save."""
        key = self.get(plaintext, for_command=True)
        now = self.clock.now()
        if quota_remaining is not UNSET or quota_total is not UNSET:
            remaining, total = self._merged_quota(key, quota_remaining, quota_total)
            if (remaining, total) != (key.quota_remaining, key.quota_total):
                key.set_quota(remaining, total, now)
        if active is not UNSET:
            if not isinstance(active, bool):
                raise Invalid("active", "must be a boolean")
            key.activate(now) if active else key.deactivate(now)
        if webhook_url is not UNSET or webhook_secret is not UNSET:
            url = key.webhook_url if webhook_url is UNSET else (webhook_url or None)
            secret = key.webhook_secret if webhook_secret is UNSET else (webhook_secret or None)
            key.change_webhook_defaults(url, secret, now)
        self.store.commit(key)
        return key

    def delete(self, plaintext: str) -> None:
        key = self.get(plaintext, for_command=True)
        key.delete(self.clock.now())
        self.store.commit(key)

    def list(self) -> list[dict[str, Any]]:
        self.follower.catch_up()
        return [self._row_view(row) for row in
                self.read_models.rows("api_keys", order_by="created_at")]

    def usage_log(self, key_id: UUID, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """The key's accepted submissions, newest first."""
        self.follower.catch_up()
        rows = self.read_models.rows("usage_log", {"key_id": str(key_id)}, order_by="id",
                                     descending=True, limit=limit, offset=offset)
        return [{k: row[k] for k in ("id", "task_id", "endpoint", "created_at")} for row in rows]

    def audit(self, plaintext: str) -> tuple[ApiKey, list[AuditEntry]]:
        """Replay one key's events from the first and show the quota arithmetic after each."""
        key = self.get(plaintext, include_deleted=True)
        replayed: ApiKey | None = None
        entries: list[AuditEntry] = []
        for recorded in self.store.events_of(key.id):
            replayed = recorded.mutate(replayed)
            entries.append(AuditEntry(
                version=recorded.originator_version, at=recorded.at.isoformat(),
                event=type(recorded).__name__, detail=_detail(recorded),
                quota_remaining=replayed.quota_remaining, total_used=replayed.total_used,
            ))
        return key, entries

    def view(self, key: ApiKey) -> dict[str, Any]:
        """The key object of the contract (never the secret, never the full key)."""
        return {
            "id": str(key.id), "key": shortened(key.prefix), "name": key.name,
            "quota_remaining": key.quota_remaining, "quota_total": key.quota_total,
            "total_used": key.total_used, "active": key.active,
            "created_at": key.issued_at.isoformat(), "webhook_url": key.webhook_url,
            "has_webhook_secret": key.webhook_secret is not None,
        }

    def _row_view(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": row["key_id"], "key": shortened(row["prefix"]), "name": row["name"],
            "quota_remaining": row["quota_remaining"], "quota_total": row["quota_total"],
            "total_used": row["total_used"], "active": bool(row["active"]),
            "created_at": row["created_at"], "webhook_url": row["webhook_url"],
            "has_webhook_secret": bool(row["has_webhook_secret"]),
        }

    def _find(self, plaintext: str | None, include_deleted: bool = False,
              for_command: bool = False) -> ApiKey | None:
        if not plaintext or not plaintext.startswith(KEY_PREFIX):
            return None
        key_id = key_id_for_hash(hash_key(plaintext))
        try:
            key = self.store.get(key_id) if for_command else self.store.read(key_id)
        except AggregateNotFoundError:
            return None
        return None if key.deleted and not include_deleted else key

    @staticmethod
    def _merged_quota(key: ApiKey, remaining: Any, total: Any) -> tuple[int | None, int | None]:
        """Fill the field the admin left out; a key made limited starts full."""
        for field, value in (("quota_remaining", remaining), ("quota_total", total)):
            if value is not UNSET:
                try:
                    check_quota(value)
                except InvalidQuota as error:
                    raise Invalid(field, str(error)) from None
        if remaining is UNSET:
            remaining = total if key.unlimited or total is None else key.quota_remaining
        if total is UNSET:
            total = remaining if key.unlimited or remaining is None else key.quota_total
        if (remaining is None) != (total is None):
            raise Invalid("quota_total", "set both quotas to null to make a key unlimited")
        return remaining, total


def _detail(event: Any) -> str:
    fields = {k: v for k, v in vars(event).items()
              if k not in ("originator_id", "originator_version", "timestamp", "originator_topic",
                           "at", "key_hash", "webhook_secret", "secret")}
    if getattr(event, "webhook_secret", None) or getattr(event, "secret", None):
        fields["webhook_secret"] = "(set)"
    return ", ".join(f"{k}={v}" for k, v in fields.items())
