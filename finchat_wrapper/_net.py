"""A listening socket for the servers this package starts (the sandbox, `finchat listen`)."""

from __future__ import annotations

import socket


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; OSError (port in use, bad address) says which and why.

    Bound before uvicorn starts, so that a port in use is one clear error rather than uvicorn's
    traceback, and so that with port 0 the real port is known (and connectable) at once.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock
