"""What a user installs serves the page and the API reference: the wheel, built as a release
is, unpacked outside the checkout and run from there (its dependencies from this virtualenv)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

PROBE = """
import json, sys
import httpx
import finchat_wrapper
from finchat_wrapper.sandbox import Sandbox

with Sandbox() as sb:
    with httpx.Client(transport=sb.transport(), base_url=sb.base_url) as http:
        paths = ["/_sandbox/ui/", "/_sandbox/ui/app.js", "/_sandbox/ui/api/world",
                 "/_sandbox/reference/", "/_sandbox/reference/finchat.html",
                 "/_sandbox/reference/redoc.standalone.js"]
        answers = {p: [http.get(p).status_code, len(http.get(p).content)] for p in paths}
print(json.dumps({"package": finchat_wrapper.__file__, "answers": answers}))
"""


def test_the_wheel_carries_the_page_and_a_current_reference_and_serves_them(
    tmp_path: Path,
) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", tmp_path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = tmp_path.glob("finchat-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("finchat_wrapper/sandbox/_reference/manifest.json"))
    for name in ("index.html", "app.js", "render.js", "style.css"):
        assert f"finchat_wrapper/sandbox/_static/ui/{name}" in names
    for page in [*manifest["pages"], "redoc.standalone.js"]:
        assert f"finchat_wrapper/sandbox/_reference/{page}" in names
    # Built from the specs of this checkout, as they are now.
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "reference"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout

    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    away = tmp_path / "elsewhere"
    away.mkdir()
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=away,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout)
    assert found["package"].startswith(str(site))
    for path, (status, size) in found["answers"].items():
        assert status == 200, path
        assert size > 0, path
