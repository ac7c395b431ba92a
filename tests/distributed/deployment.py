"""A distributed deployment on this machine for tests: API processes and worker
processes (real subprocesses) over the test's PostgreSQL database and Redis db."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ADMIN_KEY
from tests.servers import (
    ChildProcess,
    ProcessServer,
    WorkerProcess,
    free_port,
    wait_healthy,
)

READY_LINE = b"worker consuming"


def wait_consuming(worker: WorkerProcess, timeout: float = 60) -> None:
    """Until the worker's log says it consumes (or it died)."""
    deadline = time.monotonic() + timeout
    while READY_LINE not in (worker.log.read_bytes() if worker.log.exists() else b""):
        assert worker.process.poll() is None, f"worker died: {worker.log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, "worker did not start consuming"
        time.sleep(0.05)


def new_worker(tmp_path: Path, env: dict[str, str], name: str,
               delay: float = 0.0) -> WorkerProcess:
    return WorkerProcess(tmp_path / name / "var", name, env, delay)


@contextmanager
def deployment(tmp_path: Path, env: dict[str, str], apis: int = 2, workers: int = 2,
               delay: float = 0.0) -> Iterator[tuple[list[ProcessServer], list[WorkerProcess]]]:
    """`apis` serve processes and `workers` worker processes, started together."""
    servers = [ProcessServer(tmp_path / f"api{i}" / "var", free_port(), ADMIN_KEY, env=env)
               for i in range(apis)]
    crew = [new_worker(tmp_path, env, f"worker{i}", delay) for i in range(workers)]
    try:
        for process in (*crew, *servers):
            ChildProcess.start(process)
        for server in servers:
            wait_healthy(server.base_url, timeout=60)
        for worker in crew:
            wait_consuming(worker)
        yield servers, crew
    finally:
        for process in (*servers, *crew):
            process.stop()
