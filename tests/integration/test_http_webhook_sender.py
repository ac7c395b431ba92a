"""The stdlib webhook sender against a real loopback receiver: where it connects, and what
it refuses."""

from __future__ import annotations

import socket

import pytest

from adapters.http_webhook_sender import HttpWebhookSender
from adapters.webhook_address_policy import AddressPolicy
from application.ports import DeliveryFailed
from tests.servers import WebhookReceiver


class Resolver:
    """A DNS stand-in: answers `addresses` for every name and counts the questions."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.questions: list[str] = []

    def __call__(self, host, port, type=0):  # noqa: A002  (socket.getaddrinfo's name)
        self.questions.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in self.addresses]


def test_it_connects_to_the_checked_address_and_keeps_the_host_name() -> None:
    resolve = Resolver("127.0.0.1")
    sender = HttpWebhookSender(AddressPolicy("127.0.0.1"), timeout=2, resolve=resolve)
    with WebhookReceiver(202) as receiver:
        url = f"http://rebind.invalid:{receiver.port}/hook?source=test"
        assert sender.post(url, b'{"a": 1}', {"X-Test": "yes"}) == 202
    # The name resolves nowhere but in `resolve`: the connection went to the address checked.
    assert resolve.questions == ["rebind.invalid"]
    (received,) = receiver.received
    assert (received.path, received.body) == ("/hook?source=test", b'{"a": 1}')
    assert received.headers["Host"] == f"rebind.invalid:{receiver.port}"
    assert received.headers["X-Test"] == "yes"


def test_only_allowed_addresses_of_a_name_are_tried() -> None:
    sender = HttpWebhookSender(AddressPolicy("127.0.0.1"), timeout=2,
                               resolve=Resolver("10.0.0.1", "127.0.0.1"))
    with WebhookReceiver(200) as receiver:
        assert sender.post(f"http://mixed.invalid:{receiver.port}/hook", b"{}", {}) == 200


def test_a_name_resolving_only_to_refused_addresses_is_not_contacted() -> None:
    sender = HttpWebhookSender(AddressPolicy(), timeout=2,
                               resolve=Resolver("127.0.0.1", "10.0.0.1"))
    with WebhookReceiver(200) as receiver:
        with pytest.raises(DeliveryFailed, match=r"refused: inside.invalid resolves to "
                                                 r"127\.0\.0\.1, 10\.0\.0\.1, not a public"):
            sender.post(f"http://inside.invalid:{receiver.port}/hook", b"{}", {})
    assert receiver.received == []


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http:///x",
                                 "http://127.0.0.1:99999/x"])
def test_urls_that_are_not_http_are_refused(url: str) -> None:
    with pytest.raises(DeliveryFailed, match="refused"):
        HttpWebhookSender(AddressPolicy("127.0.0.1"), timeout=1).post(url, b"{}", {})


def test_a_tls_failure_is_a_failed_delivery() -> None:
    sender = HttpWebhookSender(AddressPolicy("127.0.0.1"), timeout=2)
    with WebhookReceiver(200) as receiver:  # plain HTTP: the TLS handshake cannot succeed
        with pytest.raises(DeliveryFailed, match="SSL"):
            sender.post(f"https://127.0.0.1:{receiver.port}/hook", b"{}", {})


def test_an_unknown_name_is_a_failed_delivery() -> None:
    with pytest.raises(DeliveryFailed, match="cannot resolve nowhere.invalid"):
        HttpWebhookSender(AddressPolicy(), timeout=1).post("https://nowhere.invalid/", b"{}", {})
