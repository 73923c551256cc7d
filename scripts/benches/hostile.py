"""Benchmark of the client against hostile servers: memory against huge answers, time against a
trickle, and (when `chaos.py` is there) the fleet's recovery after Redis stalls.

The hostile server of `tests/hostile/` runs in another process (this script with `--serve`)
behind uvicorn on loopback, so only the client's memory is measured here: the peak RSS (VmHWM,
reset through /proc/self/clear_refs) minus the RSS before the call. Measured in one run:

- a 1 GiB plain answer and a gzip bomb (about 1 MiB on the wire, 1 GiB decompressed) to
  `users.get`, through `FinChat` and `AsyncFinChat` with the default `max_response_bytes`
  (16 MiB). Target: growth <= max_response_bytes + 16 MiB. Baseline: a careful raw httpx caller
  that streams the body and stops at the same limit (httpx still decompresses each network
  chunk whole).
- a server that sends its headers, then one byte every 0.5 s: the wall time of a call with
  `timeout=2` and `RetryPolicy(deadline=3)`, sync and async. Target: <= deadline + 1 s.
  Baseline: raw httpx with the same timeout, which waits for the whole trickle.
- the fleet's recovery after a 3 s Redis stall at each store operation: the rows of
  `scripts/benches/chaos.py` (its `rows()`, laid out by its `format_rows()`), when it exists.

Usage: scripts/bench hostile [--trickle-seconds N]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import importlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024
GiB = 1024 * MiB
FCID = "@alice:hostile.test"
USER_PATH = f"/api/v1/finchat/open-api/users/{FCID}"
TRICKLE_INTERVAL = 0.5
DEADLINE = 3.0
TIMEOUT = 2.0


# ---- the server process ----------------------------------------------------------------------


def serve() -> None:
    """Serve the hostile server; print its URL as one JSON line; on each stdin line
    `ROUTE BEHAVIOUR [ARG]` install a behaviour and answer `ok`, until stdin closes."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile.conftest import correct, giant, gzip_bomb, gzip_of_zeros, running, trickle

    gzip_of_zeros(GiB)  # built before the first request
    behaviours: dict[str, Callable[[str], Any]] = {
        "giant": lambda arg: giant(int(arg)),
        "bomb": lambda arg: gzip_bomb(int(arg)),
        "trickle": lambda arg: trickle(TRICKLE_INTERVAL, total=int(arg)),
        "correct": lambda arg: correct,
    }
    with running("hostile") as server:
        print(json.dumps({"base_url": server.base_url}), flush=True)
        for line in sys.stdin:
            route, name, *arg = line.split()
            server.on(route, behaviours[name](arg[0] if arg else ""))
            print("ok", flush=True)


