"""What every `CursorStore` must do, as tests to inherit.

class TestRedisCursorStore(CursorStoreConformance):
    @pytest.fixture
    async def store(self, ...): return RedisCursorStore(...)
    @pytest.fixture
    async def reopened(self, ...): return <another store on the same backing, or None>
"""

from __future__ import annotations

import pytest

from finchat_wrapper.events import CursorStore


class CursorStoreConformance:
    """Inherit, and give a `store` fixture returning a fresh store."""

    def test_it_satisfies_the_protocol(self, store: CursorStore) -> None:
        assert isinstance(store, CursorStore)

    async def test_a_fresh_store_has_no_cursor(self, store: CursorStore) -> None:
        assert await store.load() is None

    async def test_the_last_cursor_saved_is_the_one_loaded(self, store: CursorStore) -> None:
        await store.save("$1:example.org")
        await store.save("$2:example.org")
        assert await store.load() == "$2:example.org"

    async def test_any_text_is_a_cursor(self, store: CursorStore) -> None:
        for cursor in ("", "opaque/with spaces?&=", "游标"):
            await store.save(cursor)
            assert await store.load() == cursor

    async def test_only_text_is_saved(self, store: CursorStore) -> None:
        with pytest.raises(TypeError):
            await store.save(5)  # type: ignore[arg-type]


class DurableCursorStoreConformance(CursorStoreConformance):
    """For a store that outlives its process: give `reopened` too."""

    async def test_a_cursor_outlives_the_store_that_saved_it(
        self, store: CursorStore, reopened: CursorStore
    ) -> None:
        await store.save("$kept:example.org")
        assert await reopened.load() == "$kept:example.org"
