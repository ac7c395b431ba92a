"""The webhook address policy: public addresses only, unless the allow-list says otherwise."""

from __future__ import annotations

import pytest

from adapters.webhook_address_policy import AddressPolicy

REFUSED = [
    "127.0.0.1", "127.8.9.10", "::1",  # loopback
    "10.1.2.3", "172.16.0.1", "192.168.1.1", "fd00:ec2::254",  # private (and AWS IPv6 metadata)
    "169.254.169.254", "fe80::1",  # link-local: cloud metadata
    "100.100.100.200",  # shared address space (Alibaba metadata)
    "0.0.0.0", "::", "192.0.2.1", "255.255.255.255",  # unspecified, documentation, broadcast
    "224.0.0.1", "ff02::1",  # multicast
    "::ffff:127.0.0.1", "::ffff:10.0.0.1",  # IPv4 hidden in IPv6
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not AddressPolicy().allows("hooks.example.com", address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert AddressPolicy().allows("hooks.example.com", address)


def test_the_allow_list_opens_addresses_networks_and_host_names() -> None:
    policy = AddressPolicy(" 127.0.0.1, 10.0.0.0/8 ,Hooks.Internal.,")
    assert policy.allows("anything", "127.0.0.1")
    assert policy.allows("anything", "::ffff:127.0.0.1")
    assert policy.allows("anything", "10.200.0.1")
    assert policy.allows("hooks.internal", "192.168.7.7")
    assert policy.allows("HOOKS.internal.", "172.16.0.1")
    assert not policy.allows("anything", "127.0.0.2")
    assert not policy.allows("anything", "::1")
    assert not policy.allows("other.internal", "192.168.7.7")


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "host:8080", "not a/cidr"])
def test_a_bad_allow_list_entry_is_named(entry: str) -> None:
    with pytest.raises(ValueError, match="neither a host name nor a CIDR"):
        AddressPolicy(f"127.0.0.1,{entry}")
