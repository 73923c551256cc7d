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


def _load_examples() -> dict[str, dict[str, Any]]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    examples = spec["webhooks"]["event"]["put"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    return {name: example["value"] for name, example in examples.items()}


CALLBACK_EXAMPLES = _load_examples()


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
