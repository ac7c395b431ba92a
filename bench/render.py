"""Figure rendering benchmark: bokeh in a warm browser against matplotlib.

For a bar, a line and a heatmap chart of 600 x 400 CSS px, times the warm PNG (3x, 1800 x 1200)
and SVG renders of BrowserRenderService, from spec to bytes (build_figure + render), against
matplotlib drawing the same chart at 6 x 4 in and dpi=300 (figure + savefig to BytesIO). Runs
alternate between the two, after a warm-up; the table shows medians of 20 runs.

Once, for the bar chart, it also times bokeh's own export_png on an already started webdriver:
the cold path that loads BokehJS for every figure, which the warm page avoids.

Goals: bokeh PNG within 2x of matplotlib's PNG; bokeh SVG faster than matplotlib's SVG.

Run:  python bench/render.py        (matplotlib is a benchmark-only dependency)
"""

from __future__ import annotations

import io
import math
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    from matplotlib.figure import Figure
except ImportError:
    print("bench/render.py needs matplotlib, a benchmark-only dependency: "
          "pip install matplotlib", file=sys.stderr)
    sys.exit(2)

from bokeh.embed import json_item
from bokeh.io import export_png

from adapters.bokeh_plot_builder import build_figure
from adapters.browser_render_service import BrowserRenderService, start_chromium
from application.plots.spec import axis, new_spec, panel, series

RUNS, WARMUP = 20, 3
PNG_GOAL, SVG_GOAL = 2.0, 1.0
MODELS = ["ResNet-50", "ViT-B/16", "EffNet-B4", "ConvNeXt-T", "Swin-T"]
ACCURACY = [76.1, 81.8, 82.9, 82.1, 81.3]
EPOCHS = list(range(1, 51))
TRAIN = [1 / math.sqrt(e) for e in EPOCHS]
VAL = [1.1 / math.sqrt(e) + 0.05 for e in EPOCHS]
ROWS, COLS = [f"r{i}" for i in range(8)], [f"c{j}" for j in range(10)]
CELLS = [[((i * 7 + j * 3) % 11) / 10 for j in range(10)] for i in range(8)]


def bar_spec() -> dict[str, Any]:
    return new_spec({"model": MODELS, "acc": ACCURACY},
                    [panel("bar", axis("model", "Model", "category"),
                           axis(None, "Top-1 accuracy (%)"), [series("Accuracy", "acc")],
                           value_labels=True)], title="ImageNet accuracy")


def line_spec() -> dict[str, Any]:
    return new_spec({"epoch": EPOCHS, "train": TRAIN, "val": VAL},
                    [panel("line", axis("epoch", "Epoch"), axis(None, "Loss"),
                           [series("train", "train"), series("val", "val")])],
                    title="Training loss")


def heatmap_spec() -> dict[str, Any]:
    return new_spec({"row": [r for r in ROWS for _ in COLS], "col": COLS * len(ROWS),
                     "v": [v for row in CELLS for v in row]},
                    [panel("heatmap", axis("col", "Column", "category"),
                           axis("row", "Row", "category"),
                           [series("value", "v", color_field="v")])], title="Heatmap")


def mpl_bar() -> Figure:
    fig = Figure(figsize=(6, 4), dpi=300)
    ax = fig.subplots()
    bars = ax.bar(MODELS, ACCURACY, color="#0072b2")
    ax.bar_label(bars, fmt="%.1f")
    ax.set(title="ImageNet accuracy", xlabel="Model", ylabel="Top-1 accuracy (%)")
    return fig


def mpl_line() -> Figure:
    fig = Figure(figsize=(6, 4), dpi=300)
    ax = fig.subplots()
    ax.plot(EPOCHS, TRAIN, label="train")
    ax.plot(EPOCHS, VAL, "--", label="val")
    ax.set(title="Training loss", xlabel="Epoch", ylabel="Loss")
    ax.legend()
    return fig


def mpl_heatmap() -> Figure:
    fig = Figure(figsize=(6, 4), dpi=300)
    ax = fig.subplots()
    mesh = ax.pcolormesh(CELLS, cmap="viridis", edgecolors="white", linewidth=1)
    ax.set_xticks([j + 0.5 for j in range(len(COLS))], COLS)
    ax.set_yticks([i + 0.5 for i in range(len(ROWS))], ROWS)
    ax.set(title="Heatmap", xlabel="Column", ylabel="Row")
    fig.colorbar(mesh)
    return fig


