"""`Sandbox`: credentials, configuration checks, transports and the public names."""

from __future__ import annotations

import httpx
import pytest

import finchat_wrapper.sandbox as sandbox_module
from finchat_wrapper.sandbox import FaultPlan, Sandbox, World
from finchat_wrapper.sandbox._world import OTHER_APP_ID, OTHER_SECRET

from .conftest import API


def test_public_names_are_sorted_and_importable() -> None:
    assert sandbox_module.__all__ == sorted(sandbox_module.__all__)
    for name in sandbox_module.__all__:
        assert hasattr(sandbox_module, name)


def test_default_credentials_are_the_documents() -> None:
    sandbox = Sandbox()
    assert (sandbox.app_id, sandbox.secret) == (
        "5cf29aec6ccfd004ccd28075",
        "90fa4652-5cd1-4280-ae20-e3d381f9b1fa",
    )
    assert sandbox.credentials(OTHER_APP_ID) == (OTHER_APP_ID, OTHER_SECRET)


@pytest.mark.parametrize(
    "kwargs",
    [{"fcid_limit": 0}, {"room_id_limit": 0}, {"token_ttl": 0}, {"delivery_delays": (-1.0,)}],
)
def test_nonsense_configuration_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must"):
        Sandbox(**kwargs)  # type: ignore[arg-type]


def test_a_world_without_a_published_app_is_refused() -> None:
    world = World.default()
    for app in world.apps:
        app.published = False
    with pytest.raises(ValueError, match="published app"):
        Sandbox(world)


def test_faults_and_callbacks_for_unknown_apps_are_key_errors() -> None:
    sandbox = Sandbox()
    with pytest.raises(KeyError):
        sandbox.set_faults(FaultPlan(), app_id="nope")
    with pytest.raises(KeyError):
        sandbox.set_callback("nope", "http://x", "t")


def test_sync_in_process_transport_serves_requests_until_closed() -> None:
    with (
        Sandbox() as sandbox,
        httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url) as client,
    ):
        response = client.post(
            f"{API}/auth/token", json={"app_id": sandbox.app_id, "secret": sandbox.secret}
        )
        assert response.status_code == 200
        assert sandbox.stats.token_requests == 1
    # close() stopped the loop thread; a new transport starts another one.
    with httpx.Client(transport=sandbox.transport(), base_url=sandbox.base_url) as client:
        assert client.get(f"{API}/apps/{sandbox.app_id}/friendships").status_code == 401
    sandbox.close()


def test_ids_follow_the_seed() -> None:
    def first_ids(seed: int) -> list[str]:
        sandbox = Sandbox(seed=seed)
        return [sandbox.state.new_event_id(), sandbox.state.new_room_id()]

    assert first_ids(1) == first_ids(1)
    assert first_ids(1) != first_ids(2)
