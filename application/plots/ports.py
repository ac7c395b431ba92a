"""Ports of the plot pipeline: each stage is replaceable (offline today, an LLM later)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from application.ports import Critique, FigureFailed, RenderedFigure


class PlotDataError(FigureFailed):
    """The data cannot be plotted; the message says what is wrong with it."""


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
    def render(self, spec: dict[str, Any]) -> RenderedFigure:
        """Draw the spec; a pure function of it."""


class PlotCritic(ABC):
    @abstractmethod
    def review(self, spec: dict[str, Any], rendered: RenderedFigure, intent: str) -> Critique:
        """Inspect the spec and its render; propose a revision or none."""
