"""Ports: the abstract services the application needs from the outside world."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


class Clock(ABC):
    @abstractmethod
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""


class BlobStore(ABC):
    """Immutable binary objects (figures, specs) addressed by an opaque reference."""

    @abstractmethod
    def put(self, data: bytes, content_type: str) -> str:
        """Store bytes; return a reference that `get` accepts."""

    @abstractmethod
    def get(self, ref: str) -> bytes:
        """Return the bytes stored under `ref`; raise KeyError when absent."""


class JobQueue(ABC):
    """Asynchronous work, addressed by ids only; the jobs themselves are idempotent."""

    @abstractmethod
    def enqueue_task(self, task_id: UUID) -> None:
        """Ask a worker to run the task."""

    @abstractmethod
    def enqueue_delivery(self, delivery_id: UUID, delay_seconds: float) -> None:
        """Ask a worker to attempt the webhook delivery, not before `delay_seconds`."""


class Leadership(ABC):
    """Whether this process is the one doing a deployment-wide chore (the reaper)."""

    @abstractmethod
    def held(self) -> bool:
        """True while this process holds the role; takes it when it is free."""

    def close(self) -> None:
        """Give the role up."""


class DeliveryFailed(Exception):
    """A webhook got no HTTP answer (address refused, timeout, connection or TLS error)."""


class WebhookSender(ABC):
    @abstractmethod
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST `body` to `url` and return the answer's status code; raise DeliveryFailed
        when there is no answer. Redirects are answers, never followed."""


@dataclass(frozen=True)
class FigureRequest:
    """What a pipeline needs to draw one figure."""

    task_id: UUID
    kind: str
    inputs: dict[str, Any]
    iterations: int


@dataclass(frozen=True)
class Figure:
    """A finished figure: the PNG, a factual description, and optional extras
    (e.g. `{"svg": bytes, "spec": bytes}`) stored beside it."""

    png: bytes
    description: str
    extras: dict[str, tuple[bytes, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedFigure:
    """A rendered figure (plot or diagram): PNG at `scale` x the CSS size, and the SVG of the same figure."""

    png: bytes
    svg: bytes
    width: int
    height: int
    scale: int


@dataclass(frozen=True)
class Critique:
    """Findings on one render, and a revised spec, or None for "no changes"."""

    notes: list[str]
    revised: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)


class FigureFailed(Exception):
    """The pipeline could not produce a figure; the message is shown to the client."""


ProgressCallback = Callable[[list[str]], None]
"""Called once per critic->render round with that round's notes."""


class FigurePipeline(ABC):
    @abstractmethod
    def generate(self, request: FigureRequest, on_iteration: ProgressCallback) -> Figure:
        """Draw the figure, reporting each refinement round; raise FigureFailed."""
