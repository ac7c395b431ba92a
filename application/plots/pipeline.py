"""The plot pipeline behind the FigurePipeline port."""

from __future__ import annotations

import json
from typing import Any

from application.figures import StageCallback, figure_of, quiet
from application.plots.description import describe
from application.plots.ports import (
    PlotCritic,
    PlotDataError,
    PlotPlanner,
    PlotRenderer,
    PlotStylist,
)
from application.plots.spec import SpecError, check
from application.ports import (
    Figure,
    FigurePipeline,
    FigureRequest,
    ProgressCallback,
    RenderedFigure,
)


class PlotPipeline(FigurePipeline):
    def __init__(self, planner: PlotPlanner, stylist: PlotStylist, renderer: PlotRenderer,
                 critic: PlotCritic) -> None:
        self.planner = planner
        self.stylist = stylist
        self.renderer = renderer
        self.critic = critic

    def generate(self, request: FigureRequest, on_iteration: ProgressCallback) -> Figure:
        try:
            data = json.loads(request.inputs["data_json"])
        except (KeyError, ValueError) as error:
            raise PlotDataError(f"data_json is not valid JSON: {error}") from None
        spec, rendered = self.run(data, request.inputs.get("intent", ""), request.iterations,
                                  on_iteration)
        return figure_of(spec, rendered, describe(spec))

    def run(self, data: Any, intent: str, iterations: int, on_iteration: ProgressCallback,
            on_stage: StageCallback = quiet) -> tuple[dict[str, Any], RenderedFigure]:
        """Plan, style, then up to `iterations` critic rounds; stop once satisfied."""
        on_stage("planning")
        spec = self.planner.plan(data, intent)
        on_stage("styling")
        spec = self._checked(self.stylist.style(spec, intent))
        on_stage("rendering")
        rendered = self.renderer.render(spec)
        for round_ in range(1, iterations + 1):
            on_stage(f"critic round {round_}/{iterations}")
            critique = self.critic.review(spec, rendered, intent)
            on_iteration(critique.notes or ["no changes"])
            if critique.revised is None:
                break
            spec = self._checked(critique.revised)
            on_stage(f"rendering round {round_}")
            rendered = self.renderer.render(spec)
        return spec, rendered

    def render(self, spec: dict[str, Any]) -> RenderedFigure:
        return self.renderer.render(self._checked(spec))


    @staticmethod
    def _checked(spec: dict[str, Any]) -> dict[str, Any]:
        try:
            return check(spec)
        except SpecError as error:
            raise PlotDataError(f"the plot plan is invalid: {error}") from None
