"""BokehDiagramRenderer in real headless Chromium: the PNG is 3x the layout, drawn where the
layout says; the SVG holds every label verbatim (CJK too); groups and feedback loops render."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from adapters.bokeh_diagram_builder import build_diagram
from adapters.bokeh_diagram_renderer import BokehDiagramRenderer
from adapters.browser_render_service import BrowserRenderService
from adapters.graphviz_diagram_layout import GraphvizDiagramLayout
from adapters.house_diagram_stylist import HouseDiagramStylist
from application.diagrams.spec import edge, group, new_diagram, node
from application.ports import FigureFailed

pytestmark = pytest.mark.slow
SVG = "{http://www.w3.org/2000/svg}"
Json = dict[str, Any]


@pytest.fixture(scope="module")
def service() -> Iterator[BrowserRenderService]:
    svc = BrowserRenderService(size=1)
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def renderer(service: BrowserRenderService) -> BokehDiagramRenderer:
    return BokehDiagramRenderer(service)


def laid_out(spec: Json) -> Json:
    return GraphvizDiagramLayout().layout(HouseDiagramStylist().style(spec))


def five_nodes() -> Json:
    return new_diagram(
        [node("x", "Input Image", "input"), node("e", "Vision Encoder", "model", math="h_t"),
         node("m", "Memory Bank", "store"), node("d", "视觉解码器", "operation", repeat=4),
         node("l", "Contrastive Loss", "loss", sublabel="InfoNCE")],
        [edge("x", "e"), edge("e", "d", label="features"), edge("m", "d", "control"),
         edge("d", "l")])


def with_groups_and_feedback() -> Json:
    return new_diagram(
        [node("q", "Query", "input"), node("r", "Retriever", "agent", group="plan"),
         node("db", "Corpus Index", "store", group="plan"),
         node("p", "Planner", "agent", group="plan"),
         node("g", "Generator", "model", group="gen"), node("c", "Critic", "agent", group="gen"),
         node("a", "Answer", "output")],
        [edge("q", "r"), edge("db", "r", "optional"), edge("r", "p"), edge("p", "g"),
         edge("g", "c"), edge("c", "g", "feedback", "revise"), edge("c", "a")],
        [group("plan", "Planning", border="dashed"), group("gen", "Generation", border="solid")])


def pixel(png: bytes, x: float, y: float, scale: int = 3) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB").getpixel((int(x * scale), int(y * scale)))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def svg_texts(svg: bytes) -> set[str]:
    return {"".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")}


def test_a_five_node_diagram_renders_at_three_times_its_layout(
        renderer: BokehDiagramRenderer) -> None:
    spec = laid_out(five_nodes())
    out = renderer.render(spec)
    width, height = spec["layout"]["width"], spec["layout"]["height"]
    assert (out.width, out.height, out.scale) == (width, height, 3)
    with Image.open(io.BytesIO(out.png)) as image:
        assert image.size == (3 * width, 3 * height)
    box = spec["layout"]["nodes"]["m"]  # the store's fill, where the layout put it
    fill = spec["style"]["role_fill"]["store"]
    assert pixel(out.png, box["x"] + 4, box["y"] + box["h"] / 2) == hex_rgb(fill)
    assert pixel(out.png, 2, 2) == (255, 255, 255)
    root = ET.fromstring(out.svg)
    assert (root.get("width"), root.get("height")) == (str(width), str(height))
    texts = svg_texts(out.svg)
    assert {"Input Image", "Vision Encoder", "Memory Bank", "视觉解码器", "Contrastive Loss",
            "InfoNCE", "features", "hₜ", "×4"} <= texts


def test_groups_and_a_feedback_loop_render_with_their_panels(
        renderer: BokehDiagramRenderer) -> None:
    spec = laid_out(with_groups_and_feedback())
    out = renderer.render(spec)
    assert out.width == spec["layout"]["width"]
    fills = spec["style"]["group_fills"]
    for k, gid in enumerate(("plan", "gen")):
        box = spec["layout"]["groups"][gid]
        assert pixel(out.png, box["x"] + 4, box["y"] + box["h"] - 4) == hex_rgb(fills[k])
    assert {"Planning", "Generation", "revise", "Corpus Index"} <= svg_texts(out.svg)


def test_the_figure_is_one_plot_of_the_layout_size_without_tools_or_axes() -> None:
    spec = laid_out(with_groups_and_feedback())
    fig = build_diagram(spec)
    assert (fig.width, fig.height) == (spec["layout"]["width"], spec["layout"]["height"])
    assert fig.toolbar_location is None and not fig.tools
    assert not (fig.left or fig.right or fig.above or fig.below or fig.center)  # no axes, grid
    assert (fig.y_range.start, fig.y_range.end) == (spec["layout"]["height"], 0)  # y down


def test_a_spec_without_a_layout_fails_clearly(renderer: BokehDiagramRenderer) -> None:
    with pytest.raises(FigureFailed, match="laid out"):
        renderer.render(HouseDiagramStylist().style(five_nodes()))
