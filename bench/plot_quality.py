"""Plot quality on PaperBananaBench's plot split, through the offline pipeline.

For every case of ../shared/benchmarks/plot-ref.json: plan, style, render and critique
with the default offline stages (real headless Chromium), then report
  - completion rate (a figure was produced, no exception),
  - how often the first panel's chart kind matches the case's category,
  - whether every input number appears unchanged in the spec's data and is drawn,
  - time per case (median and p90),
and write a contact sheet (one PNG grid of every result) to look at.

Run:  make bench-quality        (python bench/plot_quality.py [--iterations 1] [--limit N]
                                [--only ID,ID])
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from application.plots.spec import is_number, used_columns  # noqa: E402
from bench.contact_sheet import contact_sheet  # noqa: E402
from bench.quality_run import quality_run  # noqa: E402
from entrypoints.bootstrap import build_figure_pipelines  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

KINDS_FOR = {"line": {"line", "area"}, "bar": {"bar"}, "scatter": {"scatter"},
             "tree_pie": {"pie", "donut", "treemap"}, "radar": {"radar"},
             "heatmap": {"heatmap"}}


def input_numbers(content: dict) -> Counter:
    return Counter(v for values in content.values() for v in values if is_number(v))


def drawn_numbers(spec: dict) -> Counter:
    used = used_columns(spec)
    return Counter(v for column, values in spec["data"].items() if column in used
                   for v in values if is_number(v))


def main() -> int:
    args, cases, out = quality_run(__doc__.splitlines()[0], "plot-ref.json", 1)
    pipelines = build_figure_pipelines(Settings.load(overrides={"worker_threads": 1}))
    pipeline, service = pipelines.plot, pipelines.service
    done, kind_ok, kind_total, missing_cases, times = 0, 0, 0, [], []
    failures: list[str] = []
    images: list[tuple[str, bytes]] = []
    by_category: Counter = Counter()
    with service:
        for number, case in enumerate(cases, 1):
            started = time.perf_counter()
            try:
                spec, rendered = pipeline.run(case["content"], case["visual_intent"],
                                              args.iterations, lambda notes: None)
            except Exception as error:  # a benchmark reports every failure, whatever it is
                failures.append(f"{case['id']}: {error}")
                continue
            times.append(time.perf_counter() - started)
            done += 1
            images.append((case["id"], rendered.png))
            expected = KINDS_FOR.get(case["category"])
            if expected is not None:
                kind_total += 1
                matched = spec["panels"][0]["kind"] in expected
                kind_ok += matched
                by_category[case["category"], matched] += 1
            if input_numbers(case["content"]) - drawn_numbers(spec):
                missing_cases.append(case["id"])
            print(f"\r{number}/{len(cases)} cases", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    sheet = contact_sheet(images, out, "plot_quality")

    print(f"cases                 {len(cases)}")
    print(f"completed             {done}/{len(cases)} ({100 * done / len(cases):.1f}%)")
    print(f"kind matches category {kind_ok}/{kind_total} ({100 * kind_ok / max(kind_total, 1):.1f}%)"
          " (misc excluded)")
    for category in KINDS_FOR:
        hit, miss = by_category[category, True], by_category[category, False]
        if hit + miss:
            print(f"  {category:<9} {hit}/{hit + miss}")
    print(f"cases with a missing input number: {len(missing_cases)} {missing_cases[:10]}")
    if times:
        times.sort()
        print(f"time per case         median {1000 * statistics.median(times):.0f} ms, "
              f"p90 {1000 * times[int(0.9 * (len(times) - 1))]:.0f} ms "
              f"({args.iterations} critic round(s))")
    print(f"contact sheet         {sheet}")
    for failure in failures[:20]:
        print("FAILED", failure)
    return 0 if done == len(cases) and not missing_cases else 1


if __name__ == "__main__":
    sys.exit(main())
