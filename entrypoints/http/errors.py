"""One error map: every error leaves as `{"detail": ...}` with the contract's status code."""

from __future__ import annotations

import json
import logging
from typing import Any

import falcon

from application.errors import Forbidden, Invalid, NotFound, Unauthorized

log = logging.getLogger("paperbanana.http")

STATUS = {
    Unauthorized: falcon.HTTP_401,
    Forbidden: falcon.HTTP_403,
    NotFound: falcon.HTTP_404,
    Invalid: falcon.HTTP_422,
}


def serialize_error(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    resp.content_type = falcon.MEDIA_JSON
    title = error.title or ""
    if title[:3].isdigit():  # falcon's default titles read "404 Not Found"
        title = title[4:]
    resp.text = json.dumps({"detail": error.description or title})
    for name, value in (error.headers or {}).items():
        resp.set_header(name, value)


def application_error(req: falcon.Request, resp: falcon.Response, error: Exception,
                      params: dict[str, Any]) -> None:
    status = STATUS[type(error)]
    headers = {"WWW-Authenticate": "Bearer"} if status == falcon.HTTP_401 else None
    raise falcon.HTTPError(status, description=str(error), headers=headers)


def unexpected_error(req: falcon.Request, resp: falcon.Response, error: Exception,
                     params: dict[str, Any]) -> None:
    if isinstance(error, falcon.HTTPError):
        raise error
    log.exception("unhandled error on %s %s", req.method, req.path)
    raise falcon.HTTPInternalServerError(description="internal server error")


def install(app: falcon.App) -> None:
    app.set_error_serializer(serialize_error)
    app.add_error_handler(Exception, unexpected_error)
    app.add_error_handler(tuple(STATUS), application_error)
