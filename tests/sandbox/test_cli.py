"""`finchat sandbox`: serves on 127.0.0.1 and prints what a developer pastes."""

from __future__ import annotations

import os
import re
import signal
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
        lines = [proc.stdout.readline() for _ in range(4)]
        base_url = re.search(r"http://127\.0\.0\.1:\d+", lines[0])
        assert base_url is not None
        assert lines[2].strip() == "FINCHAT_APP_ID=5cf29aec6ccfd004ccd28075"
        assert lines[3].strip() == "FINCHAT_SECRET=90fa4652-5cd1-4280-ae20-e3d381f9b1fa"
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
    assert code == 0


def test_a_malformed_world_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text("{not json")
    result = CliRunner().invoke(sandbox, ["--world", str(path), "--port", "0"])
    assert result.exit_code == 1
    assert "world.json: not valid json" in result.output


def test_help_says_why_the_secret_is_printed() -> None:
    result = CliRunner().invoke(sandbox, ["--help"])
    assert "grants nothing on any real FinChat deployment" in " ".join(result.output.split())
