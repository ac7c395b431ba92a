"""The diagram pipeline behind the FigurePipeline port."""

from __future__ import annotations

from typing import Any

from application.diagrams.description import describe
from application.diagrams.ports import (
    DiagramCritic,
    DiagramLayout,
    DiagramPlanner,
    DiagramRenderer,
    DiagramRetriever,
    DiagramStylist,
    DiagramTextError,
)
from application.diagrams.spec import DiagramSpecError, check
from application.figures import StageCallback, figure_of, quiet
from application.ports import (
    Figure,
    FigurePipeline,
    FigureRequest,
    ProgressCallback,
    RenderedFigure,
)


class DiagramPipeline(FigurePipeline):
    def __init__(self, retriever: DiagramRetriever, planner: DiagramPlanner,
                 stylist: DiagramStylist, layout: DiagramLayout, renderer: DiagramRenderer,
                 critic: DiagramCritic) -> None:
        self.retriever = retriever
        self.planner = planner
        self.stylist = stylist
        self.layouter = layout
        self.renderer = renderer
        self.critic = critic

    def generate(self, request: FigureRequest, on_iteration: ProgressCallback) -> Figure:
        spec, rendered = self.run(request.inputs.get("source_context", ""),
                                  request.inputs.get("caption", ""), request.iterations,
                                  on_iteration)
        return figure_of(spec, rendered, describe(spec))

    def run(self, text: str, caption: str, iterations: int, on_iteration: ProgressCallback,
            on_stage: StageCallback = quiet) -> tuple[dict[str, Any], RenderedFigure]:
        """Retrieve, plan, style, then lay out and render, with up to `iterations` critic
        rounds; stop once the critic is satisfied."""
        on_stage("retrieving reference layouts")
        references = self.retriever.retrieve(text, caption)
        on_stage("planning")
        spec = self._checked(self.planner.plan(text, caption, references))
        on_stage("styling")
        spec = self._checked(self.stylist.style(spec))
        on_stage("layout and rendering")
        spec, rendered = self._draw(spec)
        for round_ in range(1, iterations + 1):
            on_stage(f"critic round {round_}/{iterations}")
            critique = self.critic.review(spec, rendered, text, caption)
            on_iteration(critique.notes or ["no changes"])
            if critique.revised is None:
                break
            on_stage(f"layout and rendering round {round_}")
            spec, rendered = self._draw(self._checked(critique.revised))
        return spec, rendered

    def render(self, spec: dict[str, Any]) -> RenderedFigure:
        """Lay out (again) and render an edited spec."""
        return self._draw(self._checked(spec))[1]

    def _draw(self, spec: dict[str, Any]) -> tuple[dict[str, Any], RenderedFigure]:
        laid_out = self.layouter.layout(spec)
        return laid_out, self.renderer.render(laid_out)

    @staticmethod
    def _checked(spec: dict[str, Any]) -> dict[str, Any]:
        try:
            return check(spec)
        except DiagramSpecError as error:
            raise DiagramTextError(f"the diagram plan is invalid: {error}") from None
