"""Shared fixtures; an autouse guard fails any connection that leaves the machine."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from core.demo import demo_snapshot
from core.instruments import default_registry
from core.settings import default_analysis_settings
from core.snapshot import MarketSnapshot

REPO = Path(__file__).resolve().parents[1]
# The shared recordings sit beside the clone, or beside the folder of its worktrees.
SHARED_FIXTURES = next(
    (
        folder / "shared" / "fixtures"
        for folder in (REPO.parent, REPO.parent.parent)
        if (folder / "shared" / "fixtures").is_dir()
    ),
    REPO.parent / "shared" / "fixtures",
)
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like never leave the machine
    return _is_loopback_host(address[0])


def _is_loopback_host(host: object) -> bool:
    if host is None or host in ("localhost", b"localhost"):
        return True  # None: the local host's own addresses (a listening socket)
    if isinstance(host, bytes):
        host = host.decode()
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: object) -> RuntimeError:
    return RuntimeError(f"test tried to reach the network: {what!r}")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a non-loopback address or resolve a public name.

    Name lookups are refused too: a DNS query leaves the machine before any connect.
    """

    def guarded_connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            raise _refuse(address)
        return _real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        if not _is_loopback(address):
            raise _refuse(address)
        return _real_connect_ex(self, address)

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> list:
        if not _is_loopback_host(host):
            raise _refuse(host)
        return _real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture
def registry():
    """Return the default instrument registry."""
    return default_registry()


@pytest.fixture
def settings():
    """Return the default analysis thresholds."""
    return default_analysis_settings()


# The reference report's figures (see its .source.txt): a rich input for section builders.
# It is not real market data; the product's sample is core/demo (real closes).
REFERENCE_SNAPSHOT = (
    REPO / "tests" / "fixtures" / "demo" / "synthetic_reference_report_snapshot_2026-03-20.json"
)


@pytest.fixture
def sample():
    """Return the product's bundled sample (real closes, 08:00 HKT Mon 2026-03-23)."""
    return demo_snapshot()


@pytest.fixture
def demo():
    """Return the reference-report snapshot the section tests are written against."""
    return MarketSnapshot.load(REFERENCE_SNAPSHOT)
