"""The code blocks of README.md, and how the tests run them as a reader would.

Every fenced block is found (markdown-it, with its line); a `python` block is a file of its own:
named by its first line when that is a `# name.py` comment (so that other blocks import it, as
`mybot.py` is), `block_<line>.py` otherwise. The walk-through (`sh` block under "Your bot
against the sandbox") is run line by line by `run_walkthrough`, as a person types it in three
terminals: a line ending in `&` starts a server, and the next line waits until it listens.

What a block may count on when it runs (`environment`): a running sandbox's `FINCHAT_APP_ID`,
`FINCHAT_SECRET`, `FINCHAT_BASE_URL` and `FINCHAT_WEBHOOK_TOKEN`, a `COOKIE_KEY`, and in its
directory the files the README names: `report.pdf`, `chart.png`.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
WALKTHROUGH = "Your bot against the sandbox"


@dataclass(frozen=True)
class Block:
    language: str
    line: int  # of the opening fence, 1-based
    text: str
    section: str

    @property
    def filename(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        named = re.fullmatch(r"# ([a-z_][a-z0-9_]*\.py)", first.strip())
        return named.group(1) if named else f"block_{self.line}.py"

    @property
    def runs_until_stopped(self) -> bool:
        """A bot that runs until it is stopped (its line says so: `# until stop() or cancelled`):
        run for a while, until it has done its work, then interrupted."""
        return "# until stop() or cancelled" in self.text

    @property
    def is_test(self) -> bool:
        return re.search(r"^(async )?def test_", self.text, re.MULTILINE) is not None

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.section})"


def blocks(path: Path = README) -> list[Block]:
    """Every fenced code block, in order, with the heading it is under."""
    tokens = MarkdownIt().parse(path.read_text(encoding="utf-8"))
    found: list[Block] = []
    section = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            section = tokens[index + 1].content
        elif token.type == "fence" and token.map is not None:
            language = token.info.split()[0] if token.info.strip() else ""
            found.append(Block(language, token.map[0] + 1, token.content, section))
    return found


def python_blocks(path: Path = README) -> list[Block]:
    return [block for block in blocks(path) if block.language == "python"]


def write_blocks(directory: Path, path: Path = README) -> list[Path]:
    """Each python block as its file in `directory`; the paths, in README order."""
    written = []
    for block in python_blocks(path):
        target = directory / block.filename
        if target.exists():
            raise AssertionError(f"{block}: a second block named {block.filename}")
        target.write_text(block.text, encoding="utf-8")
        written.append(target)
    return written


def sample_files(directory: Path) -> None:
    """The files the README's examples name, in the directory they run in."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    (directory / "chart.png").write_bytes(png + chunk(b"IEND", b""))
    (directory / "report.pdf").write_bytes(b"%PDF-1.4\n% a report\n%%EOF\n")


def environment(base_url: str, app_id: str, secret: str) -> dict[str, str]:
    return {
        **os.environ,
        "FINCHAT_BASE_URL": base_url,
        "FINCHAT_APP_ID": app_id,
        "FINCHAT_SECRET": secret,
        "FINCHAT_WEBHOOK_TOKEN": "webhook-token-of-the-readme",
        "COOKIE_KEY": "k" * 32,
    }


# ---- the walk-through ---------------------------------------------------------------------------


def walkthrough(path: Path = README) -> tuple[Block, Block]:
    """The walk-through's commands and the output it shows."""
    found = [b for b in blocks(path) if b.section == WALKTHROUGH]
    commands = [b for b in found if b.language == "sh"]
    shown = [b for b in found if b.language == "text"]
    assert len(commands) == 1, f"one sh block under {WALKTHROUGH!r}, found {len(commands)}"
    assert len(shown) == 1, f"one text block (the output) under {WALKTHROUGH!r}"
    return commands[0], shown[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Walk:
    output: str  # what the foreground commands printed
    servers: str  # what the servers printed


def run_walkthrough(
    directory: Path, env: Mapping[str, str], *, ports: Mapping[int, int], timeout: float = 60.0
) -> Walk:
    """Run the walk-through's lines in `directory` with bash, `ports` (README port -> free port)
    swapped in. Servers are stopped at the end; their output is returned with the rest's."""
    commands, _ = walkthrough()
    text = commands.text
    for printed, free in ports.items():
        text = re.sub(rf"\b{printed}\b", str(free), text)
    exports: list[str] = []
    servers: list[subprocess.Popen[str]] = []
    logs: list[Path] = []
    output: list[str] = []
    try:
        for line in _lines(text):
            if line.startswith("export "):
                exports.append(line)
                continue
            script = "\n".join([*exports, line.removesuffix("&").strip()])
            if line.endswith("&"):
                log = directory / f"server-{len(servers)}.log"
                logs.append(log)
                with log.open("w") as handle:
                    servers.append(
                        subprocess.Popen(
                            ["bash", "-c", f"exec {script}" if "\n" not in script else script],
                            cwd=directory, env=dict(env), stdout=handle,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                        )
                    )  # fmt: skip
                _wait_for(_port_of(line), servers[-1], log, timeout)
            else:
                done = subprocess.run(
                    ["bash", "-c", script], cwd=directory, env=dict(env), capture_output=True,
                    text=True, timeout=timeout, check=False,
                )  # fmt: skip
                output.append(done.stdout + done.stderr)
                assert done.returncode == 0, f"{line!r} exited {done.returncode}: {output[-1]}"
    finally:
        for server in servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGINT)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
    return Walk("".join(output), "".join(log.read_text() for log in logs))


def normalized(text: str) -> list[str]:
    """The lines of an output, its generated event ids made alike (to compare with the README)."""
    return [re.sub(r"\$\w+:", "$EVENT:", line).rstrip() for line in text.strip().splitlines()]


def _lines(text: str) -> Iterator[str]:
    for raw in text.splitlines():
        line = _strip_comment(raw).strip()
        if line:
            yield line


def _strip_comment(line: str) -> str:
    # A `#` after a space starts a comment outside quotes, as in the shell.
    quoted = False
    quote = ""
    for index, char in enumerate(line):
        if quoted:
            if char == quote:
                quoted = False
        elif char in "'\"":
            quoted, quote = True, char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line


def _port_of(line: str) -> int:
    found = re.search(r"--port (\d+)", line)
    assert found is not None, f"a server line names its --port: {line!r}"
    return int(found.group(1))


def _wait_for(port: int, server: subprocess.Popen[str], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _listening(port):
        if server.poll() is not None:
            raise AssertionError(f"the server of port {port} ended: {log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing listens on port {port} after {timeout} s")
        time.sleep(0.05)
