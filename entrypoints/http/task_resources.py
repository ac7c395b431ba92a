"""Submission and task resources: thin, they parse, call one use case and shape the answer."""

from __future__ import annotations

import json

import falcon

from application.errors import Invalid
from domain.api_key import ApiKey
from domain.task import MAX_ITERATIONS, TaskKind
from entrypoints.bootstrap import Container
from entrypoints.http.requests import bearer, boolean, integer, json_body, text, url

DEFAULT_ITERATIONS = 3
IMAGE_FORMATS = ("png", "svg")


class _Authenticated:
    def __init__(self, container: Container) -> None:
        self.container = container

    def key(self, req: falcon.Request) -> ApiKey:
        return self.container.api_keys.authenticate(bearer(req))


class _Submission(_Authenticated):
    kind: TaskKind

    def inputs(self, body: dict) -> dict:
        raise NotImplementedError

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        key = self.key(req)
        body = json_body(req)
        inputs = self.inputs(body)
        task = self.container.tasks.submit(
            key.id, self.kind.value, inputs,
            iterations=integer(body, "iterations", DEFAULT_ITERATIONS, low=1, high=MAX_ITERATIONS),
            webhook_url=url(body, "webhook_url") or None,
            webhook_include_image=boolean(body, "webhook_include_image", False),
        )
        resp.status = falcon.HTTP_202
        resp.media = {"task_id": str(task.id), "status": task.status.value}


class Generate(_Submission):
    kind = TaskKind.METHODOLOGY

    def inputs(self, body: dict) -> dict:
        return {"source_context": text(body, "source_context"), "caption": text(body, "caption")}


class Plot(_Submission):
    kind = TaskKind.STATISTICAL_PLOT

    def inputs(self, body: dict) -> dict:
        data_json = text(body, "data_json")
        try:
            data = json.loads(data_json)
        except ValueError as error:
            raise Invalid("data_json", f"is not a valid JSON string ({error})") from None
        if not isinstance(data, (dict, list)) or not data:
            raise Invalid("data_json", "must hold a non-empty JSON object or array")
        return {"data_json": data_json, "intent": text(body, "intent")}


class TaskItem(_Authenticated):
    def on_get(self, req: falcon.Request, resp: falcon.Response, task_id: str) -> None:
        task = self.container.tasks.get(task_id, self.key(req))
        resp.media = self.container.tasks.view(task)


class TaskImage(_Authenticated):
    """The figure: PNG by default (the contract), SVG with `?format=svg`."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, task_id: str) -> None:
        image_format = req.get_param("format") or "png"
        if image_format not in IMAGE_FORMATS:
            raise Invalid("format", "must be png or svg")
        resp.data, resp.content_type = self.container.tasks.artifact(
            task_id, self.key(req), image_format)


class TaskSpec(_Authenticated):
    """The final PlotSpec, to edit and re-render (`paperbanana render`)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, task_id: str) -> None:
        resp.data, resp.content_type = self.container.tasks.artifact(
            task_id, self.key(req), "spec")
