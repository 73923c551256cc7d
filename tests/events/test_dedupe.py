from __future__ import annotations

import pytest

from finchat_wrapper.events import InMemoryDedupeStore

from .dedupe_conformance import DedupeStoreConformance


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


class TestInMemoryDedupeStore(DedupeStoreConformance):
    @pytest.fixture
    def store(self) -> InMemoryDedupeStore:
        return InMemoryDedupeStore()


async def test_release_by_another_owner_leaves_the_claim(clock: Clock) -> None:
    store = InMemoryDedupeStore(claim_ttl=10, clock=clock)
    await store.claim("$e:s", "a")
    clock.now += 11  # a's claim lapsed and b took over
    assert await store.claim("$e:s", "b") == "claimed"
    await store.release("$e:s", "a")
    assert await store.claim("$e:s", "c") == "in_progress"


async def test_a_claim_lapses_after_its_ttl(clock: Clock) -> None:
    store = InMemoryDedupeStore(claim_ttl=10, clock=clock)
    await store.claim("$e:s", "a")
    clock.now += 9.9
    assert await store.claim("$e:s", "b") == "in_progress"
    clock.now += 0.2
    assert await store.claim("$e:s", "b") == "claimed"


async def test_done_is_forgotten_after_its_ttl(clock: Clock) -> None:
    store = InMemoryDedupeStore(done_ttl=60, clock=clock)
    await store.claim("$e:s", "a")
    await store.mark_done("$e:s", "a")
    clock.now += 59
    assert await store.claim("$e:s", "b") == "done"
    clock.now += 2
    assert await store.claim("$e:s", "b") == "claimed"


async def test_expired_entries_are_dropped_so_memory_does_not_grow(clock: Clock) -> None:
    store = InMemoryDedupeStore(done_ttl=1, clock=clock)
    for i in range(1000):
        await store.claim(f"${i}:s", "a")
        await store.mark_done(f"${i}:s", "a")
        clock.now += 0.01
    assert len(store) <= 101


async def test_over_the_limit_the_oldest_done_entries_go_first_and_claims_stay() -> None:
    store = InMemoryDedupeStore(max_entries=3)
    await store.claim("$busy:s", "a")
    for i in range(5):
        await store.claim(f"${i}:s", "a")
        await store.mark_done(f"${i}:s", "a")
    assert len(store) == 3
    assert await store.claim("$busy:s", "b") == "in_progress"
    assert await store.claim("$4:s", "b") == "done"
    assert await store.claim("$0:s", "b") == "claimed"


@pytest.mark.parametrize("kwargs", [{"claim_ttl": 0}, {"done_ttl": -1}, {"max_entries": 0}])
def test_nonsense_limits_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        InMemoryDedupeStore(**kwargs)  # type: ignore[arg-type]
