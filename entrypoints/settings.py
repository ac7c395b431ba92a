"""Settings from `PAPERBANANA_*` environment variables, overridable by CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

HELP = {
    "host": "address the HTTP server binds",
    "port": "port the HTTP server binds",
    "data_dir": "directory of the event store, read models, blobs and keys",
    "admin_key": "admin bearer token; generated into DATA_DIR/admin_key when unset",
    "public_url": "base URL used in links such as image_url (default http://HOST:PORT)",
    "http_threads": "waitress request threads",
    "worker_threads": "dramatiq worker threads (the in-process worker of serve, or each worker "
                      "process)",
    "worker_processes": "processes `paperbanana worker` runs (each with WORKER_THREADS threads)",
    "broker_url": "redis:// URL of a dramatiq broker; unset runs the in-process broker",
    "event_store": "postgresql:// URL of the event store, read models and (by default) blobs, "
                   "shared by every process; unset keeps SQLite in DATA_DIR",
    "db_pool_size": "PostgreSQL connections each process keeps open (event store; read models)",
    "db_max_overflow": "PostgreSQL connections a process may open beyond DB_POOL_SIZE under load",
    "blob_store": "where figures are kept: 'postgresql' (the event store's database) or a "
                  "directory every process shares; default DATA_DIR/blobs, or postgresql "
                  "with a PostgreSQL event store",
    "lease_seconds": "seconds a running task or a due webhook delivery may go without a sign of "
                     "life before another worker takes it over (separate workers only)",
    "cipher_key": "AES key encrypting the event store; generated into DATA_DIR/cipher_key when unset",
    "webhook_allowed_hosts": "comma-separated hosts or CIDRs webhooks may reach even though they "
                             "are loopback, private or link-local (e.g. 127.0.0.1,10.0.0.0/8)",
    "webhook_timeout": "seconds a webhook may take to connect, and for each read of its answer",
    "webhook_retry_scale": "multiplies the webhook retry delays of 5, 15 and 60 s (tests: 0.01)",
}
CONVERTERS = {"port": int, "http_threads": int, "worker_threads": int, "data_dir": Path,
              "webhook_timeout": float, "webhook_retry_scale": float, "worker_processes": int,
              "db_pool_size": int, "db_max_overflow": int, "lease_seconds": float}
POSITIVE = {"port", "http_threads", "worker_threads", "webhook_timeout", "webhook_retry_scale",
            "worker_processes", "db_pool_size", "lease_seconds"}
NON_NEGATIVE = {"db_max_overflow"}
URL_SCHEMES = {"broker_url": ("redis", "rediss"), "event_store": ("postgresql", "postgres")}


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = field(default_factory=lambda: Path("./var"))
    admin_key: str | None = None
    public_url: str | None = None
    http_threads: int = 8
    worker_threads: int = 2
    worker_processes: int = 1
    broker_url: str | None = None
    event_store: str | None = None
    db_pool_size: int = 5
    db_max_overflow: int = 10
    blob_store: str | None = None
    lease_seconds: float = 300.0
    cipher_key: str | None = None
    webhook_allowed_hosts: str = ""
    webhook_timeout: float = 5.0
    webhook_retry_scale: float = 1.0

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None,
             overrides: Mapping[str, object] | None = None) -> Settings:
        """Defaults, then the environment, then any non-None override (the CLI flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in HELP:
            raw = (overrides or {}).get(name)
            if raw is None:
                raw = environ.get(env_name(name)) or None
            if raw is None:
                continue
            try:
                values[name] = CONVERTERS.get(name, str)(raw)
            except ValueError:
                raise SystemExit(f"{env_name(name)} must be a number, not {raw!r}") from None
            if name in POSITIVE and values[name] <= 0:  # type: ignore[operator]
                raise SystemExit(f"{env_name(name)} must be greater than 0, not {raw!r}")
            if name in NON_NEGATIVE and values[name] < 0:  # type: ignore[operator]
                raise SystemExit(f"{env_name(name)} must be 0 or more, not {raw!r}")
            if name in URL_SCHEMES:
                _check_scheme(name, str(raw))
        return replace(cls(), **values)

    @property
    def distributed(self) -> bool:
        """Work is shared with other processes: separate workers, or a shared event store."""
        return bool(self.broker_url or self.event_store)

    def environ(self) -> dict[str, str]:
        """The PAPERBANANA_* variables that reproduce these settings (for child processes)."""
        return {env_name(f.name): str(getattr(self, f.name)) for f in fields(self)
                if getattr(self, f.name) is not None}


def _check_scheme(name: str, url: str) -> None:
    """A URL of the wrong kind stops the start; the message never repeats the URL, which
    may hold a password."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in URL_SCHEMES[name]:
        raise SystemExit(f"{env_name(name)} must be a {URL_SCHEMES[name][0]}://... URL"
                         + (f", not a {scheme}:// one" if scheme else ""))


def env_name(name: str) -> str:
    return "PAPERBANANA_" + name.upper()


assert set(HELP) == {f.name for f in fields(Settings)}, "every setting needs its help text"
