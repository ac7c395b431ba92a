"""DiagramRenderer on bokeh: laid-out spec -> bokeh plot (pure) -> PNG and SVG from a warm
browser (the same BrowserRenderService pool the plots use)."""

from __future__ import annotations

from typing import Any

from adapters.bokeh_diagram_builder import build_diagram
from adapters.browser_render_service import BrowserRenderService
from application.diagrams.ports import DiagramRenderer
from application.ports import FigureFailed, RenderedFigure


class BokehDiagramRenderer(DiagramRenderer):
    def __init__(self, service: BrowserRenderService) -> None:
        self.service = service

    def render(self, spec: dict[str, Any]) -> RenderedFigure:
        if not spec.get("layout"):
            raise FigureFailed("the diagram cannot be drawn before it is laid out (no layout)")
        try:
            model = build_diagram(spec)
        except (KeyError, ValueError) as error:
            raise FigureFailed(f"the diagram cannot be drawn: its layout does not match it "
                               f"({error!r})") from None
        result = self.service.render(model)
        return RenderedFigure(png=result.png, svg=result.svg, width=result.width,
                              height=result.height, scale=result.scale)
