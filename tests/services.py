"""The real PostgreSQL and Redis of the distributed tests (`scripts/services.sh` starts
them): a fresh database per test and one Redis db per test run, removed afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from eventsourcing.cipher import AESCipher

POSTGRES_URL = os.environ.get("PAPERBANANA_TEST_POSTGRES",
                              "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PAPERBANANA_TEST_REDIS", "redis://127.0.0.1:6379")
REDIS_DBS = range(1, 16)
CLAIM = "paperbanana-test-run"
CIPHER_KEY = AESCipher.create_key(32)


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database, dropped (connections and all) afterwards."""
    name = f"pb_test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def redis_db() -> Iterator[str]:
    """The URL of a Redis db no other test run holds (claimed by a key with a TTL),
    flushed afterwards."""
    for db in REDIS_DBS:
        client = redis.Redis.from_url(f"{REDIS_URL}/{db}")
        if client.set(CLAIM, secrets.token_hex(8), nx=True, ex=3600):
            break
    else:
        raise RuntimeError("every Redis db from 1 to 15 is held by another test run")
    try:
        yield f"{REDIS_URL}/{db}"
    finally:
        client.flushdb()
        client.close()


def flush_queues(url: str) -> None:
    """Empty the broker's keys between tests, keeping the run's claim."""
    client = redis.Redis.from_url(url)
    try:
        for key in client.scan_iter("dramatiq*"):
            client.delete(key)
    finally:
        client.close()
