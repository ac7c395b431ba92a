"""A contact sheet: every figure of a benchmark run as thumbnails in one PNG."""

from __future__ import annotations

import tempfile
from pathlib import Path

from adapters.browser_render_service import start_chromium


def contact_sheet(images: list[tuple[str, bytes]], out: Path, name: str, tile: int = 200,
                  columns: int = 12) -> Path:
    """One PNG of every figure: an HTML grid of `tile` px thumbnails, screenshot by Chromium
    (no imaging library needed). The HTML page stays beside it for a closer look."""
    cases = out / f"{name}_cases"
    cases.mkdir(exist_ok=True)
    cells = []
    for label, png in images:
        (cases / f"{label}.png").write_bytes(png)
        cells.append(f'<figure><img src="{cases.name}/{label}.png">'
                     f"<figcaption>{label}</figcaption></figure>")
    html = out / f"{name}_contact_sheet.html"
    html.write_text(
        "<html><body style='margin:0;font:11px sans-serif;display:grid;gap:4px;"
        f"grid-template-columns:repeat({columns},{tile}px);background:#ddd'>"
        f"<style>figure{{margin:0;background:#fff}}img{{width:{tile}px;height:{tile * 3 // 4}px;"
        "object-fit:contain;display:block}figcaption{text-align:center}</style>"
        + "".join(cells) + "</body></html>", encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        driver = start_chromium(Path(profile), scale=1)
        try:
            driver.set_window_size(columns * (tile + 4), 800)
            driver.get(html.as_uri())
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(columns * (tile + 4), height + 20)
            sheet = out / f"{name}_contact_sheet.png"
            sheet.write_bytes(driver.get_screenshot_as_png())
        finally:
            driver.quit()
    return sheet
