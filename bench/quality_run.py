"""The common start of the quality benchmarks: flags, the benchmark cases, the output folder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"


def quality_run(description: str, cases_file: str,
                default_iterations: int) -> tuple[argparse.Namespace, list[dict[str, Any]], Path]:
    """Parse --iterations/--limit/--only/--out/--cases; return the flags, the chosen cases and
    the folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--iterations", type=int, default=default_iterations,
                        help=f"critic rounds per case (default {default_iterations})")
    parser.add_argument("--limit", type=int, help="only the first N cases")
    parser.add_argument("--only", help="only these cases (ids, comma-separated)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"),
                        help="folder for the contact sheet (default bench/out)")
    parser.add_argument("--cases", default=str(BENCHMARKS / cases_file),
                        help=f"the cases (default ../shared/benchmarks/{cases_file})")
    args = parser.parse_args()
    cases = json.loads(Path(args.cases).read_text())[: args.limit]
    if args.only:
        cases = [c for c in cases if c["id"] in args.only.split(",")]
    out = Path(args.out).resolve()  # the contact sheet opens it as a file: URI
    out.mkdir(parents=True, exist_ok=True)
    return args, cases, out
