"""Posting webhooks with the standard library, only to addresses the policy allows.

The host is resolved once, at send time, every address is checked, and the connection
is made to a checked address: a DNS answer that changes between check and connect
(rebinding) cannot redirect it. TLS still verifies the certificate against the URL's
host name. Redirects are answers, not followed; at most MAX_ANSWER_BYTES of an answer
are read; the timeout bounds the connect and each read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

from adapters.webhook_address_policy import AddressPolicy
from application.ports import DeliveryFailed, WebhookSender

MAX_ANSWER_BYTES = 4096
DEFAULT_PORTS = {"http": 80, "https": 443}

Resolver = Callable[..., list]


class HttpWebhookSender(WebhookSender):
    def __init__(self, policy: AddressPolicy, timeout: float,
                 resolve: Resolver = socket.getaddrinfo) -> None:
        self.policy = policy
        self.timeout = timeout
        self.resolve = resolve
        self.tls = ssl.create_default_context()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise DeliveryFailed(f"refused: {url!r} is not an http or https URL")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise DeliveryFailed(f"refused: {url!r} has no valid port") from None
        host = parts.hostname
        connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        try:
            connection.sock = self._connect(host, port)
            if parts.scheme == "https":
                connection.sock = self.tls.wrap_socket(connection.sock, server_hostname=host)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", target, body, {
                **headers, "Host": parts.netloc.rpartition("@")[2], "Connection": "close"})
            answer = connection.getresponse()
            answer.read(MAX_ANSWER_BYTES)
            return answer.status
        except TimeoutError:
            raise DeliveryFailed(f"timed out after {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from None
        finally:
            connection.close()

    def _connect(self, host: str, port: int) -> socket.socket:
        """A connection to the first reachable allowed address of `host`."""
        try:
            found = self.resolve(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise DeliveryFailed(f"cannot resolve {host}: {error.strerror}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in found))
        allowed = [address for address in addresses if self.policy.allows(host, address)]
        if not allowed:
            raise DeliveryFailed(
                f"refused: {host} resolves to {', '.join(addresses)}, not a public address "
                "(the webhook allow-list can permit it)")
        for address in allowed:
            try:
                return socket.create_connection((address, port), timeout=self.timeout)
            except OSError as error:
                failure = error
        raise failure
