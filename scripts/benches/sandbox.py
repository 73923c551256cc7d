"""Requests per second of the sandbox against the Prism mock server, same spec, same load, one run.

Both servers run as their own processes on 127.0.0.1 and serve `openapi/finchat.yaml`; one
load generator (asyncio, raw keep-alive HTTP/1.1 sockets, no client library in the way) drives
each in turn with the same mix of requests for the same duration: a token request, a text sent to
a room, a user profile, an authority lookup, and the operations of revision 2: a room's detail,
the room list, a room's topic changed, a department with its sub-departments' members, the
organizations of a type, the app's visibility and a webhook send. Prism only checks that a Bearer
header is there; the sandbox validates everything and keeps state, so its token is a real one.

    scripts/bench sandbox [--seconds 5] [--connections 16] [--rounds 3]

The machine is shared and noisy, so the two servers are measured in alternating rounds and each
one's median round is reported: a burst of load from elsewhere hits both, not one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "finchat.yaml"
APP_ID = "5cf29aec6ccfd004ccd28075"
SECRET = "90fa4652-5cd1-4280-ae20-e3d381f9b1fa"  # noqa: S105 - the document's published sandbox secret
API = "/api/v1/finchat/open-api"
ROOM = "%21112321588723954859%3Aexample.org"
DEPARTMENT = "55c22c00-09e9-11ea-ab7d-a15ba0c1027b"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn; from finchat_wrapper.sandbox import Sandbox; "
        f"uvicorn.run(Sandbox().app, host='127.0.0.1', port={port}, log_level='warning', "
        "access_log=False, lifespan='off')"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True)


def start_prism(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["npx", "--no-install", "prism", "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def request(method: str, path: str, token: str | None, body: object | None = None) -> bytes:
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(payload)}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def workload(token: str) -> list[bytes]:
    return [
        request("POST", f"{API}/auth/token", None, {"app_id": APP_ID, "secret": SECRET}),
        request(
            "POST",
            f"{API}/message/send",
            token,
            {
                "app_id": APP_ID,
                "room_ids": ["!112321588723954859:example.org"],
                "content": {"msgtype": "m.text", "body": "hello world"},
            },
        ),
        request("GET", f"{API}/users/%40linian002%3Adev.finogeeks.club?app_id={APP_ID}", token),
        request(
            "GET",
            f"{API}/contact/get-users-by-authority?authority_name=admin&app_id={APP_ID}",
            token,
        ),
        request("GET", f"{API}/rooms/{ROOM}?app_id={APP_ID}", token),
        request("GET", f"{API}/rooms?app_id={APP_ID}", token),
        request("PUT", f"{API}/rooms/{ROOM}", token, {"app_id": APP_ID, "topic": "weekly"}),
        request(
            "GET",
            f"{API}/contact/departments/{DEPARTMENT}?app_id={APP_ID}&include_sub_departments=true",
            token,
        ),
        request(
            "GET",
            f"{API}/contact/get-organizations-by-type"
            f"?app_id={APP_ID}&fcid=%40alice%3Aexample.org&organization_type=3",
            token,
        ),
        request("GET", f"{API}/apps/{APP_ID}/visibility", token),
        request(
            "POST",
            f"{API}/message/webhook/send",
            token,
            {
                "app_id": APP_ID,
                "webhook_id": "5df29mec9ccfd002ccd28076",
                "content": {"msgtype": "m.text", "body": "disk 90%"},
            },
        ),
    ]


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        key = name.strip().lower()
        if key == b"content-length":
            length = int(value.strip())
        elif key == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def connection(
    port: int, requests: list[bytes], until: float, counts: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.monotonic() < until:
            writer.write(requests[i % len(requests)])
            i += 1
            status = await read_response(reader)
            counts[status] = counts.get(status, 0) + 1
    finally:
        writer.close()


async def warm_up(port: int, requests: list[bytes], connections: int) -> None:
    # Caches, lazy imports and Prism's JIT before anything is measured.
    await asyncio.gather(
        *(connection(port, requests, time.monotonic() + 1.0, {}) for _ in range(connections))
    )


async def load(
    port: int, requests: list[bytes], seconds: float, connections: int
) -> tuple[float, dict[int, int]]:
    counts: dict[int, int] = {}
    started = time.monotonic()
    await asyncio.gather(
        *(connection(port, requests, started + seconds, counts) for _ in range(connections))
    )
    elapsed = time.monotonic() - started
    return sum(counts.values()) / elapsed, counts


async def sandbox_token(port: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request("POST", f"{API}/auth/token", None, {"app_id": APP_ID, "secret": SECRET}))
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    body = json.loads(await reader.readexactly(length))
    writer.close()
    token: str = body["app_access_token"]
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    rounds: dict[str, list[tuple[float, dict[int, int]]]] = {"prism": [], "sandbox": []}
    sandbox_port, prism_port = free_port(), free_port()
    sandbox = start_sandbox(sandbox_port)
    prism = start_prism(prism_port)
    try:
        wait_listening(sandbox_port, sandbox)
        wait_listening(prism_port, prism)
        token = asyncio.run(sandbox_token(sandbox_port))
        ports = {"prism": prism_port, "sandbox": sandbox_port}
        for port in ports.values():
            asyncio.run(warm_up(port, workload(token), args.connections))
        for _ in range(args.rounds):
            for name, port in ports.items():
                rounds[name].append(
                    asyncio.run(load(port, workload(token), args.seconds, args.connections))
                )
    finally:
        stop(sandbox)
        stop(prism)

    print(
        f"sandbox vs Prism: {args.connections} keep-alive connections, {args.rounds} alternating "
        f"rounds of {args.seconds:g} s, mix of token / send / get_user / get_users_by_authority"
        " / get_room / list_rooms / update_room / get_department / get_organizations_by_type"
        " / get_app_visibility / send_webhook_message"
    )
    medians: dict[str, float] = {}
    for name, measured in rounds.items():
        rates = sorted(rps for rps, _ in measured)
        medians[name] = rates[len(rates) // 2]
        statuses: dict[int, int] = {}
        for _, counts in measured:
            for status, n in counts.items():
                statuses[status] = statuses.get(status, 0) + n
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        each = " / ".join(f"{rps:.0f}" for rps, _ in measured)
        print(f"  {name:8} {medians[name]:7.0f} req/s median  (rounds {each}; statuses {shown})")
    ratio = medians["sandbox"] / medians["prism"]
    print(f"  ratio    {ratio:9.2f} x Prism (target >= 4x)")


if __name__ == "__main__":
    main()
