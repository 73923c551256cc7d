"""What every `DedupeStore` must do, as tests to inherit.

    class TestRedisDedupeStore(DedupeStoreConformance):
        @pytest.fixture
        async def store(self, redis_url): return RedisDedupeStore(...)

Only behaviour the protocol's docstring promises is checked here; TTLs, which need a clock the
test controls, are each implementation's own tests.
"""

from __future__ import annotations

import asyncio
import uuid

from finchat_wrapper.events import DedupeStore


def _event_id() -> str:
    # Unique per test, so that a store shared between tests (one Redis) never sees a stale entry.
    return f"${uuid.uuid4().hex}:conformance.test"


class DedupeStoreConformance:
    """Inherit, and give a `store` fixture returning a fresh store."""

    def test_it_satisfies_the_protocol(self, store: DedupeStore) -> None:
        assert isinstance(store, DedupeStore)

    async def test_the_first_claim_wins_and_a_second_sees_it_in_progress(
        self, store: DedupeStore
    ) -> None:
        event_id = _event_id()
        assert await store.claim(event_id, "owner-a") == "claimed"
        assert await store.claim(event_id, "owner-b") == "in_progress"

    async def test_of_many_concurrent_claims_exactly_one_wins(self, store: DedupeStore) -> None:
        event_id = _event_id()
        outcomes = await asyncio.gather(*(store.claim(event_id, f"owner-{i}") for i in range(20)))
        assert sorted(outcomes) == ["claimed"] + ["in_progress"] * 19

    async def test_a_done_event_is_done_for_every_later_claim(self, store: DedupeStore) -> None:
        event_id = _event_id()
        await store.claim(event_id, "owner-a")
        await store.mark_done(event_id, "owner-a")
        assert await store.claim(event_id, "owner-b") == "done"
        assert await store.claim(event_id, "owner-c") == "done"

    async def test_a_released_event_can_be_claimed_again(self, store: DedupeStore) -> None:
        event_id = _event_id()
        await store.claim(event_id, "owner-a")
        await store.release(event_id, "owner-a")
        assert await store.claim(event_id, "owner-b") == "claimed"

    async def test_release_by_another_owner_leaves_the_claim(self, store: DedupeStore) -> None:
        event_id = _event_id()
        await store.claim(event_id, "owner-a")
        await store.release(event_id, "owner-b")
        assert await store.claim(event_id, "owner-c") == "in_progress"

    async def test_release_after_done_leaves_it_done(self, store: DedupeStore) -> None:
        event_id = _event_id()
        await store.claim(event_id, "owner-a")
        await store.mark_done(event_id, "owner-a")
        await store.release(event_id, "owner-a")
        assert await store.claim(event_id, "owner-b") == "done"

    async def test_events_are_independent(self, store: DedupeStore) -> None:
        first, second = _event_id(), _event_id()
        await store.claim(first, "owner-a")
        await store.mark_done(first, "owner-a")
        assert await store.claim(second, "owner-a") == "claimed"