CHARTS: list[tuple[str, Callable[[], dict[str, Any]], Callable[[], Figure]]] = [
    ("bar", bar_spec, mpl_bar), ("line", line_spec, mpl_line),
    ("heatmap", heatmap_spec, mpl_heatmap)]


def mpl_render(draw: Callable[[], Figure], fmt: str) -> bytes:
    out = io.BytesIO()
    draw().savefig(out, format=fmt, dpi=300)
    return out.getvalue()


def median_ms(*jobs: Callable[[], object]) -> list[float]:
    """Median wall time of each job over RUNS runs, the jobs alternating run by run."""
    for job in jobs:
        for _ in range(WARMUP):
            job()
    times: list[list[float]] = [[] for _ in jobs]
    for _ in range(RUNS):
        for job, spent in zip(jobs, times):
            started = time.perf_counter()
            job()
            spent.append(time.perf_counter() - started)
    return [1000 * statistics.median(spent) for spent in times]


def cold_export_ms(spec: dict[str, Any]) -> float:
    """bokeh.io.export_png on a started webdriver: a fresh BokehJS page per figure."""
    with tempfile.TemporaryDirectory() as tmp:
        driver = start_chromium(Path(tmp) / "profile", scale=3)
        try:
            target = Path(tmp) / "bar.png"
            export_png(build_figure(spec), filename=target, webdriver=driver, scale_factor=3)
            started = time.perf_counter()
            export_png(build_figure(spec), filename=target, webdriver=driver, scale_factor=3)
            return 1000 * (time.perf_counter() - started)
        finally:
            driver.quit()


def main() -> int:
    rows = []
    with BrowserRenderService(size=1) as service:
        for name, spec, draw in CHARTS:
            model = spec()
            png = service.render(build_figure(model), svg=False).png or b""
            assert struct.unpack(">II", png[16:24]) == (1800, 1200), "bokeh PNG not 1800 x 1200"
            bokeh_png, mpl_png, bokeh_svg, mpl_svg, build, serialize = median_ms(
                lambda: service.render(build_figure(model), svg=False),
                lambda: mpl_render(draw, "png"),
                lambda: service.render(build_figure(model), png=False),
                lambda: mpl_render(draw, "svg"),
                lambda: build_figure(model),
                lambda: json_item(build_figure(model)))
            rows.append((name, bokeh_png, mpl_png, bokeh_svg, mpl_svg, build, serialize))
    cold = cold_export_ms(bar_spec())

    print(f"Warm render, median of {RUNS} runs (ms), spec/data to bytes; "
          "PNG 1800 x 1200, SVG 600 x 400 px")
    print(f"{'chart':<8} {'bokeh PNG':>10} {'mpl PNG':>8} {'ratio':>6} "
          f"{'bokeh SVG':>10} {'mpl SVG':>8} {'ratio':>6}")
    png_met = svg_met = True
    for name, bokeh_png, mpl_png, bokeh_svg, mpl_svg, _, _ in rows:
        png_ratio, svg_ratio = bokeh_png / mpl_png, bokeh_svg / mpl_svg
        png_met &= png_ratio <= PNG_GOAL
        svg_met &= svg_ratio < SVG_GOAL
        print(f"{name:<8} {bokeh_png:>10.0f} {mpl_png:>8.0f} {png_ratio:>6.2f} "
              f"{bokeh_svg:>10.0f} {mpl_svg:>8.0f} {svg_ratio:>6.2f}")
    print("\nOf which bokeh's Python side, build_figure + json_item (ms): " + ", ".join(
        f"{name} {build:.0f} + {serialize - build:.0f}" for name, *_, build, serialize in rows))
    warm_bar = rows[0][1]
    print(f"Cold path, bar PNG with bokeh.io.export_png on a started webdriver: {cold:.0f} ms "
          f"(warm page: {warm_bar:.0f} ms, {cold / warm_bar:.1f}x faster)")
    print(f"\nGoal: bokeh PNG within {PNG_GOAL:g}x of matplotlib: "
          f"{'MET' if png_met else 'NOT MET'}")
    print(f"Goal: bokeh SVG faster than matplotlib's SVG: {'MET' if svg_met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
