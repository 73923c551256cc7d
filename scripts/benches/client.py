"""Benchmark of the client core, every figure measured side by side in one run.

1. Calls per second through FinChat and AsyncFinChat against raw httpx + json.loads, on the same
   in-memory transport answering the same bytes: the first revision's profile and send (ratio
   target >= 0.8), and one read and one write of revision 2, a room's detail and a change of its
   topic (target >= 1.0).
2. Token requests made on a cold cache by 1,000 concurrent async calls and by 64 threads
   (target: exactly 1 each).
3. `import finchat_wrapper` against `import httpx`, net of the interpreter's own start-up: the
   cumulative `-X importtime` figure of each, and the wall time of `python -c "import X"` minus
   that of `python -c pass`, medians of fresh interpreters (ratio target <= 1.2).

Usage: scripts/bench client [--calls N] [--rounds N] [--imports N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from finchat_wrapper import AsyncFinChat, FinChat
from finchat_wrapper import _operations as ops

APP_ID = "benchapp"
SECRET = "bench-secret"  # noqa: S105 - a fake credential for an in-memory server
BASE_URL = "https://finchat.bench"
USER_PATH = "/api/v1/finchat/open-api/users/%40alice%3Abench.org"
SEND_PATH = "/api/v1/finchat/open-api/message/send"
TOKEN_BODY = json.dumps(
    {"app_access_token": "bench-token", "expires_in": 3600, "token_type": "Bearer"}
).encode()
USER_BODY = json.dumps(
    {
        "fcid": "@alice:bench.org",
        "name": "Alice",
        "email": "alice@bench.org",
        "mobile": "12345678",
        "roles": [],
        "groups": ["g1"],
    }
).encode()
SEND_BODY = json.dumps(
    {"room_id_result": [{"room_id": "!r:bench.org", "event_id": "$e:bench.org"}]}
).encode()
ROOM = "!room:bench.org"
ROOM_PATH = "/api/v1/finchat/open-api/rooms/%21room%3Abench.org"
ROOM_BODY = json.dumps(
    {
        "name": "周会",
        "type": "multi_chat",
        "topic": "本周议题",
        "federate": False,
        "owner": "@bot:bench.org",
        "fcids": ["@bot:bench.org", "@alice:bench.org", "@bob:bench.org"],
    }
).encode()
HEADERS = {"Content-Type": "application/json"}


def answer(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/auth/token"):
        return httpx.Response(200, content=TOKEN_BODY, headers=HEADERS)
    if path.endswith("/message/send"):
        return httpx.Response(200, content=SEND_BODY, headers=HEADERS)
    if "/rooms/" in path:
        if request.method == "PUT":
            return httpx.Response(200, content=b"{}", headers=HEADERS)
        return httpx.Response(200, content=ROOM_BODY, headers=HEADERS)
    return httpx.Response(200, content=USER_BODY, headers=HEADERS)


async def async_answer(request: httpx.Request) -> httpx.Response:
    return answer(request)


TEXT = {"msgtype": "m.text", "body": "hello"}


def rate(run: Callable[[int], None], calls: int, rounds: int) -> float:
    """Best calls/s over `rounds` runs (the least disturbed by a noisy machine)."""
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        run(calls)
        best = max(best, calls / (time.perf_counter() - started))
    return best


def arate(run: Callable[[int], Awaitable[None]], calls: int, rounds: int) -> float:
    async def main() -> float:
        best = 0.0
        for _ in range(rounds):
            started = time.perf_counter()
            await run(calls)
            best = max(best, calls / (time.perf_counter() - started))
        return best

    return asyncio.run(main())


def throughput(calls: int, rounds: int) -> list[tuple[str, float, float]]:
    raw = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(answer))
    auth = {"Authorization": "Bearer bench-token"}
    client = FinChat(APP_ID, SECRET, base_url=BASE_URL, transport=httpx.MockTransport(answer))
    client.auth.token()  # both sides start with a token in hand

    def raw_get(n: int) -> None:
        for _ in range(n):
            json.loads(raw.get(USER_PATH, params={"app_id": APP_ID}, headers=auth).content)

    def raw_send(n: int) -> None:
        body = {"app_id": APP_ID, "room_ids": ["!r:bench.org"], "content": TEXT}
        for _ in range(n):
            json.loads(raw.post(SEND_PATH, json=body, headers=auth).content)

    def wrapped_get(n: int) -> None:
        for _ in range(n):
            client.users.get("@alice:bench.org")

    def core_send(n: int) -> None:
        # The request loop alone (token, errors, retries, parsing), without the bulk planner.
        for _ in range(n):
            client._call(ops.send_message(APP_ID, TEXT, ["!r:bench.org"], []))

    def wrapped_send(n: int) -> None:
        for _ in range(n):
            client.messages.send(TEXT, room_ids=["!r:bench.org"])

    def raw_room(n: int) -> None:
        for _ in range(n):
            json.loads(raw.get(ROOM_PATH, params={"app_id": APP_ID}, headers=auth).content)

    def wrapped_room(n: int) -> None:
        for _ in range(n):
            client.rooms.get(ROOM)

    def raw_topic(n: int) -> None:
        body = {"app_id": APP_ID, "topic": "本周议题"}
        for _ in range(n):
            json.loads(raw.put(ROOM_PATH, json=body, headers=auth).content)

    def wrapped_topic(n: int) -> None:
        for _ in range(n):
            client.rooms.update(ROOM, topic="本周议题")

    rows = []
    # Interleave the two sides so that drift in machine load hits both alike.
    for name, raw_run, wrapped_run in (
        ("FinChat users.get", raw_get, wrapped_get),
        ("FinChat messages.send", raw_send, wrapped_send),
        ("FinChat _call(send_message)", raw_send, core_send),
        ("FinChat rooms.get (rev. 2)", raw_room, wrapped_room),
        ("FinChat rooms.update (rev. 2)", raw_topic, wrapped_topic),
    ):
        raw_best = wrapped_best = 0.0
        for _ in range(rounds):
            raw_best = max(raw_best, rate(raw_run, calls, 1))
            wrapped_best = max(wrapped_best, rate(wrapped_run, calls, 1))
        rows.append((name, raw_best, wrapped_best))

    async def async_rows() -> list[tuple[str, float, float]]:
        araw = httpx.AsyncClient(base_url=BASE_URL, transport=httpx.MockTransport(async_answer))
        aclient = AsyncFinChat(
            APP_ID, SECRET, base_url=BASE_URL, transport=httpx.MockTransport(async_answer)
        )
        await aclient.auth.token()

        async def raw_aget(n: int) -> None:
            for _ in range(n):
                response = await araw.get(USER_PATH, params={"app_id": APP_ID}, headers=auth)
                json.loads(response.content)

        async def wrapped_aget(n: int) -> None:
            for _ in range(n):
                await aclient.users.get("@alice:bench.org")

        async def best(run: Callable[[int], Awaitable[None]]) -> float:
            started = time.perf_counter()
            await run(calls)
            return calls / (time.perf_counter() - started)

        raw_best = wrapped_best = 0.0
        for _ in range(rounds):
            raw_best = max(raw_best, await best(raw_aget))
            wrapped_best = max(wrapped_best, await best(wrapped_aget))
        await araw.aclose()
        await aclient.aclose()
        return [("AsyncFinChat users.get", raw_best, wrapped_best)]

    rows += asyncio.run(async_rows())
    raw.close()
    client.close()
    return rows


def cold_cache_token_requests() -> tuple[int, int]:
    counted = {"sync": 0, "async": 0}
    lock = threading.Lock()

    def slow_sync(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/token"):
            with lock:
                counted["sync"] += 1
            time.sleep(0.05)  # a slow token endpoint: every caller arrives while it is pending
        return answer(request)

    async def slow_async(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/token"):
            counted["async"] += 1
            await asyncio.sleep(0.05)
        return answer(request)

    async def thousand() -> None:
        async with AsyncFinChat(
            APP_ID, SECRET, base_url=BASE_URL, transport=httpx.MockTransport(slow_async)
        ) as client:
            await asyncio.gather(*(client.users.get("@alice:bench.org") for _ in range(1000)))

    asyncio.run(thousand())

    with FinChat(
        APP_ID, SECRET, base_url=BASE_URL, transport=httpx.MockTransport(slow_sync)
    ) as client:
        barrier = threading.Barrier(64)

        def call(_: int) -> None:
            barrier.wait()
            client.users.get("@alice:bench.org")

        with ThreadPoolExecutor(64) as pool:
            list(pool.map(call, range(64)))
    return counted["async"], counted["sync"]


def _interpreter(code: str, env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *options, "-c", code], capture_output=True, text=True, check=True, env=env
    )


def wall_seconds(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    _interpreter(code, env)
    return time.perf_counter() - started


def cumulative_import_seconds(module: str, env: dict[str, str]) -> float:
    """`-X importtime`'s cumulative figure of `module`: its import alone, start-up excluded."""
    stderr = _interpreter(f"import {module}", env, "-X", "importtime").stderr
    for line in stderr.splitlines():
        # "import time: self [us] | cumulative | imported package"; the top level is unindented.
        _, _, fields = line.partition("import time:")
        parts = [part.strip() for part in fields.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) / 1e6
    raise RuntimeError(f"-X importtime did not report {module}")


