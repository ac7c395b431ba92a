"""create_app: the route table of the REST contract over a wired container."""

from __future__ import annotations

import falcon

from entrypoints.bootstrap import Container
from entrypoints.http import errors
from entrypoints.http.admin_resources import AdminKey, AdminKeys, AdminWebhooks
from entrypoints.http.openapi import openapi_document
from entrypoints.http.task_resources import (
    Generate,
    Plot,
    TaskImage,
    TaskItem,
    TaskSpec,
)
from entrypoints.version import VERSION


class Health:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok", "version": VERSION}


class Ready:
    """Readiness for a load balancer: 503 while the event store, read models or broker do
    not answer. Each check is one cheap query; the reasons name no host or password."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        failures = self.container.readiness()
        checks = {name: failure or "ok" for name, failure in failures.items()}
        failed = [name for name, failure in failures.items() if failure]
        if failed:
            resp.status = falcon.HTTP_503
            resp.media = {"detail": f"not ready: {', '.join(failed)} unreachable",
                          "status": "unavailable", "checks": checks}
        else:
            resp.media = {"status": "ready", "checks": checks}


class OpenApi:
    def __init__(self, base_url: str) -> None:
        self.document = openapi_document(base_url)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = self.document


def create_app(container: Container) -> falcon.App:
    app = falcon.App()
    errors.install(app)
    app.add_route("/api/health", Health())
    app.add_route("/api/health/ready", Ready(container))
    app.add_route("/api/openapi.json", OpenApi(container.settings.base_url))
    app.add_route("/api/generate", Generate(container))
    app.add_route("/api/plot", Plot(container))
    app.add_route("/api/tasks/{task_id}", TaskItem(container))
    app.add_route("/api/tasks/{task_id}/image", TaskImage(container))
    app.add_route("/api/tasks/{task_id}/spec", TaskSpec(container))
    app.add_route("/api/admin/keys", AdminKeys(container))
    app.add_route("/api/admin/keys/{key}", AdminKey(container))
    app.add_route("/api/admin/webhooks", AdminWebhooks(container))
    return app
