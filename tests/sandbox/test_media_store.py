"""Media has a total limit as well as a per-upload one, and the state export, which encodes every
file, streams from a worker thread instead of holding the event loop."""

from __future__ import annotations

import base64
import json
import threading

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox, serve

from .conftest import API, get_token

KiB = 1024


async def _upload(
    http: httpx.AsyncClient, sandbox: Sandbox, token: str, size: int
) -> httpx.Response:
    return await http.post(
        f"{API}/media/upload",
        params={"app_id": sandbox.app_id},
        content=b"\x89PNG\r\n\x1a\n" + bytes(size - 8),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"},
    )


async def test_uploads_stop_at_the_total_limit_with_a_clear_error() -> None:
    with Sandbox(max_upload_bytes=100 * KiB, max_media_bytes=250 * KiB) as sandbox:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with httpx.AsyncClient(transport=transport, base_url=sandbox.base_url) as http:
            token = await get_token(http, sandbox.app_id, sandbox.secret)
            assert (await _upload(http, sandbox, token, 100 * KiB)).status_code == 200
            assert (await _upload(http, sandbox, token, 100 * KiB)).status_code == 200
            full = await _upload(http, sandbox, token, 100 * KiB)
            assert full.status_code == 500
            assert full.json()["errcode"] == "FC_INTERNAL_ERROR"
            assert "media store is full" in full.json()["error"]
            assert "max_media_bytes" in full.json()["error"]
            # What still fits is taken.
            assert (await _upload(http, sandbox, token, 40 * KiB)).status_code == 200
        assert sandbox.state.media_bytes() <= 250 * KiB
        assert sandbox.internal_errors == []


def test_the_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="max_media_bytes"):
        Sandbox(max_media_bytes=0)


async def test_the_streamed_export_is_the_world_file_format(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    for size in (1, 3 * 1024 * 1024 + 1):  # one piece, and more than one
        await http.post(
            f"{API}/media/upload",
            params={"app_id": sandbox.app_id},
            content=bytes(range(256)) * (size // 256) + b"x" * (size % 256),
            headers={**auth, "Content-Type": "application/octet-stream"},
        )
    response = await http.get("/_sandbox/state")
    assert response.status_code == 200
    assert response.json() == sandbox.export_state()


@pytest.mark.network
def test_the_event_loop_answers_other_requests_while_the_export_encodes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoding = threading.Event()
    release = threading.Event()
    real = base64.b64encode

    def held(data: bytes) -> bytes:
        # The export's encoding stops here until the test has seen another answer come back.
        encoding.set()
        release.wait(30)
        return real(data)

    with Sandbox() as sandbox, serve(sandbox) as base_url, httpx.Client(base_url=base_url) as http:
        monkeypatch.setattr(base64, "b64encode", held)
        export: list[httpx.Response] = []
        exporter = threading.Thread(
            target=lambda: export.append(http.get("/_sandbox/state", timeout=60))
        )
        exporter.start()
        try:
            assert encoding.wait(30), "the export never started encoding"
            # While the encoding is held, the loop must still be free to serve.
            assert http.get("/_sandbox/stats", timeout=10).status_code == 200
        finally:
            release.set()
            exporter.join(60)
        monkeypatch.undo()
        [response] = export
        assert response.status_code == 200
        assert json.loads(response.content) == sandbox.export_state()
