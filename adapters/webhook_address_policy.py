"""Which addresses a webhook may reach: public ones, and what the allow-list names.

Loopback, private, link-local (cloud metadata at 169.254.169.254), shared, reserved and
multicast addresses are refused, so a webhook URL cannot probe the server's own network.
The allow-list (host names or CIDRs) opens exceptions, e.g. `127.0.0.1` for local tests.
"""

from __future__ import annotations

from ipaddress import IPv6Address, ip_address, ip_network


class AddressPolicy:
    def __init__(self, allow_list: str = "") -> None:
        """`allow_list`: comma-separated host names, addresses or CIDRs (ValueError names
        a bad entry)."""
        self.hosts: set[str] = set()
        self.networks = []
        for entry in filter(None, (part.strip().lower() for part in allow_list.split(","))):
            try:
                self.networks.append(ip_network(entry, strict=False))
            except ValueError:
                if "/" in entry or ":" in entry:
                    raise ValueError(f"{entry!r} is neither a host name nor a CIDR") from None
                self.hosts.add(entry.rstrip("."))

    def allows(self, host: str, address: str) -> bool:
        """May a webhook for `host` connect to `address`, one of its resolved addresses?"""
        if host.lower().rstrip(".") in self.hosts:
            return True
        ip = ip_address(address)
        if isinstance(ip, IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.networks):
            return True
        return ip.is_global and not ip.is_multicast
