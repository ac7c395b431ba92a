"""The webhook message: the contract's body and headers, and its HMAC-SHA256 signature."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from uuid import UUID

from application.webhook_message import signature, webhook_message
from domain.webhook_delivery import WebhookDelivery

AT = datetime(2026, 2, 15, 10, 31, 25, tzinfo=timezone.utc)
TASK = {"task_id": str(UUID(int=7)), "status": "failed", "diagram_type": "methodology",
        "image_base64": None, "description": None, "error": "no figure",
        "created_at": "2026-02-15T10:30:00+00:00", "completed_at": "2026-02-15T10:31:25+00:00"}


def delivery() -> WebhookDelivery:
    return WebhookDelivery(task_id=UUID(int=7), event_name="task.failed", key_id=UUID(int=1),
                           url="https://hooks.example.com/x", include_image=False, at=AT)


def test_signature_is_hmac_sha256_hex_of_the_raw_body() -> None:
    # RFC 4231, test case 2.
    assert signature("Jefe", b"what do ya want for nothing?") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")


def test_the_body_and_headers_follow_the_contract() -> None:
    d = delivery()
    body, headers = webhook_message(d, TASK, None, "s3cret", "PaperBanana-Webhook/0.1.2", AT)
    assert json.loads(body) == {"event": "task.failed", **TASK, "image_url": None,
                                "delivery_id": str(d.id), "timestamp": 1771151485}
    assert headers == {
        "Content-Type": "application/json", "User-Agent": "PaperBanana-Webhook/0.1.2",
        "X-PaperBanana-Event": "task.failed", "X-PaperBanana-Delivery": str(d.id),
        "X-PaperBanana-Timestamp": "1771151485",
        "X-PaperBanana-Signature": signature("s3cret", body)}


def test_without_a_secret_there_is_no_signature() -> None:
    _, headers = webhook_message(delivery(), TASK, None, None, "ua", AT)
    assert "X-PaperBanana-Signature" not in headers
