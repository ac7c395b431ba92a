"""Diagram quality on the methodology excerpts of ../shared/benchmarks/diagram-dev.json.

Runs every dev case through the offline diagram pipeline (real Graphviz and headless
Chromium, a warm render service) and reports completion, node count, how many of the
text's key terms appear as labels (and how many of those its caption names, since the
caption says what the figure must show), overlaps and overflows (must be 0), edge crossings,
edges drawn through boxes or group labels, aspect ratio
and time per case; writes a contact sheet of every diagram and a table per case.

Run:  make bench-diagrams      (python bench/diagram_quality.py [--iterations 3] [--limit N]
                                [--only ID,ID] [--cases FILE] [--out DIR])
      The short paragraphs a user types first:
      python bench/diagram_quality.py --cases bench/short_methods.json --out bench/out/short
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.diagram_geometry import (  # noqa: E402
    aspect_ratio,
    edge_crossings,
    edges_through,
    overflowing_labels,
    overlapping_nodes,
)
from bench.contact_sheet import contact_sheet  # noqa: E402
from bench.quality_run import quality_run  # noqa: E402
from entrypoints.bootstrap import build_figure_pipelines  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

TERM = re.compile(r"\b(?:[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9-]*|[a-z]+(?:encoder|decoder|module|"
                  r"network|layer|head|block|agent|model|loss|memory|retriever|critic|planner|"
                  r"generator|discriminator|classifier|embedding|attention))\b")


def key_terms(text: str, least: int = 2) -> set[str]:
    """Acronyms, CamelCase names and component nouns the text uses at least `least` times."""
    text = re.sub(r"\[Equation:.*?\]|\$[^$]*\$", " ", text, flags=re.S)
    counts = Counter(m.group(0).lower() for m in TERM.finditer(text))
    return {term for term, n in counts.items() if n >= least}


def figure_subject(caption: str) -> set[str]:
    """The terms of a caption's title sentence ('Overview of GlimpRouter.', 'MAXS
    architecture.'): the method the whole figure is, not a component it promises to draw."""
    title = re.split(r"(?<=[.:])\s", caption.strip(), maxsplit=1)[0]
    return key_terms(title, 1) if len(title.split()) <= 8 else set()


def main() -> int:
    args, cases, out = quality_run(__doc__.splitlines()[0], "diagram-dev.json", 3)
    pipelines = build_figure_pipelines(Settings.load(overrides={"worker_threads": 1}))
    rows, failures, images = [], [], []
    with pipelines.service:
        # Warm the render service (browser start, BokehJS load) outside the timings.
        pipelines.diagram.run(cases[0]["source_context"], cases[0]["caption"], 1,
                              lambda notes: None)
        for number, case in enumerate(cases, 1):
            started = time.perf_counter()
            try:
                spec, rendered = pipelines.diagram.run(case["source_context"], case["caption"],
                                                       args.iterations, lambda notes: None)
            except Exception as error:  # a benchmark reports every failure, whatever it is
                failures.append(f"{case['id']}: {error}")
                continue
            elapsed = time.perf_counter() - started
            labels = " ".join(f"{n['label']} {n.get('sublabel') or ''}".lower()
                              for n in spec["nodes"])
            terms = key_terms(case["source_context"])
            promised = (key_terms(case["caption"], 1) & key_terms(case["source_context"], 1)
                        ) - figure_subject(case["caption"])
            rows.append({
                "id": case["id"], "seconds": elapsed, "nodes": len(spec["nodes"]),
                "terms": len(terms), "terms_drawn": sum(t in labels for t in terms),
                "promised": len(promised), "promised_drawn": sum(t in labels for t in promised),
                "overlaps": len(overlapping_nodes(spec)), "overflows": len(overflowing_labels(spec)),
                "crossings": edge_crossings(spec), "through": len(edges_through(spec)),
                "aspect": aspect_ratio(spec),
            })
            images.append((case["id"], rendered.png))
            print(f"\r{number}/{len(cases)} cases", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    sheet = contact_sheet(images, out, "diagram_quality", tile=480, columns=4)  # boxes legible
    table = out / "diagram_quality_cases.tsv"
    columns = list(rows[0]) if rows else []
    table.write_text("".join("\t".join(str(round(r[c], 2) if isinstance(r[c], float) else r[c])
                                       for c in columns) + "\n"
                             for r in [dict(zip(columns, columns)), *rows]))

    done = len(rows)
    print(f"cases              {len(cases)}")
    print(f"completed          {done}/{len(cases)} ({100 * done / max(len(cases), 1):.1f}%)")
    if rows:
        def total(key: str) -> int:
            return sum(r[key] for r in rows)
        times = sorted(r["seconds"] for r in rows)
        aspects = sorted(r["aspect"] for r in rows)
        print(f"nodes per diagram  median {statistics.median(r['nodes'] for r in rows):g}, "
              f"range {min(r['nodes'] for r in rows)}-{max(r['nodes'] for r in rows)}")
        print(f"key terms drawn    {total('terms_drawn')}/{total('terms')} "
              f"({100 * total('terms_drawn') / max(total('terms'), 1):.0f}%)")
        print(f"caption terms drawn {total('promised_drawn')}/{total('promised')} "
              f"({100 * total('promised_drawn') / max(total('promised'), 1):.0f}%)")
        print(f"overlaps           {total('overlaps')}   overflows {total('overflows')}")
        print(f"edge crossings     {total('crossings')} in all, "
              f"{sum(r['crossings'] == 0 for r in rows)}/{done} diagrams without any")
        print(f"edges through boxes or group labels {total('through')} in all, "
              f"{sum(r['through'] == 0 for r in rows)}/{done} diagrams without any")
        print(f"aspect ratio       median {statistics.median(aspects):.2f}:1, "
              f"range {aspects[0]:.2f}-{aspects[-1]:.2f}")
        print(f"time per diagram   p50 {statistics.median(times):.2f} s, "
              f"p90 {times[int(0.9 * (len(times) - 1))]:.2f} s ({args.iterations} critic rounds)")
    print(f"contact sheet      {sheet}")
    print(f"per case           {table}")
    for failure in failures:
        print("FAILED", failure)
    return 0 if done == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
