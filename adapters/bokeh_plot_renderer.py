"""PlotRenderer on bokeh: spec -> bokeh layout (pure) -> PNG and SVG from a warm browser."""

from __future__ import annotations

from typing import Any

from adapters.bokeh_plot_builder import build_figure
from adapters.browser_render_service import BrowserRenderService
from application.plots.ports import PlotDataError, PlotRenderer
from application.ports import RenderedFigure


class BokehPlotRenderer(PlotRenderer):
    def __init__(self, service: BrowserRenderService) -> None:
        self.service = service

    def render(self, spec: dict[str, Any]) -> RenderedFigure:
        try:
            model = build_figure(spec)
        except ValueError as error:
            raise PlotDataError(f"the figure cannot be drawn: {error}") from None
        result = self.service.render(model)
        return RenderedFigure(png=result.png, svg=result.svg, width=result.width,
                            height=result.height, scale=result.scale)
