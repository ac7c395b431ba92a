"""Real servers for tests: waitress in a thread over a container, `serve` in a subprocess,
and a webhook receiver."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from waitress import wasyncore

from entrypoints.bootstrap import Container
from entrypoints.server import start

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base_url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}/api/health", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{base_url} did not become healthy")


class ThreadServer:
    """The real waitress server over `container`, on its configured port, in a thread."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.server = start(container)
        self.base_url = container.settings.base_url
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        wait_healthy(self.base_url)
        return self

    def __exit__(self, *exc: object) -> None:
        # close() alone leaves keep-alive channels in the loop's map until they time out.
        self.server.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(self.server._map)
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "waitress did not stop"


class ChildProcess:
    """A test script in a subprocess with PAPERBANANA_* settings in its environment; its
    output goes to a log file beside the data directory."""

    script = "serve_fake.py"

    def __init__(self, data_dir: Path, name: str, env: dict[str, str] | None = None,
                 delay: float = 0.0) -> None:
        self.env = {**os.environ, "PAPERBANANA_DATA_DIR": str(data_dir),
                    "FAKE_PIPELINE_DELAY": str(delay), "PYTHONPATH": str(ROOT), **(env or {})}
        self.log = data_dir.parent / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / self.script)], env=self.env,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, cwd=ROOT)
        return self

    def kill(self) -> None:
        """kill -9: no shutdown code runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ProcessServer(ChildProcess):
    """`tests/serve_fake.py` (the real serve path with a fake pipeline) in a subprocess."""

    def __init__(self, data_dir: Path, port: int, admin_key: str, delay: float = 0.0,
                 env: dict[str, str] | None = None) -> None:
        super().__init__(data_dir, f"server-{port}", {
            "PAPERBANANA_PORT": str(port), "PAPERBANANA_ADMIN_KEY": admin_key, **(env or {})},
            delay)
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self) -> ProcessServer:
        super().start()
        wait_healthy(self.base_url)
        return self


class WorkerProcess(ChildProcess):
    """`tests/work_fake.py` (the real worker path with a fake pipeline) in a subprocess."""

    script = "work_fake.py"


@dataclass(frozen=True)
class Answer:
    """How the receiver answers one POST: after `delay` seconds, with this status."""

    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Received:
    at: float  # time.monotonic() on arrival
    path: str
    headers: Message
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A sender that gave up on a slow answer is expected, not news."""


class WebhookReceiver:
    """A real HTTP endpoint on a free loopback port: records every POST and answers from
    a script of Answers (or status codes), the last one repeating."""

    def __init__(self, *answers: Answer | int) -> None:
        self.answers = [a if isinstance(a, Answer) else Answer(a) for a in answers or (200,)]
        self.received: list[Received] = []
        receiver, lock = self, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    receiver.received.append(
                        Received(time.monotonic(), self.path, self.headers, body))
                    answers = receiver.answers
                    answer = answers[min(len(receiver.received), len(answers)) - 1]
                time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
