"""Ports of the plot pipeline: each stage is replaceable (offline today, an LLM later)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from application.ports import FigureFailed


class PlotDataError(FigureFailed):
    """The data cannot be plotted; the message says what is wrong with it."""


@dataclass(frozen=True)
class RenderedPlot:
    """A rendered figure: PNG at `scale` x the CSS size, and the SVG of the same figure."""

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


class PlotPlanner(ABC):
    @abstractmethod
    def plan(self, data: Any, intent: str) -> dict[str, Any]:
        """A PlotSpec for the data as given and the intent; raise PlotDataError."""


class PlotStylist(ABC):
    @abstractmethod
    def style(self, spec: dict[str, Any], intent: str) -> dict[str, Any]:
        """The spec with the house style applied (a new dict)."""


class PlotRenderer(ABC):
    @abstractmethod
    def render(self, spec: dict[str, Any]) -> RenderedPlot:
        """Draw the spec; a pure function of it."""


class PlotCritic(ABC):
    @abstractmethod
    def review(self, spec: dict[str, Any], rendered: RenderedPlot, intent: str) -> Critique:
        """Inspect the spec and its render; propose a revision or none."""
