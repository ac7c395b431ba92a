"""Fixtures of the end-to-end tests: the real offline pipelines behind the HTTP API."""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pytest
from falcon import testing

from entrypoints.bootstrap import Container, bootstrap
from entrypoints.http.app import create_app
from tests.conftest import ADMIN_KEY, make_settings


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.fixture(scope="module")
def real_container(tmp_path_factory) -> Iterator[Container]:
    """A container with the real pipelines (Graphviz, warm Chromium), one per test module."""
    container = bootstrap(make_settings(tmp_path_factory.mktemp("real") / "var"))
    container.start_worker()
    container.start_dispatching()
    yield container
    container.close()


@pytest.fixture(scope="module")
def api(real_container) -> tuple[testing.TestClient, dict[str, str]]:
    """A TestClient over the real container and the bearer header of a fresh unlimited key."""
    client = testing.TestClient(create_app(real_container))
    key = client.simulate_post("/api/admin/keys", json={"name": "e2e"},
                               headers={"Authorization": f"Bearer {ADMIN_KEY}"}).json["key"]
    return client, {"Authorization": f"Bearer {key}"}
