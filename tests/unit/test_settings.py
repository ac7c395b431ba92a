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


@pytest.mark.parametrize(("name", "url", "message"), [
    ("EVENT_STORE", "mysql://root:hunter2@db/pb",
     "must be a postgresql://... URL, not a mysql:// one"),
    ("EVENT_STORE", "db.example.org", "must be a postgresql://... URL"),
    ("BROKER_URL", "amqp://guest:hunter2@mq", "must be a redis://... URL, not a amqp:// one"),
])
def test_a_url_of_the_wrong_kind_is_named_without_repeating_it(name: str, url: str,
                                                                message: str) -> None:
    with pytest.raises(SystemExit, match=f"PAPERBANANA_{name} {message}") as stopped:
        Settings.load({f"PAPERBANANA_{name}": url})
    assert "hunter2" not in str(stopped.value)


def test_pool_overflow_may_be_zero_but_not_negative() -> None:
    assert Settings.load({"PAPERBANANA_DB_MAX_OVERFLOW": "0"}).db_max_overflow == 0
    with pytest.raises(SystemExit, match="PAPERBANANA_DB_MAX_OVERFLOW must be 0 or more"):
        Settings.load({"PAPERBANANA_DB_MAX_OVERFLOW": "-1"})


def test_child_processes_get_the_same_settings() -> None:
    settings = Settings.load({"PAPERBANANA_WORKER_THREADS": "3",
                              "PAPERBANANA_BROKER_URL": "redis://127.0.0.1:6379/2"})
    assert Settings.load(settings.environ()) == settings
