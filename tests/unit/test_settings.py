"""Settings come from PAPERBANANA_* variables and refuse values that cannot work."""

from __future__ import annotations

import pytest

from entrypoints.settings import Settings


def test_environment_values_are_converted() -> None:
    settings = Settings.load({"PAPERBANANA_PORT": "9001", "PAPERBANANA_WEBHOOK_RETRY_SCALE": "0.1"})
    assert settings.port == 9001 and settings.webhook_retry_scale == 0.1


@pytest.mark.parametrize(("name", "raw", "message"), [
    ("PORT", "eighty", "must be a number"),
    ("WEBHOOK_TIMEOUT", "0", "must be greater than 0"),
    ("WEBHOOK_RETRY_SCALE", "-1", "must be greater than 0"),
    ("WORKER_THREADS", "0", "must be greater than 0"),
])
def test_a_value_that_cannot_work_stops_the_start_with_its_name(name: str, raw: str,
                                                                 message: str) -> None:
    with pytest.raises(SystemExit, match=f"PAPERBANANA_{name} {message}"):
        Settings.load({f"PAPERBANANA_{name}": raw})
