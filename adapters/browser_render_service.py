"""Bokeh layouts to PNG (3x) and SVG in a pool of warm headless Chromium sessions.

A cold export costs ~1 s to start Chromium and ~1 s to load BokehJS, so each session keeps one
page with BokehJS loaded, and a render only embeds new documents into it (one script call, and
one more to collect the result).
The PNG is BokehJS's canvas export of the root view at the device scale (pixel-identical to a
screenshot of the element, and exactly scale x the CSS size); the SVG is each plot's SVG export
(as bokeh.io.export_svgs does), composed into one document at the plots' on-page offsets.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from bokeh.embed import json_item
from bokeh.model import Model, get_class
from bokeh.models import Plot
from bokeh.resources import INLINE
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
_GRACE = 10.0
"""Seconds past the script timeout before a WebDriver call is abandoned as hung."""
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--no-first-run", "--hide-scrollbars", "--force-color-profile=srgb", "--log-level=3",
          "--mute-audio")

# BokehJS's PlotView adds a visualViewport "resize" listener that it never removes, which would
# keep every past document alive; the page records them so a render can drop the last ones.
_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<script>
  const viewport_listeners = [];
  const add_listener = visualViewport.addEventListener.bind(visualViewport);
  visualViewport.addEventListener = (...args) => {{
    viewport_listeners.push(args);
    add_listener(...args);
  }};
  window._pb_drop_viewport_listeners = () => {{
    for (const args of viewport_listeners.splice(0)) visualViewport.removeEventListener(...args);
  }};
</script>
{resources}
<style>html, body {{ margin: 0; padding: 0; background: white; }}</style>
</head><body><div id="root"></div></body></html>
"""

# Arguments: the json_item for the PNG (canvas backend) and for the SVG (SVG backend), each a
# *string* (chromedriver would sort a dict's keys, and BokehJS needs every model defined before
# it is referenced) or null, and the callback. The callback gets null or an error message; the
# result waits in window._pb_out for _TAKE (see _Session.render).
_RENDER = """
const [png_json, svg_json, done] = arguments;

function drop_last() {  // its views, their viewport listeners, its Bokeh.documents entry
  const last = window._pb_last;
  window._pb_last = null;
  if (last == null) return;
  last.views.clear();
  window._pb_drop_viewport_listeners();
  const i = Bokeh.documents.indexOf(last.doc);
  if (i >= 0) Bokeh.documents.splice(i, 1);
}

async function show(json) {  // the root view, once its document is idle (fully painted)
  drop_last();
  const host = document.getElementById("root");
  host.replaceChildren();
  const item = JSON.parse(json);
  const views = await Bokeh.embed.embed_item(item, host);
  const root = views.get_by_id(item.root_id);
  const doc = root.model.document;
  window._pb_last = {views, doc};
  if (!doc.is_idle) await new Promise((idle) => doc.idle.connect(idle));
  return root;
}

function png(root) {  // base64; hidpi export: devicePixelRatio x the CSS size
  const layer = root.export("png");
  const flat = document.createElement("canvas");
  flat.width = layer.canvas.width;
  flat.height = layer.canvas.height;
  const ctx = flat.getContext("2d");
  ctx.fillStyle = "white";  // what a screenshot shows behind transparent gaps
  ctx.fillRect(0, 0, flat.width, flat.height);
  ctx.drawImage(layer.canvas, 0, 0);
  return flat.toDataURL("image/png").split(",", 2)[1];
}

function* plot_svgs(view, origin) {  // each plot's SVG at its offset from the root
  const {PlotView} = Bokeh.require("models/plots/plot");
  if (view instanceof PlotView) {
    const at = view.el.getBoundingClientRect();
    yield {x: at.left - origin.left, y: at.top - origin.top,
           svg: view.export("svg").ctx.get_serialized_svg(true)};
  } else {
    for (const child of view.child_views ?? []) yield* plot_svgs(child, origin);
  }
}

(async () => {
  const out = {png: null, plots: []};
  const measure = (root) => {
    const box = root.el.getBoundingClientRect();
    out.width = Math.round(box.width);
    out.height = Math.round(box.height);
    return box;
  };
  if (png_json != null) {
    const root = await show(png_json);
    measure(root);
    out.png = png(root);
  }
  if (svg_json != null) {
    const root = await show(svg_json);
    out.plots = [...plot_svgs(root, measure(root))];
  }
  window._pb_out = out;
})().then(() => done(null), (e) => done(String(e && e.stack || e)));
"""
_TAKE = "(() => { const out = window._pb_out; window._pb_out = null; return out; })()"


class RenderError(RuntimeError):
    """The browser could not render the layout (after one retry on a fresh session)."""