class ServerProcess:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.base_url: str = json.loads(self.proc.stdout.readline())["base_url"]

    def behave(self, route: str, name: str, arg: object = "") -> None:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(f"{route} {name} {arg}\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "ok"

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# ---- measuring -------------------------------------------------------------------------------


def _status_kib(name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {name} in /proc/self/status")


def peak_growth_mib(call: Callable[[], object]) -> tuple[float, str]:
    """(peak RSS growth in MiB during `call()`, how it ended)."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")  # the peak RSS starts again from the current RSS
    base = _status_kib("VmRSS")
    try:
        call()
        outcome = "read whole"
    except Exception as exc:
        outcome = type(exc).__name__
    return (_status_kib("VmHWM") - base) / 1024, outcome


def raw_careful(base_url: str, limit: int) -> None:
    """What a careful httpx caller does: stream the body, keep it (to parse it), stop past the
    limit. httpx decompresses each network chunk whole, though."""
    with (
        httpx.Client(base_url=base_url, timeout=60) as http,
        http.stream("GET", USER_PATH) as response,
    ):
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ValueError("over the limit")


def wall(call: Callable[[], object]) -> tuple[float, str]:
    started = time.monotonic()
    try:
        call()
        outcome = "answered"
    except Exception as exc:
        outcome = type(exc).__name__
    return time.monotonic() - started, outcome


def chaos_lines() -> list[str] | None:
    """The rows of `chaos.py` beside this file as lines, or None when it is not there (yet).

    Its `rows()` measures them; its `format_rows(rows)`, when it has one, lays them out."""
    if not Path(__file__).with_name("chaos.py").exists():
        return None
    sys.path.insert(0, str(Path(__file__).parent))
    module = importlib.import_module("chaos")
    measure = getattr(module, "rows", None) or getattr(module, "chaos_rows", None)
    if not callable(measure):
        raise RuntimeError("scripts/benches/chaos.py has no rows() function")
    measured = list(measure())
    layout = getattr(module, "format_rows", None)
    if callable(layout):
        return str(layout(measured)).splitlines()
    return [_line(row) for row in measured]


def _line(row: Any) -> str:
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        row = dataclasses.asdict(row)
    if isinstance(row, str):
        return row
    if isinstance(row, dict):
        return "  ".join(f"{key}={value}" for key, value in row.items())
    if isinstance(row, list | tuple):
        return "  ".join(str(cell) for cell in row)
    return str(row)


# ---- the run ---------------------------------------------------------------------------------

CREDENTIALS = ("app1", "hostile-bench-secret")
CLIENTS = ("raw httpx, streamed, stops at the limit", "FinChat.users.get", "AsyncFinChat.users.get")


def _calls(base_url: str, **kwargs: Any) -> dict[str, tuple[Callable[[], object], ...]]:
    """Per client: (a warm-up call, the measured call)."""
    from finchat_wrapper import AsyncFinChat, FinChat
    from finchat_wrapper._constants import DEFAULT_MAX_RESPONSE_BYTES

    sync = FinChat(*CREDENTIALS, base_url=base_url, **kwargs)

    async def ainvoke(method: str) -> object:
        async with AsyncFinChat(*CREDENTIALS, base_url=base_url, **kwargs) as client:
            await client.users.friendships(FCID)  # warm, then the call
            return await getattr(client.users, method)(FCID)

    return {
        CLIENTS[0]: (
            lambda: httpx.get(f"{base_url}/api/v1/finchat/open-api/users/{FCID}/friendships"),
            lambda: raw_careful(base_url, DEFAULT_MAX_RESPONSE_BYTES),
        ),
        CLIENTS[1]: (lambda: sync.users.friendships(FCID), lambda: sync.users.get(FCID)),
        CLIENTS[2]: (
            lambda: asyncio.run(ainvoke("friendships")),
            lambda: asyncio.run(ainvoke("get")),
        ),
    }


def measure_memory(client: str, base_url: str) -> None:
    """In a fresh process (so no earlier answer's freed memory hides this one's): warm up, then
    print the peak RSS growth of one call as JSON."""
    warm, call = _calls(base_url)[client]
    warm()
    growth, outcome = peak_growth_mib(call)
    print(json.dumps({"growth": growth, "outcome": outcome}))


def _measured_apart(client: str, base_url: str) -> tuple[float, str]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure-memory", client, base_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["growth"], result["outcome"]


def run(trickle_seconds: float) -> None:
    from finchat_wrapper import RetryPolicy
    from finchat_wrapper._constants import DEFAULT_MAX_RESPONSE_BYTES

    limit = DEFAULT_MAX_RESPONSE_BYTES
    server = ServerProcess()
    base_url = server.base_url
    memory_rows = []
    trickle_rows = []
    try:
        for label, behaviour, arg in (
            ("1 GiB plain body", "giant", GiB),
            ("gzip bomb, 1 GiB decoded", "bomb", GiB),
        ):
            server.behave("user", behaviour, arg)
            for client in CLIENTS:
                memory_rows.append((label, client, *_measured_apart(client, base_url)))

        total = int(trickle_seconds / TRICKLE_INTERVAL)
        server.behave("user", "trickle", total)
        baseline: list[tuple[float, str]] = []

        def raw_trickle() -> None:
            with httpx.Client(base_url=base_url, timeout=TIMEOUT) as http:
                http.get(USER_PATH).read()

        # The baseline waits for the whole trickle: it runs beside the wrapper's calls.
        waiter = threading.Thread(target=lambda: baseline.append(wall(raw_trickle)))
        waiter.start()
        calls = _calls(base_url, timeout=TIMEOUT, retry_policy=RetryPolicy(deadline=DEADLINE))
        for client in CLIENTS[1:]:
            warm, call = calls[client]
            warm()
            trickle_rows.append((client, *wall(call)))
        waiter.join()
        trickle_rows.insert(0, (f"raw httpx, timeout={TIMEOUT:g}", *baseline[0]))
    finally:
        server.close()
    chaos = chaos_lines()

    target = limit / MiB + 16
    print("answers of 1 GiB from a server in another process over loopback, each client")
    print(
        f"measured in a fresh process; max_response_bytes = {limit // MiB} MiB, "
        f"target growth <= {target:g} MiB"
    )
    print(f"   {'answer':26} {'client':42} {'peak RSS growth':>16} {'vs raw':>10}  outcome")
    baseline_growth: dict[str, float] = {}
    worst = 0.0
    for label, client, growth, outcome in memory_rows:
        raw = baseline_growth.setdefault(label, growth)
        if client != CLIENTS[0]:
            worst = max(worst, growth)
        print(f"   {label:26} {client:42} {growth:12.1f} MiB {growth - raw:+6.1f} MiB  {outcome}")
    print(f"   target met: {'yes' if worst <= target else 'NO'} (worst {worst:.1f} MiB)")
    print()
    print(
        f"headers, then one byte every {TRICKLE_INTERVAL:g} s for {trickle_seconds:g} s; "
        f"timeout={TIMEOUT:g} s, deadline={DEADLINE:g} s; target: wall <= {DEADLINE + 1:g} s"
    )
    print(f"   {'client':42} {'wall':>8} {'vs deadline':>12}  outcome")
    for client, seconds, outcome in trickle_rows:
        print(f"   {client:42} {seconds:6.2f} s {seconds / DEADLINE:11.2f}x  {outcome}")
    slowest = max(seconds for _, seconds, _ in trickle_rows[1:])
    print(f"   target met: {'yes' if slowest <= DEADLINE + 1 else 'NO'} (slowest {slowest:.2f} s)")
    print()
    if chaos is None:
        print("fleet recovery after Redis stalls: scripts/benches/chaos.py is not there yet")
    else:
        print(
            "fleet recovery after a 3 s Redis stall at each store operation "
            "(scripts/benches/chaos.py)"
        )
        for line in chaos:
            print(f"   {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure-memory", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--trickle-seconds", type=float, default=20.0)
    args = parser.parse_args()
    if args.serve:
        serve()
    elif args.measure_memory:
        measure_memory(*args.measure_memory)
    else:
        run(args.trickle_seconds)


if __name__ == "__main__":
    main()
