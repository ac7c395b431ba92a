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
from adapters.file_blob_store import FileBlobStore
from adapters.graphviz_diagram_layout import GraphvizDiagramLayout
from adapters.house_diagram_stylist import HouseDiagramStylist
from adapters.house_plot_stylist import HousePlotStylist
from adapters.http_webhook_sender import HttpWebhookSender
from adapters.keyword_diagram_retriever import KeywordDiagramRetriever
from adapters.offline_diagram_critic import OfflineDiagramCritic
from adapters.offline_diagram_planner import OfflineDiagramPlanner
from adapters.offline_plot_critic import OfflinePlotCritic
from adapters.offline_plot_planner import OfflinePlotPlanner
from adapters.sqlite_read_models import SQLiteReadModels
from adapters.system_clock import SystemClock
from adapters.webhook_address_policy import AddressPolicy
from application.api_keys import ApiKeys
from application.diagrams.pipeline import DiagramPipeline
from application.event_store import EventStore
from application.plots.pipeline import PlotPipeline
from application.ports import Clock, FigurePipeline
from application.projections.dispatcher import Dispatcher
from application.projections.follower import Follower
from application.projections.projector import Projector
from application.tasks import Tasks
from application.webhooks import WebhookDeliveries
from entrypoints.settings import Settings, env_name
from entrypoints.version import VERSION

log = logging.getLogger("paperbanana")


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
    store: EventStore
    read_models: SQLiteReadModels
    follower: Follower
    broker: dramatiq.Broker
    queue: DramatiqJobQueue
    api_keys: ApiKeys
    tasks: Tasks
    deliveries: WebhookDeliveries
    admin_key_hash: bytes
    admin_key_file: Path | None
    render_service: BrowserRenderService | None = None
    worker: Worker | None = None
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _following: threading.Thread | None = field(default=None, init=False)

    def is_admin(self, token: str | None) -> bool:
        digest = hashlib.sha256((token or "").encode()).digest()
        return bool(token) and hmac.compare_digest(digest, self.admin_key_hash)

    def start_dispatching(self, follow_every: float | None = None) -> tuple[int, int]:
        """Dispatch new events from now on; re-dispatch the unfinished tasks and the
        pending webhook deliveries (each when it is due). Returns their counts.

        `follow_every` (seconds) also follows the log on a timer, for when other
        processes (workers on a shared broker) write the events to dispatch.
        """
        self.follower.catch_up()
        self.follower.consumers.append(Dispatcher(self.queue, start=self.store.head()))
        unfinished = self.tasks.unfinished()
        for task_id in unfinished:
            self.queue.enqueue_task(task_id)
        pending = self.deliveries.pending()
        for delivery_id, due_in in pending:
            self.queue.enqueue_delivery(delivery_id, due_in)
        if follow_every is not None:
            self._following = threading.Thread(target=self._follow, args=(follow_every,),
                                               name="paperbanana-follower", daemon=True)
            self._following.start()
        return len(unfinished), len(pending)

    def _follow(self, every: float) -> None:
        while not self._stopping.wait(every):
            try:
                self.follower.catch_up()
            except Exception:
                log.exception("following the event log failed; trying again")

    def start_worker(self) -> None:
        # A short consumer timeout lets the worker stop (and tests tear down) promptly.
        self.worker = Worker(self.broker, queues=self.queue.queues,
                             worker_threads=self.settings.worker_threads, worker_timeout=100)
        self.worker.start()

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
        self.store.close()
        self.read_models.close()


def bootstrap(settings: Settings, *, pipelines: Mapping[str, FigurePipeline] | None = None,
              clock: Clock | None = None, broker: dramatiq.Broker | None = None) -> Container:
    sender = webhook_sender(settings)
    data_dir = settings.data_dir
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    clock = clock or SystemClock()
    cipher_key = settings.cipher_key or read_or_create_secret(
        data_dir / "cipher_key", lambda: AESCipher.create_key(32))
    admin_key_file = None if settings.admin_key else data_dir / "admin_key"
    admin_key = settings.admin_key or read_or_create_secret(
        admin_key_file, lambda: "pba_" + secrets.token_urlsafe(32))

    store = EventStore({
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(data_dir / "events.sqlite"),
        "SQLITE_LOCK_TIMEOUT": "30",
        "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
        "CIPHER_KEY": cipher_key,
        "AGGREGATE_CACHE_MAXSIZE": "2000",
    })
    read_models = SQLiteReadModels(data_dir / "read_models.sqlite")
    follower = Follower(store, [Projector(read_models)])
    store.on_commit(follower.catch_up)
    blobs = FileBlobStore(data_dir / "blobs")
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
        store, clock, read_models, follower, blobs, queue, sender,
        public_url=settings.base_url, user_agent=f"PaperBanana-Webhook/{VERSION}",
        retry_scale=settings.webhook_retry_scale)
    tasks = Tasks(store, clock, blobs, pipelines, deliveries, read_models, follower)
    return Container(
        settings=settings, store=store, read_models=read_models, follower=follower,
        broker=broker, queue=queue, api_keys=ApiKeys(store, clock, read_models, follower),
        tasks=tasks, deliveries=deliveries,
        admin_key_hash=hashlib.sha256(admin_key.encode()).digest(),
        admin_key_file=admin_key_file, render_service=render_service,
    )
