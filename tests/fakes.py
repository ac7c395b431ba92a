"""Fakes of ports for what lies outside this issue: figure pipelines and a settable clock."""

from __future__ import annotations

import struct
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone

from application.ports import Clock, Figure, FigureFailed, FigurePipeline, FigureRequest


def tiny_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A valid PNG of one colour, built with the standard library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class FakePipeline(FigurePipeline):
    """Runs every requested round, then returns a tiny PNG; `fail_with` makes it fail.

    `gate`, when set, holds each run until the test releases it.
    """

    def __init__(self, fail_with: str | None = None) -> None:
        self.fail_with = fail_with
        self.gate: threading.Event | None = None
        self.runs: list[FigureRequest] = []

    def generate(self, request: FigureRequest, on_iteration) -> Figure:
        self.runs.append(request)
        if self.gate is not None:
            self.gate.wait(timeout=30)
        for round_ in range(1, request.iterations + 1):
            on_iteration([f"round {round_}: checked {sorted(request.inputs)}"])
        if self.fail_with:
            raise FigureFailed(self.fail_with)
        return Figure(png=tiny_png(), description=f"A fake {request.kind} figure.",
                      extras={"spec": (b'{"fake": true}', "application/json")})


class SlowFakePipeline(FakePipeline):
    """Takes `delay` seconds, spread over its rounds, each round a sign of life: a test
    can kill the process mid-task while leases still see the task alive."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def generate(self, request: FigureRequest, on_iteration) -> Figure:
        def slow_round(notes: list[str]) -> None:
            time.sleep(self.delay / request.iterations)
            on_iteration(notes)

        return super().generate(request, slow_round)


class SteppingClock(Clock):
    """Deterministic time: each call is one second after the previous."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 2, 15, 10, 30, tzinfo=timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self.current += timedelta(seconds=1)
            return self.current
