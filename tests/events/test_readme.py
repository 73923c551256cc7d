"""The README's "Receiving events" code, as printed, passes `mypy --strict`: typed handlers need
no cast (`event.room_id` is a `str` in a message handler)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Receiving events"


def section_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.DOTALL)


def test_the_section_shows_the_webhook_the_search_and_the_poller() -> None:
    blocks = section_blocks()
    assert [
        any(name in block for block in blocks)
        for name in ("WebhookReceiver(", "@events.on_search", "EventPoller(")
    ] == [True, True, True]


def test_each_python_block_of_the_section_passes_mypy_strict(tmp_path: Path) -> None:
    paths = []
    for index, block in enumerate(section_blocks()):
        path = tmp_path / f"readme_receiving_{index}.py"
        path.write_text(block, encoding="utf-8")
        paths.append(str(path))
    assert len(paths) == 3
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,  # mypy's config and cache of the repository
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
