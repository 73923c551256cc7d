"""Benchmark of streaming uploads: the client's peak memory while uploading a 1 GiB file.

The sandbox runs in another process (this script with `--serve`) behind uvicorn on loopback, so
only the client's memory is measured here: the peak RSS (VmHWM, reset through
/proc/self/clear_refs) minus the RSS before the upload, for
- raw httpx streaming the file in 256 KiB chunks (the baseline: what streaming costs at all),
- `FinChat.media.upload(path)` and `AsyncFinChat.media.upload(path)`.
Target: growth <= 16 MiB. The sandbox checks what it stored: size and SHA-256 must match.

Usage: scripts/bench media [--size-mib N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

CHUNK = 256 * 1024
UPLOAD_PATH = "/api/v1/finchat/open-api/media/upload"


# ---- the sandbox process ------------------------------------------------------------------------


def serve(max_upload_bytes: int) -> None:
    """Serve a sandbox; print its settings as one JSON line; answer `media URI` lines on stdin
    with the stored size, SHA-256 and type (then forget the bytes), until stdin closes."""
    from finchat_wrapper.sandbox import Sandbox, serve

    # The three uploads of a run are all held until they are checked at the end.
    media = 4 * max_upload_bytes
    with (
        Sandbox(max_upload_bytes=max_upload_bytes, max_media_bytes=media) as sb,
        serve(sb) as base_url,
    ):
        print(json.dumps({"base_url": base_url, "app_id": sb.app_id, "secret": sb.secret}))
        sys.stdout.flush()
        for line in sys.stdin:
            uri = line.split()[1]
            data, content_type = sb.media(uri)
            answer = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            print(json.dumps({**answer, "content_type": content_type}), flush=True)
            # 1 GiB per upload: drop it, so the sandbox process stays small too.
            sb.state.media_store.pop(uri)
            sb.state.world.media[:] = [m for m in sb.state.world.media if m.content_uri != uri]
            del data
            gc.collect()


class SandboxProcess:
    def __init__(self, max_upload_bytes: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(max_upload_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.settings: dict[str, str] = json.loads(self.proc.stdout.readline())

    def stored(self, uri: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write(f"media {uri}\n")
        self.proc.stdin.flush()
        result: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return result

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# ---- measuring ---------------------------------------------------------------------------------


def _status_kib(name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {name} in /proc/self/status")


def start_measure() -> int:
    """Reset the peak RSS to the current RSS; return that RSS in KiB."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")
    return _status_kib("VmRSS")


def peak_growth_mib(base_kib: int) -> float:
    return (_status_kib("VmHWM") - base_kib) / 1024


def file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def raw_upload(http: httpx.Client, token: str, app_id: str, path: Path) -> str:
    response = http.post(
        UPLOAD_PATH,
        params={"app_id": app_id},
        content=file_chunks(path),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/octet-stream",
            "Content-Length": str(path.stat().st_size),
        },
    )
    response.raise_for_status()
    uri: str = response.json()["content_uri"]
    return uri


def measure(name: str, upload: Callable[[], str]) -> tuple[str, float, float, str]:
    base = start_measure()
    started = time.perf_counter()
    uri = upload()
    seconds = time.perf_counter() - started
    return name, peak_growth_mib(base), seconds, uri


def run(size: int) -> None:
    from finchat_wrapper import AsyncFinChat, FinChat

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.bin"
        with path.open("wb") as fh:
            fh.truncate(size)  # sparse: no disk space, reads as zeros
        small = Path(tmp) / "small.bin"
        small.write_bytes(b"warm-up" * 1000)
        server = SandboxProcess(size + 1)
        settings = server.settings
        kwargs: dict[str, Any] = {"base_url": settings["base_url"], "timeout": 300.0}
        rows = []
        try:
            with FinChat(settings["app_id"], settings["secret"], **kwargs) as client:
                client.media.upload(small)  # warm-up: imports, token, connection
                token = client.auth.token().value
                # The baseline first: the sandbox's first 1 GiB costs it the most.
                with httpx.Client(base_url=settings["base_url"], timeout=300.0) as http:
                    raw_upload(http, token, settings["app_id"], small)
                    rows.append(
                        measure(
                            "raw httpx, streamed",
                            lambda: raw_upload(http, token, settings["app_id"], path),
                        )
                    )
                rows.append(measure("FinChat.media.upload", lambda: client.media.upload(path)))

            async def async_rows() -> tuple[str, float, float, str]:
                async with AsyncFinChat(settings["app_id"], settings["secret"], **kwargs) as ac:
                    await ac.media.upload(small)
                    base = start_measure()
                    started = time.perf_counter()
                    uri = await ac.media.upload(path)
                    seconds = time.perf_counter() - started
                    return "AsyncFinChat.media.upload", peak_growth_mib(base), seconds, uri

            rows.append(asyncio.run(async_rows()))
            expected = hashlib.sha256()
            for chunk in file_chunks(path):
                expected.update(chunk)
            checks = [server.stored(uri) for *_, uri in rows]
        finally:
            server.close()
    mib = size / 2**20
    print(f"upload of a {mib:,.0f} MiB file to the sandbox in another process over loopback")
    print(
        f"   {'':28} {'peak RSS growth':>16} {'vs raw':>10} {'seconds':>8} {'MiB/s':>6} "
        f"{'time vs raw':>11}"
    )
    raw_growth, raw_seconds = rows[0][1], rows[0][2]
    for (name, growth, seconds, _), stored in zip(rows, checks, strict=True):
        ok = stored["size"] == size and stored["sha256"] == expected.hexdigest()
        # Growths below a MiB are noise: the difference says more than a ratio.
        print(
            f"   {name:28} {growth:12.1f} MiB {growth - raw_growth:+6.1f} MiB {seconds:8.2f} "
            f"{mib / seconds:6.0f} {seconds / raw_seconds:11.2f}  "
            f"{'stored exactly' if ok else 'STORED BYTES DIFFER'} ({stored['content_type']})"
        )
    worst = max(growth for _, growth, _, _ in rows[1:])
    verdict = "met" if worst <= 16 else "MISSED"
    print(f"   target: growth <= 16 MiB for the wrapper: {verdict} (worst {worst:.1f} MiB)")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="file size (default 1024)")
    args = parser.parse_args()
    if not os.path.exists("/proc/self/clear_refs"):
        sys.exit("this benchmark reads Linux's /proc/self/status and clear_refs")
    run(args.size_mib * 2**20)


if __name__ == "__main__":
    main()
