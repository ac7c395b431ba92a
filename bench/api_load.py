"""HTTP load benchmark for the PaperBanana REST API.

Measures throughput (req/s) and latency (p50, p99 in ms) of three endpoints under concurrent
keep-alive clients (one requests.Session per thread):

  health  GET  /api/health          no auth, the baseline cost of the HTTP stack
  poll    GET  /api/tasks/{id}      Bearer API key; what clients do every few seconds per task
  submit  POST /api/plot            Bearer API key; one event-sourced submission per request

Only the expected status (200 / 200 / 202) counts as success; anything else, or a transport
error, is counted in the errors column. The goal: task polling reaches >= 60% of health req/s.

By default the script starts its own server (`python -m entrypoints.cli serve`) with a fresh
temporary data directory, a free loopback port and a generated admin key, and stops it at the
end. With --url and --admin-key it targets an already running server (loopback only).
This build has no figure pipeline, so submitted tasks fail quickly; polling reads them anyway.

Run:  make bench                                  (runs python bench/api_load.py)
      python bench/api_load.py --threads 8 --seconds 10
      python bench/api_load.py --url http://127.0.0.1:8000 --admin-key pba_...
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
GOAL = 60.0
PLOT_BODY = {
    "data_json": json.dumps({"models": ["ResNet-50", "ViT-B/16", "EfficientNet-B4"],
                             "accuracy": [76.1, 81.8, 82.9]}),
    "intent": "Bar chart comparing model accuracy with value labels",
    "iterations": 1,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: str, port: int, admin_key: str, http_threads: int,
                 log) -> subprocess.Popen:
    env = {**os.environ, "PAPERBANANA_DATA_DIR": data_dir, "PAPERBANANA_PORT": str(port),
           "PAPERBANANA_HOST": "127.0.0.1", "PAPERBANANA_ADMIN_KEY": admin_key,
           "PAPERBANANA_HTTP_THREADS": str(http_threads)}
    env.pop("PAPERBANANA_BROKER_URL", None)
    env.pop("PAPERBANANA_PUBLIC_URL", None)
    return subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "serve"], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(base: str, proc: subprocess.Popen | None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server exited early with code {proc.returncode}")
        try:
            if requests.get(base + "/api/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {base} not healthy after {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def run_scenario(name: str, method: str, url: str, headers: dict, body: dict | None,
                 expected: int, threads: int, seconds: float, requests_per_thread: int | None):
    """N threads, each with its own keep-alive session, until the deadline or request count."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    start_gate = threading.Barrier(threads + 1)

    def client(i: int) -> None:
        with requests.Session() as session:
            session.headers.update(headers)
            start_gate.wait()
            deadline = time.monotonic() + seconds
            limit = requests_per_thread if requests_per_thread else sys.maxsize
            for _ in range(limit):
                if time.monotonic() >= deadline:
                    break
                t0 = time.perf_counter()
                try:
                    resp = session.request(method, url, json=body, timeout=10)
                    ok = resp.status_code == expected
                except requests.RequestException:
                    ok = False
                if ok:
                    latencies[i].append(time.perf_counter() - t0)
                else:
                    errors[i] += 1

    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(threads)]
    for w in workers:
        w.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for w in workers:
        w.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - t0
    lat = sorted(x for per in latencies for x in per)
    n_err = sum(errors)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    return {"scenario": name, "requests": len(lat) + n_err, "errors": n_err,
            "rps": len(lat) / elapsed, "p50": pct(0.50), "p99": pct(0.99)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="duration of each scenario (default 10)")
    parser.add_argument("--requests", type=int, default=None,
                        help="stop each thread after this many requests (default: time only)")
    parser.add_argument("--url", help="base URL of a running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--admin-key", help="admin key of the server given by --url")
    parser.add_argument("--http-threads", type=int, default=8,
                        help="waitress threads of the server this script starts (default 8)")
    args = parser.parse_args()

    proc, log, tmp = None, None, None
    if args.url:
        if not args.admin_key:
            parser.error("--url needs --admin-key")
        if urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
            parser.error("--url must point at 127.0.0.1")
        base, admin_key = args.url.rstrip("/"), args.admin_key
    else:
        tmp = tempfile.TemporaryDirectory(prefix="pb-bench-")
        port, admin_key = free_port(), "pba_" + secrets.token_urlsafe(32)
        base = f"http://127.0.0.1:{port}"
        log = open(Path(tmp.name) / "server.log", "wb")
        proc = start_server(str(Path(tmp.name) / "data"), port, admin_key, args.http_threads, log)
    try:
        wait_healthy(base, proc)
        resp = requests.post(base + "/api/admin/keys", json={"name": "bench"}, timeout=10,
                             headers={"Authorization": f"Bearer {admin_key}"})
        resp.raise_for_status()
        auth = {"Authorization": f"Bearer {resp.json()['key']}"}
        resp = requests.post(base + "/api/plot", json=PLOT_BODY, headers=auth, timeout=10)
        resp.raise_for_status()
        task_id = resp.json()["task_id"]
        time.sleep(0.5)  # let the task settle (it fails fast without a figure pipeline)
        status = requests.get(f"{base}/api/tasks/{task_id}", headers=auth, timeout=10).json()
        print(f"server {base}; {args.threads} client threads x {args.seconds:g} s per scenario; "
              f"polled task {task_id} is {status.get('status')!r}\n")

        scenarios = [("GET /api/health", "GET", "/api/health", {}, None, 200),
                     ("GET /api/tasks/{id}", "GET", f"/api/tasks/{task_id}", auth, None, 200),
                     ("POST /api/plot", "POST", "/api/plot", auth, PLOT_BODY, 202)]
        results = [run_scenario(name, method, base + path, headers, body, expected,
                                args.threads, args.seconds, args.requests)
                   for name, method, path, headers, body, expected in scenarios]
    finally:
        if proc is not None:
            stop_server(proc)
            log.close()
            tmp.cleanup()

    print(f"{'scenario':<22} {'requests':>9} {'errors':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(f"{r['scenario']:<22} {r['requests']:>9} {r['errors']:>7} {r['rps']:>9.1f} "
              f"{r['p50']:>8.2f} {r['p99']:>8.2f}")
    ratio = 100 * results[1]["rps"] / results[0]["rps"] if results[0]["rps"] else 0.0
    verdict = "met" if ratio >= GOAL else "NOT met"
    print(f"\ntask polling / health throughput: {ratio:.1f}% (goal >= {GOAL:.0f}%: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
