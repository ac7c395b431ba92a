"""Admin resources for API keys: create, list, read with usage, update, delete."""

from __future__ import annotations

import falcon

from application.api_keys import UNSET
from application.errors import Unauthorized
from entrypoints.bootstrap import Container
from entrypoints.http.requests import (
    bearer,
    boolean,
    integer,
    json_body,
    page,
    text,
    url,
)


class _Admin:
    def __init__(self, container: Container) -> None:
        self.container = container

    def require_admin(self, req: falcon.Request) -> None:
        if not self.container.is_admin(bearer(req)):
            raise Unauthorized("invalid admin key")


class AdminKeys(_Admin):
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.require_admin(req)
        body = json_body(req)
        plaintext, view = self.container.api_keys.issue(
            name=text(body, "name"),
            quota=integer(body, "quota", None, low=0, nullable=True),
            webhook_url=url(body, "webhook_url") or None,
            webhook_secret=text(body, "webhook_secret", required=False) or None,
        )
        resp.status = falcon.HTTP_201
        resp.media = {**view, "key": plaintext}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.require_admin(req)
        resp.media = self.container.api_keys.list()


class AdminKey(_Admin):
    def on_get(self, req: falcon.Request, resp: falcon.Response, key: str) -> None:
        self.require_admin(req)
        api_keys = self.container.api_keys
        found = api_keys.get(key)
        limit, offset = page(req)
        resp.media = {**api_keys.view(found),
                      "usage_log": api_keys.usage_log(found.id, limit, offset)}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, key: str) -> None:
        self.require_admin(req)
        body = json_body(req)
        updated = self.container.api_keys.update(
            key,
            quota_remaining=integer(body, "quota_remaining", UNSET, low=0, nullable=True),
            quota_total=integer(body, "quota_total", UNSET, low=0, nullable=True),
            active=boolean(body, "active", UNSET),
            webhook_url=url(body, "webhook_url", UNSET),
            webhook_secret=_secret(body),
        )
        resp.media = self.container.api_keys.view(updated)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, key: str) -> None:
        self.require_admin(req)
        self.container.api_keys.delete(key)
        resp.status = falcon.HTTP_204


def _secret(body: dict) -> object:
    if "webhook_secret" not in body:
        return UNSET
    return text(body, "webhook_secret", required=False) or ""


class AdminWebhooks(_Admin):
    """Webhook delivery history with each attempt, filterable by key and status."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.require_admin(req)
        key_id = None
        if req.get_param("key"):
            key_id = str(self.container.api_keys.get(req.get_param("key")).id)
        limit, offset = page(req)
        resp.media = self.container.deliveries.history(
            key_id=key_id, status=req.get_param("status"), limit=limit, offset=offset)
