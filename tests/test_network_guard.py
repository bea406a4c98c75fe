"""The offline guard itself must bite, or every other test could silently go online."""

import socket

import pytest


def test_guard_refuses_public_address():
    with socket.socket() as sock, pytest.raises(RuntimeError, match="network"):
        sock.connect(("93.184.216.34", 80))


def test_guard_allows_loopback():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