def import_times(runs: int, *, bytecode: bool) -> dict[str, tuple[float, float]]:
    """Median net import seconds of httpx and of finchat_wrapper, in fresh interpreters, by
    two measures: `-X importtime`'s cumulative figure, and the wall time of `import X` minus
    that of a bare interpreter (`python -c pass`), each run interleaved with the others.

    `bytecode`: as installed, with compiled bytecode cached for both (a private cache, warmed
    once); otherwise every module is compiled from source, as with PYTHONDONTWRITEBYTECODE=1.
    """
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
            _interpreter("import finchat_wrapper", env)  # writes the bytecode of both
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["PYTHONPYCACHEPREFIX"] = cache  # empty, and never written: compile everything
        figures: dict[str, list[float]] = {
            name: [] for name in ("bare", "httpx", "wrapper", "httpx_cum", "wrapper_cum")
        }
        for _ in range(runs):  # interleaved, so that load changes hit every figure alike
            figures["bare"].append(wall_seconds("pass", env))
            figures["httpx"].append(wall_seconds("import httpx", env))
            figures["wrapper"].append(wall_seconds("import finchat_wrapper", env))
            figures["httpx_cum"].append(cumulative_import_seconds("httpx", env))
            figures["wrapper_cum"].append(cumulative_import_seconds("finchat_wrapper", env))
    median = {name: statistics.median(values) for name, values in figures.items()}
    return {
        "cumulative -X importtime": (median["httpx_cum"], median["wrapper_cum"]),
        "wall minus python -c pass": (
            median["httpx"] - median["bare"],
            median["wrapper"] - median["bare"],
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per timed round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per side (best kept)")
    parser.add_argument("--imports", type=int, default=15, help="fresh interpreters per side")
    args = parser.parse_args()

    print(f"1. throughput, {args.calls} calls x {args.rounds} rounds, best round (calls/s)")
    print(f"   {'':32} {'raw httpx+json':>15} {'wrapper':>10} {'ratio':>7}  target")
    for name, raw, wrapped in throughput(args.calls, args.rounds):
        target = ">= 1.00" if "rev. 2" in name else ">= 0.80"
        print(f"   {name:32} {raw:15.0f} {wrapped:10.0f} {wrapped / raw:7.2f}  {target}")

    async_count, thread_count = cold_cache_token_requests()
    print("2. token requests on a cold cache (target exactly 1 each)")
    print(f"   1,000 concurrent async calls: {async_count}")
    print(f"   64 threads:                   {thread_count}")

    print(
        f"3. import time net of interpreter start-up, median of {args.imports} fresh interpreters"
        " each (target <= 1.20)"
    )
    print(f"   {'':32} {'measure':27} {'httpx':>9} {'finchat_wrapper':>16} {'ratio':>6}")
    for label, bytecode in (
        ("bytecode cached (as installed)", True),
        ("compiled from source", False),
    ):
        for measure, (httpx_s, wrapper_s) in import_times(args.imports, bytecode=bytecode).items():
            print(
                f"   {label:32} {measure:27} {httpx_s * 1000:6.1f} ms {wrapper_s * 1000:13.1f} ms "
                f"{wrapper_s / httpx_s:6.2f}"
            )
            label = ""


if __name__ == "__main__":
    main()
