"""The composition root: the one place that wires adapters into the application.

The HTTP server, the worker, the CLI and the tests all call `bootstrap()`; tests pass
their own pipelines, clock or broker as explicit arguments.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import dramatiq
from dramatiq import Worker
from eventsourcing.cipher import AESCipher

from adapters.bokeh_diagram_renderer import BokehDiagramRenderer
from adapters.bokeh_plot_renderer import BokehPlotRenderer
from adapters.browser_render_service import BrowserRenderService
from adapters.dramatiq_jobs import DramatiqJobQueue, make_broker
from adapters.graphviz_diagram_layout import GraphvizDiagramLayout
from adapters.house_diagram_stylist import HouseDiagramStylist
from adapters.house_plot_stylist import HousePlotStylist
from adapters.http_webhook_sender import HttpWebhookSender
from adapters.keyword_diagram_retriever import KeywordDiagramRetriever
from adapters.offline_diagram_critic import OfflineDiagramCritic
from adapters.offline_diagram_planner import OfflineDiagramPlanner
from adapters.offline_plot_critic import OfflinePlotCritic
from adapters.offline_plot_planner import OfflinePlotPlanner
from adapters.system_clock import SystemClock
from adapters.webhook_address_policy import AddressPolicy
from application.api_keys import ApiKeys
from application.diagrams.pipeline import DiagramPipeline
from application.event_store import EventStore
from application.plots.pipeline import PlotPipeline
from application.ports import Clock, FigurePipeline, Leadership
from application.projections.dispatcher import Dispatcher
from application.projections.follower import Follower
from application.projections.projector import Projector
from application.projections.read_models import ReadModels
from application.recovery import Reaper, SoleLeader
from application.tasks import Tasks
from application.webhooks import WebhookDeliveries
from entrypoints.persistence import Persistence, open_persistence
from entrypoints.settings import Settings, env_name
from entrypoints.version import VERSION

log = logging.getLogger("paperbanana")
REAPS_PER_LEASE = 3
READY_SECONDS = 3.0


def read_or_create_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret kept in a 0600 file of the data directory, created on first use."""
    if path.exists():
        return path.read_text().strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(value + "\n")
    return value


@dataclass
class FigurePipelines:
    """The offline figure pipelines and the browser pool they share (close it when done).

    Browsers start lazily, on the first render, one per worker thread at most.
    """

    plot: PlotPipeline
    diagram: DiagramPipeline
    service: BrowserRenderService

    def by_kind(self) -> dict[str, FigurePipeline]:
        return {"statistical_plot": self.plot, "methodology": self.diagram}


def build_figure_pipelines(settings: Settings) -> FigurePipelines:
    service = BrowserRenderService(size=settings.worker_threads)
    return FigurePipelines(
        plot=PlotPipeline(OfflinePlotPlanner(), HousePlotStylist(), BokehPlotRenderer(service),
                          OfflinePlotCritic()),
        diagram=DiagramPipeline(KeywordDiagramRetriever(), OfflineDiagramPlanner(),
                                HouseDiagramStylist(), GraphvizDiagramLayout(),
                                BokehDiagramRenderer(service), OfflineDiagramCritic()),
        service=service)


def webhook_sender(settings: Settings) -> HttpWebhookSender:
    try:
        policy = AddressPolicy(settings.webhook_allowed_hosts)
    except ValueError as error:
        raise SystemExit(f"{env_name('webhook_allowed_hosts')}: {error}") from None
    return HttpWebhookSender(policy, timeout=settings.webhook_timeout)


