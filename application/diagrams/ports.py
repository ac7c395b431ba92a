"""Ports of the diagram pipeline: each stage replaceable (offline today, an LLM later)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from application.ports import Critique, FigureFailed, RenderedFigure


class DiagramTextError(FigureFailed):
    """The text holds no method to draw; the message says why."""


class DiagramRetriever(ABC):
    @abstractmethod
    def retrieve(self, text: str, caption: str, limit: int = 3) -> list[dict[str, Any]]:
        """Reference layouts (archetypes) that fit the text, best first."""


class DiagramPlanner(ABC):
    @abstractmethod
    def plan(self, text: str, caption: str, references: list[dict[str, Any]]) -> dict[str, Any]:
        """A DiagramSpec of the method the text describes; raise DiagramTextError."""


class DiagramStylist(ABC):
    @abstractmethod
    def style(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The spec with the house style applied (a new dict)."""


class DiagramLayout(ABC):
    @abstractmethod
    def layout(self, spec: dict[str, Any]) -> dict[str, Any]:
        """The spec with `layout` filled: measured boxes, groups and routed edges."""


class DiagramRenderer(ABC):
    @abstractmethod
    def render(self, spec: dict[str, Any]) -> RenderedFigure:
        """Draw a laid-out spec; a pure function of it."""


class DiagramCritic(ABC):
    @abstractmethod
    def review(self, spec: dict[str, Any], rendered: RenderedFigure, text: str,
               caption: str) -> Critique:
        """Check the spec against the text and the layout's geometry; propose a revision."""
