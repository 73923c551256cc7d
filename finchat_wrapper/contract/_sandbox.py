"""The embedded sandbox as a contract target: in-process over ASGI, or over a loopback socket."""

from __future__ import annotations

import contextlib
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
    """Run the contract against `sandbox` (a fresh one, closed afterwards, by default).

    `app` replaces the sandbox's ASGI app, e.g. by a wrapper that breaks it on purpose.
    Exceptions the sandbox caught and answered with a 500 are reported as errors of the run.
    """
    from finchat_wrapper.sandbox import Sandbox, serve

    if app is not None and over_socket:
        raise ValueError("a replacement app runs in-process only")
    with contextlib.ExitStack() as stack:
        if sandbox is None:
            sandbox = stack.enter_context(Sandbox())
        seen = len(sandbox.internal_errors)
        if not over_socket:
            target_app = app if app is not None else sandbox.app
            result = run_contract(
                settings, app=target_app, on_event=on_event, storage_dir=storage_dir
            )
        else:
            with serve(sandbox) as base_url:
                result = run_contract(
                    settings, base_url=base_url, on_event=on_event, storage_dir=storage_dir
                )
            result.target = f"embedded sandbox over a loopback socket ({base_url})"
        for error in sandbox.internal_errors[seen:]:
            result.errors.append(f"sandbox internal error: {type(error).__name__}: {error}")
    return result
