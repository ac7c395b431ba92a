"""How the offline diagram planner's time grows with the length of the method text.

The contract takes `source_context` of "possibly thousands of words"; an AI-scientist
pipeline may send a whole paper. This joins the first 1, 4, 12 and all 38 excerpts of
../shared/benchmarks/diagram-dev.json into ever longer texts and prints, for each, its
words and the retriever's and planner's time (best of three runs, no rendering: layout and
rendering do not depend on the text's length, only on the figure's).

Run:  python bench/planner_long_text.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from entrypoints.bootstrap import build_figure_pipelines  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

DEV = ROOT.parent / "shared" / "benchmarks" / "diagram-dev.json"
COUNTS = (1, 4, 12, 38)
RUNS = 3


def main() -> None:
    cases = json.loads(DEV.read_text())
    pipeline = build_figure_pipelines(Settings.load(overrides={"worker_threads": 1})).diagram
    print(f"{'excerpts':>8} {'words':>7} {'seconds':>8} {'nodes':>5}")
    for count in COUNTS:
        text = "\n\n".join(c["source_context"] for c in cases[:count])
        caption = cases[0]["caption"]
        best, spec = float("inf"), {}
        for _ in range(RUNS):
            started = time.perf_counter()
            spec = pipeline.planner.plan(text, caption, pipeline.retriever.retrieve(text, caption))
            best = min(best, time.perf_counter() - started)
        print(f"{count:>8} {len(text.split()):>7} {best:>8.2f} {len(spec['nodes']):>5}")


if __name__ == "__main__":
    main()
