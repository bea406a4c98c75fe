"""The offline guard itself must bite, or every other test could silently go online."""

import socket

import httpx
import pytest


def test_guard_refuses_public_address():
    with socket.socket() as sock, pytest.raises(RuntimeError, match="network"):
        sock.connect(("93.184.216.34", 80))


def test_guard_refuses_connect_ex_too():
    with socket.socket() as sock, pytest.raises(RuntimeError, match="network"):
        sock.connect_ex(("93.184.216.34", 80))


def test_guard_refuses_resolving_a_public_name():
    # The lookup itself would send a DNS query off the machine.
    with pytest.raises(RuntimeError, match="network"):
        socket.getaddrinfo("query1.finance.yahoo.com", 443)


@pytest.mark.asyncio
async def test_guard_stops_a_real_async_client_request():
    # What a provider uses: httpx over asyncio, with no fake transport.
    async with httpx.AsyncClient() as client:
        with pytest.raises(RuntimeError, match="network"):
            await client.get("https://query1.finance.yahoo.com/v8/finance/chart/%5EGSPC")


def test_guard_allows_loopback():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
    assert socket.getaddrinfo("localhost", 80)
