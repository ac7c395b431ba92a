"""`paperbanana worker`: dramatiq worker threads in this process, or, with
PAPERBANANA_WORKER_PROCESSES above 1, a supervisor of that many worker processes."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from entrypoints.bootstrap import Container
from entrypoints.server import FOLLOW_SECONDS
from entrypoints.settings import Settings, env_name

log = logging.getLogger("paperbanana")
RESTART_PAUSE_SECONDS = 1.0
STOP_SECONDS = 30


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def run_worker(container: Container) -> None:
    """Consume tasks and webhook deliveries until SIGTERM or SIGINT.

    Over a shared PostgreSQL store the worker also follows the log, dispatching the
    deliveries it schedules and taking its turn as the reaper (ADR 0013).
    """
    stop = _stop_on_signals()
    container.start_worker()
    if container.persistence.shared:
        container.start_dispatching(follow_every=FOLLOW_SECONDS)
    log.info("worker consuming %s with %d threads", sorted(container.queue.queues),
             container.settings.worker_threads)
    stop.wait()


def supervise(settings: Settings) -> int:
    """Run WORKER_PROCESSES one-process workers; start a new one when one dies (its
    unfinished work is recovered by the lease); stop them all on SIGTERM or SIGINT."""
    stop = _stop_on_signals()
    env = {**os.environ, **settings.environ(), env_name("worker_processes"): "1"}
    command = [sys.executable, "-m", "entrypoints.cli", "worker"]
    children = [subprocess.Popen(command, env=env) for _ in range(settings.worker_processes)]
    log.info("supervising %d worker processes", len(children))
    while not stop.wait(RESTART_PAUSE_SECONDS):
        for i, child in enumerate(children):
            if child.poll() is not None:
                log.warning("worker process %d exited with %s; starting another",
                            child.pid, child.returncode)
                children[i] = subprocess.Popen(command, env=env)
    for child in children:
        child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    return 0
