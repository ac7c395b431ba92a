"""Running the HTTP server (waitress) with, in the embedded default, its worker in-process."""

from __future__ import annotations

import logging
import signal

from dramatiq.brokers.stub import StubBroker
from waitress.server import create_server

from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app

log = logging.getLogger("paperbanana")
FOLLOW_SECONDS = 1.0


def start(container: Container):
    """Start the worker (embedded only) and dispatching; return a waitress server to run."""
    # Under load waitress warns about its queue depth on every request; it is not news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    embedded = isinstance(container.broker, StubBroker)
    if embedded:
        container.start_worker()
    # Separate workers and other API processes write events (finished tasks, webhook
    # deliveries) that this process may dispatch: follow the log on a timer, not only on
    # its own requests.
    alone = embedded and not container.persistence.shared
    tasks, deliveries = container.start_dispatching(
        follow_every=None if alone else FOLLOW_SECONDS)
    if tasks or deliveries:
        log.info("re-dispatched %d unfinished task(s) and %d pending webhook delivery(ies)",
                 tasks, deliveries)
    settings = container.settings
    return create_server(
        create_app(container), host=settings.host, port=settings.port,
        threads=settings.http_threads, connection_limit=1000, asyncore_use_poll=True,
        ident="PaperBanana",
    )


def _interrupt(*_: object) -> None:
    """SIGTERM stops the server as Ctrl-C does: waitress closes, the worker stops."""
    raise KeyboardInterrupt


def serve(container: Container) -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    server = start(container)
    if container.admin_key_file is not None:
        log.info("admin key is in %s (mode 0600)", container.admin_key_file)
    log.info("PaperBanana serving on %s (%s)", container.settings.base_url,
             "store shared in PostgreSQL" if container.persistence.shared
             else f"data in {container.settings.data_dir}")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        container.close()
