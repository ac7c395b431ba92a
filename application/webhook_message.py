"""What one webhook attempt sends: the contract's JSON body and headers, signed.

The body also carries the `delivery_id` and `timestamp` of the X-PaperBanana-Delivery and
X-PaperBanana-Timestamp headers: the signature covers the raw body only (the contract's
definition), so only there are they protected, and a receiver can trust them for
dropping duplicates and refusing replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from domain.webhook_delivery import WebhookDelivery


def signature(secret: str, body: bytes) -> str:
    """The contract's X-PaperBanana-Signature: "sha256=" + hex HMAC-SHA256(secret, raw body)."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def webhook_message(delivery: WebhookDelivery, task: dict[str, Any], image_url: str | None,
                    secret: str | None, user_agent: str,
                    at: datetime) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one attempt of `delivery`; `task` is the contract's task object."""
    timestamp = int(at.timestamp())
    body = json.dumps({
        "event": delivery.event_name, **task, "image_url": image_url,
        "delivery_id": str(delivery.id), "timestamp": timestamp,
    }).encode("utf-8")
    headers = {
        "Content-Type": "application/json", "User-Agent": user_agent,
        "X-PaperBanana-Event": delivery.event_name,
        "X-PaperBanana-Delivery": str(delivery.id),
        "X-PaperBanana-Timestamp": str(timestamp),
    }
    if secret:
        headers["X-PaperBanana-Signature"] = signature(secret, body)
    return body, headers
