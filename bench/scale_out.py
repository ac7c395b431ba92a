"""Scale-out benchmark: submissions and completions per second with 1, 2 and 4 worker
processes, on the real offline plot pipeline (headless Chromium), over PostgreSQL and Redis.

For each worker count the script makes a fresh PostgreSQL database and Redis db, starts two
`paperbanana serve` processes and one `paperbanana worker` supervising N processes of
--threads threads (default 1, so processes are what varies), and warms every worker up
(its first render starts Chromium). Then --tasks plot submissions (iterations=1) go out
from 8 client threads spread over both API processes. It reports:

  submit/s    accepted submissions per second during the burst (workers already busy)
  complete/s  tasks completed per second, first submission to last completion
  p50 s       median time from submission to completion

Run:  make bench-scale            (python bench/scale_out.py)
      python bench/scale_out.py --workers 1 2 4 --tasks 60
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, wait_healthy  # noqa: E402
from tests.services import CIPHER_KEY, fresh_database, redis_db  # noqa: E402

ADMIN_KEY = "bench-admin-key"
CLIENTS = 8


def plot_body(i: int) -> dict:
    return {"data_json": json.dumps({"models": ["ResNet-50", "ViT-B/16", "EfficientNet-B4"],
                                     "accuracy": [76.1, 81.8, 82.9 + i / 100]}),
            "intent": "Bar chart comparing model accuracy with value labels", "iterations": 1}


def start(command: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "entrypoints.cli", command], cwd=ROOT,
                            env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def completed_at(database: str, task_ids: set[str], timeout: float) -> dict[str, float]:
    """Poll the tasks read model until every task is finished; when each was first seen."""
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    with psycopg.connect(database, autocommit=True) as conn:
        while len(seen) < len(task_ids):
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(seen)}/{len(task_ids)} tasks finished in time")
            for task_id, status in conn.execute("SELECT task_id, status FROM tasks "
                                                "WHERE status IN ('completed', 'failed')"):
                if task_id in task_ids and task_id not in seen:
                    if status != "completed":
                        raise SystemExit(f"task {task_id} failed")
                    seen[task_id] = time.monotonic()
            time.sleep(0.05)
    return seen


def run(workers: int, threads: int, tasks: int, tmp: Path) -> dict:
    with fresh_database() as database, redis_db() as broker:
        ports = [free_port(), free_port()]
        env = {**os.environ, "PAPERBANANA_EVENT_STORE": database,
               "PAPERBANANA_BROKER_URL": broker, "PAPERBANANA_CIPHER_KEY": CIPHER_KEY,
               "PAPERBANANA_ADMIN_KEY": ADMIN_KEY, "PAPERBANANA_DATA_DIR": str(tmp / "var"),
               "PAPERBANANA_WORKER_PROCESSES": str(workers),
               "PAPERBANANA_WORKER_THREADS": str(threads), "PAPERBANANA_DB_POOL_SIZE": "2"}
        processes = [start("serve", {**env, "PAPERBANANA_PORT": str(port)},
                           tmp / f"serve-{workers}-{port}.log") for port in ports]
        processes.append(start("worker", env, tmp / f"worker-{workers}.log"))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for base in bases:
                wait_healthy(base, timeout=60)
            key = requests.post(f"{bases[0]}/api/admin/keys", json={"name": "bench"},
                                headers={"Authorization": f"Bearer {ADMIN_KEY}"}).json()["key"]
            session_headers = {"Authorization": f"Bearer {key}"}
            local = threading.local()

            def submit(i: int) -> tuple[str, float]:
                if not hasattr(local, "session"):
                    local.session = requests.Session()
                    local.session.headers.update(session_headers)
                answer = local.session.post(f"{bases[i % 2]}/api/plot", json=plot_body(i),
                                            timeout=60)
                answer.raise_for_status()
                return answer.json()["task_id"], time.monotonic()

            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                warm = list(pool.map(submit, range(2 * workers * threads)))
                completed_at(database, {t for t, _ in warm}, timeout=180)
                began = time.monotonic()
                submitted = list(pool.map(submit, range(tasks)))
            burst = time.monotonic() - began
            done = completed_at(database, {t for t, _ in submitted}, timeout=600)
            latencies = [done[task_id] - at for task_id, at in submitted]
            return {"workers": workers, "threads": threads, "tasks": tasks,
                    "submit_rate": tasks / burst,
                    "complete_rate": tasks / (max(done.values()) - began),
                    "p50": statistics.median(latencies)}
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4],
                        help="worker process counts to measure (default 1 2 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker process")
    parser.add_argument("--tasks", type=int, default=60, help="plot tasks per measurement")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; 2 API processes; {args.tasks} plot tasks (iterations=1) "
          f"per run from {CLIENTS} client threads; {args.threads} thread(s) per worker process\n")
    print(f"{'workers':>7} {'submit/s':>9} {'complete/s':>11} {'p50 s':>7} {'speed-up':>9}")
    first = None
    with tempfile.TemporaryDirectory(prefix="pb-scale-") as tmp:
        for workers in args.workers:
            result = run(workers, args.threads, args.tasks, Path(tmp))
            first = first or result["complete_rate"]
            print(f"{workers:>7} {result['submit_rate']:>9.1f} {result['complete_rate']:>11.2f} "
                  f"{result['p50']:>7.1f} {result['complete_rate'] / first:>8.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