class ServiceClosed(RuntimeError):
    """render() was called after close()."""


@dataclass(frozen=True)
class RenderResult:
    """PNG at `scale` x the CSS size and the composed SVG (None when not asked for);
    width and height are the root layout's CSS size."""

    png: bytes | None
    svg: bytes | None
    width: int
    height: int
    scale: int


class BrowserRenderService:
    """Thread-safe: each render checks a warm session out of the pool and returns it after.

    Sessions start lazily (the first render pays ~2 s), are recycled after `recycle_after`
    renders or after any error; a failed render is retried once on a freshly started session.
    `timeout` bounds one render (and a session's start) in the browser.
    """

    def __init__(self, size: int = 2, *, recycle_after: int = 200, scale: int = 3,
                 timeout: float = 30.0, chromium: str = CHROMIUM,
                 chromedriver: str = CHROMEDRIVER) -> None:
        if size < 1 or recycle_after < 1 or scale < 1:
            raise ValueError("size, recycle_after and scale must be >= 1")
        self.size, self.recycle_after, self.scale = size, recycle_after, scale
        self._timeout, self._chromium, self._chromedriver = timeout, chromium, chromedriver
        self._cond = threading.Condition()
        self._sessions: set[_Session] = set()
        self._idle: list[_Session] = []
        self._dir: Path | None = None
        self._closed = False
        self.starts = 0
        """Browsers started so far (a measure of pool reuse)."""

    def render(self, model: Model, *, png: bool = True, svg: bool = True) -> RenderResult:
        if not (png or svg):
            raise ValueError("ask for a PNG, an SVG or both")
        # Each format is drawn with its own backend: a legend draws its glyphs from layers of
        # the plot's backend, so an SVG-backend page cannot export a PNG, and a canvas one
        # would put raster legend glyphs into the SVG.
        item = json_item(model)
        png_json = json.dumps(item) if png else None
        svg_json = json.dumps(_svg_backend(item)) if svg else None
        try:
            out = self._attempt(png_json, svg_json, fresh=False)
        except ServiceClosed:
            raise
        except Exception as exc:
            log.warning("render failed, retrying on a fresh browser: %s", _first_line(exc))
            try:
                out = self._attempt(png_json, svg_json, fresh=True)
            except ServiceClosed:
                raise
            except Exception as again:
                raise RenderError(f"render failed twice: {_first_line(again)}") from again
        return RenderResult(
            png=base64.b64decode(out["png"]) if png else None,
            svg=_compose_svg(out["width"], out["height"], out["plots"]) if svg else None,
            width=out["width"], height=out["height"], scale=self.scale)

    def pids(self) -> set[int]:
        """Live chromedriver and Chromium processes of this service (Linux /proc)."""
        with self._cond:
            pids = [s.pid() for s in self._sessions]
        return _process_tree(pid for pid in pids if pid is not None)

    def close(self) -> None:
        """Quit every browser (waiting for renders in flight) and remove the temp files."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._sessions.difference_update(idle)
            self._cond.notify_all()
        for session in idle:
            session.close()
        with self._cond:
            self._cond.wait_for(lambda: not self._sessions)
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None

    def __enter__(self) -> BrowserRenderService:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _attempt(self, png_json: str | None, svg_json: str | None,
                 fresh: bool) -> dict[str, Any]:
        """One render on a pooled session; a session that fails is discarded."""
        session = self._checkout(fresh)
        try:
            out = session.render(png_json, svg_json)
        except BaseException:
            self._discard(session, graceful=False)
            raise
        self._checkin(session)
        return out

    def _checkout(self, fresh: bool) -> _Session:
        """An idle session, or a newly started one (always new when `fresh`)."""
        stale = None
        with self._cond:
            while True:
                if self._closed:
                    raise ServiceClosed("the render service is closed")
                if self._idle and not fresh:
                    return self._idle.pop()
                if len(self._sessions) < self.size or self._idle:
                    break
                self._cond.wait()
            if len(self._sessions) >= self.size:  # fresh wanted and the pool is full
                stale = self._idle.pop(0)
                self._sessions.discard(stale)
            session = _Session(self._page(), self.scale, self._timeout)
            self._sessions.add(session)  # holds the slot while Chromium starts
            self.starts += 1
        if stale is not None:
            stale.close()
        try:
            session.start(self._chromium, self._chromedriver)
        except BaseException:
            self._discard(session, graceful=False)
            raise
        return session

    def _checkin(self, session: _Session) -> None:
        if session.renders >= self.recycle_after:
            self._discard(session)
            return
        with self._cond:
            if not self._closed:
                self._idle.append(session)
                self._cond.notify_all()
                return
        self._discard(session)

    def _discard(self, session: _Session, graceful: bool = True) -> None:
        session.close(graceful)
        with self._cond:
            self._sessions.discard(session)
            self._cond.notify_all()

    def _page(self) -> Path:
        """The BokehJS page, written once per service (call with the lock held)."""
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="pb-render-"))
            (self._dir / "page.html").write_text(_PAGE.format(resources=INLINE.render()),
                                                 encoding="utf-8")
        return self._dir / "page.html"


class _Session:
    """One Chromium with the BokehJS page loaded; used by one thread at a time."""

    def __init__(self, page: Path, scale: int, timeout: float) -> None:
        self.page, self.scale, self.timeout = page, scale, timeout
        self.driver: webdriver.Chrome | None = None
        self.profile: Path | None = None
        self.renders = 0

    def start(self, chromium: str, chromedriver: str) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self.page.parent))
        self.driver = start_chromium(self.profile, self.scale, chromium, chromedriver)
        self.driver.set_page_load_timeout(self.timeout)
        self.driver.set_script_timeout(self.timeout)
        # A page stuck in a loop never answers chromedriver; without an HTTP timeout the
        # worker thread would wait forever instead of recycling the session.
        self.driver.command_executor.client_config.timeout = self.timeout + _GRACE
        self.driver.get(self.page.as_uri())
        if not self.driver.execute_script("return typeof Bokeh !== 'undefined'"):
            raise RenderError("BokehJS did not load")

    def render(self, png_json: str | None, svg_json: str | None) -> dict[str, Any]:
        assert self.driver is not None
        error = self.driver.execute_async_script(_RENDER, png_json, svg_json)
        if error is not None:
            raise RenderError(error)
        # Chromedriver keeps every script result alive in the page (~the PNG's size per
        # render); a CDP evaluate returned by value does not.
        taken = self.driver.execute_cdp_cmd(
            "Runtime.evaluate", {"expression": _TAKE, "returnByValue": True})
        self.renders += 1
        return taken["result"]["value"]

    def pid(self) -> int | None:
        """The chromedriver's process id, once started."""
        return None if self.driver is None else self.driver.service.process.pid

    def close(self, graceful: bool = True) -> None:
        """Quit the browser, or kill it after a failure (it may not answer any more); then
        kill what is left of its process tree (a dead chromedriver orphans Chromium)."""
        if self.driver is not None:
            process = self.driver.service.process
            tree = _process_tree([process.pid])
            if graceful:
                try:
                    self.driver.quit()
                except Exception as exc:
                    log.warning("chromedriver quit failed: %s", _first_line(exc))
            for pid in _process_tree(tree) & tree:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            process.wait()
            self.driver.command_executor.close()
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)


