from __future__ import annotations

import json
from pathlib import Path

import pytest

from finchat_wrapper.events import (
    CursorStore,
    CursorStoreError,
    FileCursorStore,
    MemoryCursorStore,
)

from .cursor_conformance import CursorStoreConformance, DurableCursorStoreConformance


class TestMemoryCursorStore(CursorStoreConformance):
    @pytest.fixture
    def store(self) -> CursorStore:
        return MemoryCursorStore()


class TestFileCursorStore(DurableCursorStoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> CursorStore:
        return FileCursorStore(tmp_path / "state" / "bot.cursor")

    @pytest.fixture
    def reopened(self, tmp_path: Path) -> CursorStore:
        return FileCursorStore(tmp_path / "state" / "bot.cursor")


async def test_a_memory_store_may_start_from_a_given_cursor() -> None:
    assert await MemoryCursorStore("$5:example.org").load() == "$5:example.org"


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


async def test_a_file_store_writes_json_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = FileCursorStore(tmp_path / "bot.cursor")
    await store.save("$1:example.org")
    await store.save("$2:example.org")
    assert await store.load() == "$2:example.org"
    assert json.loads((tmp_path / "bot.cursor").read_bytes()) == {"since": "$2:example.org"}
    assert names(tmp_path) == ["bot.cursor"]


@pytest.mark.parametrize("content", ["not json", "[1]", '{"since": 3}', "{}"])
async def test_a_damaged_cursor_file_is_an_error_naming_it_not_a_fresh_start(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "bot.cursor"
    path.write_text(content)
    with pytest.raises(CursorStoreError, match="is not a cursor file") as info:
        await FileCursorStore(path).load()
    assert str(path) in str(info.value)


async def test_a_write_that_fails_before_its_rename_keeps_the_previous_cursor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileCursorStore(tmp_path / "bot.cursor")
    await store.save("$1:example.org")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        await store.save("$2:example.org")
    assert await store.load() == "$1:example.org"
    assert names(tmp_path) == ["bot.cursor"]
