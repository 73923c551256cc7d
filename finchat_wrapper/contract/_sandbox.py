"""The embedded sandbox as a contract target: in-process over ASGI, or over a loopback socket."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._config import ContractSettings, KnownValues
from ._runner import ContractResult, run_contract

if TYPE_CHECKING:
    from finchat_wrapper.sandbox import Sandbox


def known_values(sandbox: Sandbox) -> KnownValues:
    """The users, the rooms the app's bot is in, and the authorities of the sandbox's world."""
    world = sandbox.export_world()
    bots = {app.bot for app in world.apps if app.app_id == sandbox.app_id}
    return KnownValues(
        fcids=tuple(sorted(user.fcid for user in world.users)),
        room_ids=tuple(sorted(room.room_id for room in world.rooms if bots & set(room.members))),
        authority_names=tuple(sorted({name for user in world.users for name in user.authorities})),
    )


def sandbox_settings(sandbox: Sandbox, **overrides: Any) -> ContractSettings:
    """Settings for a run against `sandbox`: its app and secret, its known ids, then `overrides`."""
    settings = ContractSettings(
        app_id=sandbox.app_id,
        secret=sandbox.secret,
        known=known_values(sandbox),
        offer_secret=True,
    )
    return dataclasses.replace(settings, **overrides) if overrides else settings


def run_sandbox(
    settings: ContractSettings,
    *,
    sandbox: Sandbox | None = None,
    app: Any = None,
    over_socket: bool = False,
    on_event: Callable[[str], None] | None = None,
    storage_dir: Path | None = None,
) -> ContractResult:
    """Run the contract against a sandbox (a fresh one by default).

    `app` replaces the sandbox's ASGI app, e.g. by a wrapper that breaks it on purpose.
    """
    from finchat_wrapper.sandbox import Sandbox, serve

    sandbox = sandbox if sandbox is not None else Sandbox()
    target_app = app if app is not None else sandbox.app
    if not over_socket:
        return run_contract(settings, app=target_app, on_event=on_event, storage_dir=storage_dir)
    if app is not None:
        raise ValueError("a replacement app runs in-process only")
    with serve(sandbox) as base_url:
        result = run_contract(
            settings, base_url=base_url, on_event=on_event, storage_dir=storage_dir
        )
    result.target = f"embedded sandbox over a loopback socket ({base_url})"
    return result
