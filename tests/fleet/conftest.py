"""Real `redis-server` processes for the fleet tests: started on free loopback ports in temporary
directories, stopped (and their directories removed) by the fixtures.

Without `redis-server` on PATH the tests skip with the reason, except in CI (`CI=true`), where
`.ci/run` installs it and its absence is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

STARTUP_TIMEOUT = 10.0


def redis_server_binary() -> str:
    """The path of `redis-server`; skips the test (fails it in CI) when there is none."""
    path = shutil.which("redis-server")
    if path is None:
        reason = "redis-server is not on PATH (apt-get install redis-server); fleet tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI=true must run them")
        pytest.skip(reason)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """One `redis-server` on 127.0.0.1; tests may stop, restart, pause it.

    Without persistence by default. `persistent=True` keeps every acknowledged write across a
    kill and restart (append-only file, fsync before each answer), as a production Redis whose
    records must outlive a crash is configured.

    `pause`, `resume` and `stop` may be called from any thread (timers resume a paused server).
    """

    def __init__(self, binary: str, directory: Path, *, persistent: bool = False) -> None:
        self.binary = binary
        self.directory = directory
        self.persistent = persistent
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.paused = False
        self._lock = threading.RLock()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start on the previous port (a restart) or, the first time, on a free one."""
        with self._lock:
            for _ in range(5):
                port = self.port or _free_port()
                if self._try_start(port):
                    self.port = port
                    return
                if self.port:
                    break  # a restart must keep its port: clients hold the URL
        raise RuntimeError(f"redis-server did not start; see {self.directory / 'redis.log'}")

    def _try_start(self, port: int) -> bool:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind", "127.0.0.1",
                "--port", str(port),
                "--dir", str(self.directory),
                "--save", "",
                "--appendonly", "yes" if self.persistent else "no",
                "--appendfsync", "always",
                "--logfile", str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        probe = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    return False  # the port was taken meanwhile, most likely
                with contextlib.suppress(redis.ConnectionError):
                    if probe.ping():
                        return True
                time.sleep(0.02)
        finally:
            probe.close()
        self.stop()
        return False

    def stop(self) -> None:
        """Kill it (a crash, as far as clients can tell) and wait until it is gone."""
        with self._lock:
            if self.process is None:
                return
            # SIGKILL works on a stopped process too: what it had not read yet is lost with it.
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
            self.paused = False

    def pause(self) -> None:
        """SIGSTOP: connections are accepted by the kernel but nothing is ever answered."""
        with self._lock:
            assert self.process is not None
            self.process.send_signal(signal.SIGSTOP)
            self.paused = True

    def resume(self) -> None:
        """SIGCONT, if it is paused (a no-op once stopped: a timer may fire after the test)."""
        with self._lock:
            if self.process is not None and self.paused:
                self.process.send_signal(signal.SIGCONT)
            self.paused = False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One server shared by the tests that only read and write keys (each under its own prefix)."""
    server = RedisServer(redis_server_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture
def prefix() -> str:
    """A key prefix of this test alone, so tests sharing a server never see each other's keys."""
    return f"test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A server of this test alone, which it may stop, restart or pause."""
    server = RedisServer(redis_server_binary(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
