from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"
TOKEN = "2g7als3DgPW6Xp1xEpmcvgVhQG621bFY"  # the spec examples' token


with SPEC_PATH.open(encoding="utf-8") as _fh:
    SPEC: dict[str, Any] = yaml.safe_load(_fh)


def _examples(operation: dict[str, Any]) -> dict[str, Any]:
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    return {name: example["value"] for name, example in examples.items()}


CALLBACK_EXAMPLES = _examples(SPEC["webhooks"]["event"]["put"])
SEARCH_EXAMPLE: dict[str, Any] = _examples(SPEC["webhooks"]["shortcutSearch"]["post"])["doc"]
SEARCH_RESULT_EXAMPLE: dict[str, Any] = SPEC["webhooks"]["shortcutSearch"]["post"]["responses"][
    "200"
]["content"]["application/json"]["examples"]["doc"]["value"]
PULL_EXAMPLE: dict[str, Any] = SPEC["paths"][
    "/api/v1/finchat/privilege-api/forwarder/{app_id}/events"
]["get"]["responses"]["200"]["content"]["application/json"]["examples"]["doc"]["value"]


def search(**content_changes: Any) -> dict[str, Any]:
    """The spec's search example, with fields of its content replaced (removed when None)."""
    body = copy.deepcopy(SEARCH_EXAMPLE)
    for key, value in content_changes.items():
        if value is None:
            body["event"]["content"].pop(key, None)
        else:
            body["event"]["content"][key] = value
    return body


@pytest.fixture
def callbacks() -> dict[str, dict[str, Any]]:
    """The spec's callback examples by name (a fresh deep copy per test)."""
    return copy.deepcopy(CALLBACK_EXAMPLES)


def callback(name: str, **event_changes: Any) -> dict[str, Any]:
    """One spec example, with fields of its event replaced (or removed when given None)."""
    body = copy.deepcopy(CALLBACK_EXAMPLES[name])
    for key, value in event_changes.items():
        if value is None:
            body["event"].pop(key, None)
        else:
            body["event"][key] = value
    return body


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` on uvicorn in a thread on a free loopback port; yields its URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the receiver's server stopped while starting"
        assert time.monotonic() < deadline, "the receiver's server did not start in time"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
