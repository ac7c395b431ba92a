"""BrowserRenderService against real headless Chromium: sizes, SVG composition, CJK glyphs,
pool reuse, recycling, retries, concurrency and cleanup."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import struct
import threading
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from bokeh.layouts import gridplot
from bokeh.model import Model
from bokeh.plotting import figure

from adapters.browser_render_service import (
    BrowserRenderService,
    RenderError,
    RenderResult,
    ServiceClosed,
)

pytestmark = pytest.mark.slow
SVG = "{http://www.w3.org/2000/svg}"
CJK_TITLE = "模型准确率 정확도"


class Unrenderable(Model):
    """A model BokehJS has no implementation for: every render of it fails in the browser."""


@pytest.fixture(scope="module")
def service() -> Iterator[BrowserRenderService]:
    with BrowserRenderService(size=1) as svc:
        yield svc


def bar(width: int = 600, height: int = 400, title: str = "Accuracy") -> Model:
    p = figure(width=width, height=height, x_range=["ResNet", "ViT", "Swin"], title=title,
               toolbar_location=None)
    p.vbar(x=["ResNet", "ViT", "Swin"], top=[76.1, 81.8, 81.3], width=0.8)
    return p


def title_only(title: str) -> Model:
    """A figure whose only text is its (large) title."""
    p = figure(width=600, height=200, title=title, toolbar_location=None)
    p.scatter([0], [0], size=1, alpha=0)
    p.title.text_font_size = "48px"
    p.axis.visible = False
    p.grid.visible = False
    return p


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def png_colours(png: bytes, enough: int) -> set[bytes]:
    """Distinct pixel colours of an 8-bit RGB(A) PNG, decoded until `enough` are seen."""
    width, height = png_size(png)
    depth, kind = png[24], png[25]
    assert depth == 8 and kind in (2, 6), "only 8-bit RGB(A) is decoded here"
    bpp = 4 if kind == 6 else 3
    pos, idat = 8, b""
    while pos < len(png):
        size, chunk = struct.unpack(">I4s", png[pos:pos + 8])
        if chunk == b"IDAT":
            idat += png[pos + 8:pos + 8 + size]
        pos += 12 + size
    raw, stride = zlib.decompress(idat), 1 + width * bpp
    assert len(raw) == height * stride
    colours: set[bytes] = set()
    prev = bytearray(width * bpp)
    for y in range(height):
        method, line = raw[y * stride], raw[y * stride + 1:(y + 1) * stride]
        row = bytearray(len(line))
        for i, x in enumerate(line):
            a = row[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if method == 0:
                guess = 0
            elif method == 1:
                guess = a
            elif method == 2:
                guess = b
            elif method == 3:
                guess = (a + b) // 2
            else:  # Paeth
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                guess = a if pa <= pb and pa <= pc else b if pb <= pc else c
            row[i] = (x + guess) & 0xFF
        colours.update(bytes(row[i:i + bpp]) for i in range(0, len(row), bpp))
        if len(colours) >= enough:
            break
        prev = row
    return colours


def parse_svg(svg: bytes | None) -> ET.Element:
    assert svg is not None
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def proc(pid: int, name: str) -> str:
    """A /proc file of a process, or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes().decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    stat = proc(pid, "stat")
    return bool(stat) and stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_bar_png_is_three_times_the_css_size_and_not_blank(service: BrowserRenderService) -> None:
    result = service.render(bar(), svg=False)
    assert (result.width, result.height, result.scale, result.svg) == (600, 400, 3, None)
    assert result.png is not None and png_size(result.png) == (1800, 1200)
    assert len(png_colours(result.png, enough=8)) >= 8  # background, bars, text, antialiasing


def test_bar_svg_parses_with_the_css_size(service: BrowserRenderService) -> None:
    result = service.render(bar(), png=False)
    root = parse_svg(result.svg)
    assert (root.get("width"), root.get("height")) == ("600", "400")
    assert result.png is None
    (group,) = root
    assert group.tag == f"{SVG}g" and group[0].tag == f"{SVG}svg"
    assert "Accuracy" in {t.text for t in root.iter(f"{SVG}text")}