@dataclass
class Container:
    settings: Settings
    persistence: Persistence
    follower: Follower
    broker: dramatiq.Broker
    queue: DramatiqJobQueue
    api_keys: ApiKeys
    tasks: Tasks
    deliveries: WebhookDeliveries
    admin_key_hash: bytes
    admin_key_file: Path | None
    render_service: BrowserRenderService | None = None
    reaper: Reaper | None = None
    worker: Worker | None = None
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _following: threading.Thread | None = field(default=None, init=False)

    @property
    def store(self) -> EventStore:
        return self.persistence.store

    @property
    def read_models(self) -> ReadModels:
        return self.persistence.read_models

    def is_admin(self, token: str | None) -> bool:
        digest = hashlib.sha256((token or "").encode()).digest()
        return bool(token) and hmac.compare_digest(digest, self.admin_key_hash)

    def start_dispatching(self, follow_every: float | None = None) -> tuple[int, int]:
        """Dispatch new events from now on; recover what was left unfinished. Returns
        the counts of tasks and webhook deliveries dispatched again.

        A process that owns its store re-dispatches every unfinished task and pending
        delivery (each when it is due). Processes sharing a store leave that to the
        reaper, which only takes work silent for longer than the lease. `follow_every`
        (seconds) also follows the log on a timer, for events other processes write,
        and runs the reaper's passes.
        """
        position = self.persistence.dispatch_position(self.store.head())
        self.follower.consumers.append(Dispatcher(self.queue, position))
        self.follower.catch_up()  # a shared position may be behind: dispatch what is left
        tasks = deliveries = 0
        if not self.persistence.shared:
            unfinished = self.tasks.unfinished()
            for task_id in unfinished:
                self.queue.enqueue_task(task_id)
            pending = self.deliveries.pending()
            for delivery_id, due_in in pending:
                self.queue.enqueue_delivery(delivery_id, due_in)
            tasks, deliveries = len(unfinished), len(pending)
        if self.reaper is not None:
            reaped = self.reaper.reap()
            tasks, deliveries = tasks + reaped[0], deliveries + reaped[1]
        if follow_every is not None:
            self._following = threading.Thread(target=self._follow, args=(follow_every,),
                                               name="paperbanana-follower", daemon=True)
            self._following.start()
        return tasks, deliveries

    def _follow(self, every: float) -> None:
        reap_every = self.settings.lease_seconds / REAPS_PER_LEASE
        reaped_at = time.monotonic()
        while not self._stopping.wait(min(every, reap_every)):
            try:
                self.follower.catch_up()
                if self.reaper is not None and time.monotonic() - reaped_at >= reap_every:
                    reaped_at = time.monotonic()
                    self.reaper.reap()
            except Exception:
                log.exception("following the event log failed; trying again")

    def start_worker(self) -> None:
        # A short consumer timeout lets the worker stop (and tests tear down) promptly.
        self.worker = Worker(self.broker, queues=self.queue.queues,
                             worker_threads=self.settings.worker_threads, worker_timeout=100)
        self.worker.start()

    def readiness(self) -> dict[str, str | None]:
        """Each dependency and why it failed (None when it answers); errors are logged.

        The checks run side by side, each in a daemon thread, and a check still waiting
        after READY_SECONDS fails: the store's driver retries a lost database for much
        longer than a load balancer waits.
        """
        checks = {"event_store": self.store.head, "read_models": self.read_models.position,
                  "broker": self.queue.ping}
        failures: dict[str, str | None] = {
            name: f"no answer within {READY_SECONDS:g} s" for name in checks}

        def run(name: str, check: Callable[[], object]) -> None:
            try:
                check()
                failures[name] = None
            except Exception as error:
                log.warning("readiness: %s failed: %s", name, type(error).__name__)
                failures[name] = f"unreachable ({type(error).__name__})"

        threads = [threading.Thread(target=run, args=item, daemon=True)
                   for item in checks.items()]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + READY_SECONDS
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return dict(failures)

    def close(self) -> None:
        self._stopping.set()
        if self._following is not None:
            self._following.join()
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        self.broker.close()
        if self.render_service is not None:
            self.render_service.close()
        if self.reaper is not None:
            self.reaper.leadership.close()
        self.persistence.close()


def require_shared_secrets(settings: Settings) -> None:
    """Processes on several machines must share the keys: generating them per machine
    would make each machine's events unreadable to the others."""
    missing = [env_name(name) for name in ("cipher_key", "admin_key")
               if not getattr(settings, name)]
    if missing:
        raise SystemExit(
            f"{' and '.join(missing)} must be set with a PostgreSQL event store: every API "
            "and worker process must share them (`paperbanana secrets` prints new ones; "
            "see docs/deployment.md)")


def reaper_leadership(settings: Settings, persistence: Persistence) -> Leadership | None:
    """Separate workers need a reaper: elected among processes sharing PostgreSQL, or
    the one `serve` over SQLite. The embedded default has none (it recovers on start)."""
    if not settings.distributed:
        return None
    return persistence.reaper_leadership() or SoleLeader()


def bootstrap(settings: Settings, *, pipelines: Mapping[str, FigurePipeline] | None = None,
              clock: Clock | None = None, broker: dramatiq.Broker | None = None) -> Container:
    sender = webhook_sender(settings)
    if settings.event_store:
        require_shared_secrets(settings)
    data_dir = settings.data_dir
    if not settings.event_store:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    clock = clock or SystemClock()
    cipher_key = settings.cipher_key or read_or_create_secret(
        data_dir / "cipher_key", lambda: AESCipher.create_key(32))
    admin_key_file = None if settings.admin_key else data_dir / "admin_key"
    admin_key = settings.admin_key or read_or_create_secret(
        admin_key_file, lambda: "pba_" + secrets.token_urlsafe(32))

    persistence = open_persistence(settings, data_dir, cipher_key)
    store, read_models = persistence.store, persistence.read_models
    follower = Follower(store, [Projector(read_models)])
    store.on_commit(follower.catch_up)
    broker = broker or make_broker(settings.broker_url)
    render_service = None
    if pipelines is None:
        built = build_figure_pipelines(settings)
        pipelines, render_service = built.by_kind(), built.service
    tasks: Tasks | None = None
    deliveries: WebhookDeliveries | None = None
    queue = DramatiqJobQueue(broker, run_task=lambda task_id: tasks.run(task_id),
                             deliver=lambda delivery_id: deliveries.deliver(delivery_id))
    deliveries = WebhookDeliveries(
        store, clock, read_models, follower, persistence.blobs, queue, sender,
        public_url=settings.base_url, user_agent=f"PaperBanana-Webhook/{VERSION}",
        retry_scale=settings.webhook_retry_scale)
    lease = settings.lease_seconds if settings.distributed else None
    tasks = Tasks(store, clock, persistence.blobs, pipelines, deliveries, read_models, follower,
                  lease=lease)
    leadership = reaper_leadership(settings, persistence)
    return Container(
        settings=settings, persistence=persistence, follower=follower,
        broker=broker, queue=queue, api_keys=ApiKeys(store, clock, read_models, follower),
        tasks=tasks, deliveries=deliveries,
        admin_key_hash=hashlib.sha256(admin_key.encode()).digest(),
        admin_key_file=admin_key_file, render_service=render_service,
        reaper=None if leadership is None else Reaper(tasks, deliveries, queue, leadership,
                                                      settings.lease_seconds),
    )
