"""`finchat sandbox`: serves on 127.0.0.1 and prints what a developer pastes."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from finchat_wrapper._cli.sandbox import sandbox
from finchat_wrapper.sandbox import World

FINCHAT = Path(sys.executable).with_name("finchat")


@pytest.mark.network
def test_serves_a_world_file_and_prints_credentials(tmp_path: Path) -> None:
    world = World.default()
    world.users[3].profile["name"] = "from the file"
    path = tmp_path / "world.yaml"
    world.dump(path)
    proc = subprocess.Popen(
        [str(FINCHAT), "sandbox", "--port", "0", "--world", str(path)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(6)]
        base_url = re.search(r"http://127\.0\.0\.1:\d+", lines[0])
        assert base_url is not None
        assert lines[2].strip() == "FINCHAT_APP_ID=5cf29aec6ccfd004ccd28075"
        assert lines[3].strip() == "FINCHAT_SECRET=90fa4652-5cd1-4280-ae20-e3d381f9b1fa"
        # The page to open in a browser, and the API reference beside it.
        ui = re.search(r"http://\S+/_sandbox/ui/", lines[4])
        assert ui is not None
        assert ui.group(0) == f"{base_url.group(0)}/_sandbox/ui/"
        page = httpx.get(ui.group(0))
        assert page.status_code == 200
        assert "<title>FinChat sandbox</title>" in page.text
        assert lines[5].split()[-1] == f"{base_url.group(0)}/_sandbox/reference/"
        with httpx.Client(base_url=base_url.group(0)) as client:
            token = client.post(
                "/api/v1/finchat/open-api/auth/token",
                json={
                    "app_id": "5cf29aec6ccfd004ccd28075",
                    "secret": "90fa4652-5cd1-4280-ae20-e3d381f9b1fa",
                },
            ).json()["app_access_token"]
            user = client.get(
                f"/api/v1/finchat/open-api/users/{world.users[3].fcid}",
                params={"app_id": "5cf29aec6ccfd004ccd28075"},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert user.json()["name"] == "from the file"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()
    assert code == 130  # interrupted, as for every finchat command


def test_a_malformed_world_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text("{not json")
    result = CliRunner().invoke(sandbox, ["--world", str(path), "--port", "0"])
    assert result.exit_code == 2
    assert "world.json: not valid json" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.network
def test_a_port_in_use_is_one_line_naming_it_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(sandbox, ["--port", str(port)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


@pytest.mark.network
def test_json_prints_one_line_of_settings() -> None:
    proc = subprocess.Popen(
        [str(FINCHAT), "sandbox", "--port", "0", "--json"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        settings = json.loads(proc.stdout.readline())
        assert settings["app_id"] == "5cf29aec6ccfd004ccd28075"
        assert settings["simulation"] == settings["base_url"] + "/_sandbox/"
        assert settings["ui"] == settings["base_url"] + "/_sandbox/ui/"
        assert settings["reference"] == settings["base_url"] + "/_sandbox/reference/"
        assert httpx.get(settings["simulation"] + "stats").json() == {}
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_help_says_why_the_secret_is_printed() -> None:
    result = CliRunner().invoke(sandbox, ["--help"])
    assert "grants nothing on any real FinChat deployment" in " ".join(result.output.split())


def test_a_host_that_is_not_loopback_gets_a_clear_warning_first() -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then the bind
    # fails, so nothing is exposed.
    result = CliRunner().invoke(sandbox, ["--host", "192.0.2.1", "--port", "0"])
    assert result.exit_code == 2
    assert "192.0.2.1, not on a loopback address" in result.output
    assert "every app's secret" in result.output


def test_the_media_limit_is_an_option() -> None:
    result = CliRunner().invoke(sandbox, ["--max-media-mib", "0"])
    assert result.exit_code == 2
    assert "--max-media-mib" in result.output
