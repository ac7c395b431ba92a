"""The contract's task object: what polling returns and what a webhook payload carries."""

from __future__ import annotations

import base64
from typing import Any

from application.ports import BlobStore
from domain.task import Task, TaskStatus


def task_object(task: Task, blobs: BlobStore, with_image: bool) -> dict[str, Any]:
    """The task's contract fields; `image_base64` only when asked for and completed."""
    image = None
    if with_image and task.status is TaskStatus.COMPLETED and task.image_ref:
        image = base64.b64encode(blobs.get(task.image_ref)).decode("ascii")
    return {
        "task_id": str(task.id), "status": task.status.value, "diagram_type": task.kind,
        "image_base64": image, "description": task.description, "error": task.error,
        "created_at": task.submitted_at.isoformat(),
        "completed_at": task.finished_at.isoformat() if task.finished_at else None,
    }