def start_chromium(profile: Path, scale: int, chromium: str = CHROMIUM,
                   chromedriver: str = CHROMEDRIVER) -> webdriver.Chrome:
    """A quiet headless Chromium at device scale `scale`, with its profile in `profile`."""
    options = Options()
    options.binary_location = chromium
    for flag in (*_FLAGS, f"--force-device-scale-factor={scale}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # An explicit driver path keeps Selenium Manager from looking for or downloading one.
    return webdriver.Chrome(service=Service(chromedriver, log_output=subprocess.DEVNULL),
                            options=options)


def _svg_backend(node: Any) -> Any:
    """The json_item with output_backend="svg" on every Plot (patched in place)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "attributes" in node and _is_plot(node["name"]):
            node["attributes"]["output_backend"] = "svg"
        for value in node.values():
            _svg_backend(value)
    elif isinstance(node, list):
        for value in node:
            _svg_backend(value)
    return node


@functools.cache
def _is_plot(name: str) -> bool:
    try:
        return issubclass(get_class(name), Plot)
    except KeyError:  # not a Model (or an extension BokehJS will reject anyway)
        return False


def _compose_svg(width: int, height: int, plots: list[dict[str, Any]]) -> bytes:
    """One standalone SVG of the layout: each plot's SVG in a group at its offset."""
    groups = "".join(f'<g class="bk-plot" transform="translate({p["x"]:g},{p["y"]:g})">'
                     f'{p["svg"]}</g>' for p in plots)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{groups}</svg>').encode()


def _process_tree(roots: Iterable[int]) -> set[int]:
    """The live (non-zombie) processes among `roots` and their descendants."""
    children: dict[int, list[int]] = {}
    live: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
        if state != "Z":
            pid = int(stat.parent.name)
            live.add(pid)
            children.setdefault(int(ppid), []).append(pid)
    tree: set[int] = set()
    todo = [pid for pid in roots if pid in live]
    while todo:
        pid = todo.pop()
        if pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, ()))
    return tree


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