def test_gridplot_composes_one_svg_of_the_layout(service: BrowserRenderService) -> None:
    plots = [bar(300, 200, f"panel {i}") for i in range(4)]
    result = service.render(gridplot(plots, ncols=2, toolbar_location=None))
    assert (result.width, result.height) == (600, 400)
    assert result.png is not None and png_size(result.png) == (1800, 1200)
    root = parse_svg(result.svg)
    assert (root.get("width"), root.get("height")) == ("600", "400")
    groups = [g for g in root if g.tag == f"{SVG}g"]
    assert len(groups) == 4 and all(g[0].tag == f"{SVG}svg" for g in groups)
    offsets = {g.get("transform") for g in groups}
    assert offsets == {"translate(0,0)", "translate(300,0)", "translate(0,200)",
                       "translate(300,200)"}
    titles = {t.text for t in root.iter(f"{SVG}text")}
    assert {f"panel {i}" for i in range(4)} <= titles


def test_cjk_text_renders_as_real_glyphs(service: BrowserRenderService) -> None:
    result = service.render(title_only(CJK_TITLE))
    assert CJK_TITLE in {t.text for t in parse_svg(result.svg).iter(f"{SVG}text")}
    # Missing glyphs all draw the same box, so a permutation of the characters would give
    # the same image; real glyphs do not. And the title must draw something at all.
    permuted = service.render(title_only("率确准型模 도확정"), svg=False)
    empty = service.render(title_only(""), svg=False)
    assert result.png != permuted.png
    assert result.png != empty.png


def test_the_pool_reuses_a_warm_session() -> None:
    with BrowserRenderService(size=1) as svc:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            svc.render(bar())
            timings.append(time.perf_counter() - started)
        assert svc.starts == 1
        assert statistics.median(timings[1:]) < timings[0] / 2  # not max: loaded boxes stall


def test_a_session_is_recycled_after_n_renders() -> None:
    with BrowserRenderService(size=1, recycle_after=3) as svc:
        for _ in range(4):
            svc.render(bar(), svg=False)
        assert svc.starts == 2


def test_a_crashed_browser_is_replaced_and_the_render_retried() -> None:
    with BrowserRenderService(size=1) as svc:
        svc.render(bar(), svg=False)
        chromium = [pid for pid in svc.pids() if proc(pid, "comm").strip() != "chromedriver"]
        assert chromium
        for pid in chromium:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # our own Chromium, by id
        result = svc.render(bar(), svg=False)
        assert result.png is not None and png_size(result.png) == (1800, 1200)
        assert svc.starts == 2


def test_a_render_failing_twice_raises_and_the_pool_recovers() -> None:
    with BrowserRenderService(size=1) as svc:
        with pytest.raises(RenderError, match="render failed twice"):
            svc.render(Unrenderable())
        assert svc.starts == 2  # the first browser, then a fresh one for the retry
        assert svc.render(bar(), svg=False).png is not None
        assert svc.starts == 3


def test_two_threads_render_concurrently() -> None:
    results: list[RenderResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(title: str) -> None:
        try:
            barrier.wait()
            results.append(svc.render(bar(title=title)))
        except BaseException as exc:
            errors.append(exc)

    with BrowserRenderService(size=2) as svc:
        threads = [threading.Thread(target=work, args=(t,)) for t in ("one", "two")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(results) == 2 and svc.starts == 2
        for result in results:
            assert result.png is not None and png_size(result.png) == (1800, 1200)
            parse_svg(result.svg)


def test_close_leaves_no_processes_or_files() -> None:
    svc = BrowserRenderService(size=2)
    svc.render(bar(), svg=False)
    pids = svc.pids()
    assert len(pids) >= 2  # chromedriver and Chromium
    profiles = {Path(arg.split("=", 1)[1]) for pid in pids
                for arg in proc(pid, "cmdline").split("\0") if arg.startswith("--user-data-dir=")}
    assert profiles and all(p.is_dir() for p in profiles)
    svc.close()
    assert [pid for pid in pids if alive(pid)] == []
    assert not any(p.exists() or p.parent.exists() for p in profiles)
    assert svc.pids() == set()
    with pytest.raises(ServiceClosed):
        svc.render(bar())
