"""The embedded sandbox as a contract target: in-process over ASGI, or over a loopback socket."""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._config import (
    IAM_OPERATIONS,
    IAM_REDIRECT_URI,
    ContractSettings,
    KnownValues,
    default_iam_spec_path,
)
from ._runner import ContractResult, run_contract

if TYPE_CHECKING:
    from finchat_wrapper.sandbox import Sandbox


def known_values(sandbox: Sandbox) -> KnownValues:
    """The users, the rooms the app's bot is in, the authorities, the directory and the app's
    webhooks of the sandbox's world."""
    world = sandbox.export_world()
    bots = {app.bot for app in world.apps if app.app_id == sandbox.app_id}
    rooms = [room for room in world.rooms if bots & set(room.members)]
    return KnownValues(
        fcids=tuple(sorted(user.fcid for user in world.users)),
        room_ids=tuple(sorted(room.room_id for room in rooms)),
        group_room_ids=tuple(sorted(room.room_id for room in rooms if room.type == "multi_room")),
        authority_names=tuple(sorted({name for user in world.users for name in user.authorities})),
        organization_ids=tuple(o.organization_id for o in world.organizations),
        organization_types=tuple(sorted({o.organization_type for o in world.organizations})),
        department_ids=tuple(d.department_id for d in world.departments),
        webhook_ids=tuple(w.webhook_id for w in world.webhooks if w.app_id == sandbox.app_id),
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


# The user the IAM run signs in for its userinfo cases.
_IAM_USER = "@alice:example.org"


def iam_access_token(sandbox: Sandbox, fcid: str = _IAM_USER) -> str:
    """An IAM access token of `fcid`, from a real sign-in at the sandbox's IAM (in-process)."""
    import httpx

    from finchat_wrapper.identity import IdentityClient

    transport = sandbox.transport(network=False)
    with (
        IdentityClient(
            sandbox.app_id, sandbox.secret, base_url=sandbox.base_url, transport=transport
        ) as identity,
        httpx.Client(transport=transport) as browser,
    ):
        started = identity.authorization_url(IAM_REDIRECT_URI, login_hint=fcid)
        location = browser.get(started.url).headers["location"]
        params = dict(httpx.URL(location).params)
        return identity.callback(
            params, redirect_uri=IAM_REDIRECT_URI, authorization=started
        ).access_token


def iam_settings(sandbox: Sandbox, **overrides: Any) -> ContractSettings:
    """Settings for a run of the IAM's spec against the sandbox's IAM: its app, and an access
    token of one of its users for userinfo."""
    world = sandbox.export_world()
    settings = ContractSettings(
        app_id=sandbox.app_id,
        secret=sandbox.secret,
        spec_path=default_iam_spec_path(),
        operations=IAM_OPERATIONS,
        offer_secret=True,
        known=KnownValues(fcids=tuple(u.fcid for u in world.users if not u.is_bot)),
        iam_access_token=iam_access_token(sandbox),
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
    iam: ContractSettings | None = None,
) -> ContractResult:
    """Run the contract against `sandbox` (a fresh one, closed afterwards, by default).

    `app` replaces the sandbox's ASGI app, e.g. by a wrapper that breaks it on purpose. With
    `iam` (see `iam_settings`), the IAM's spec is run too, against the same app, and the two
    runs are reported as one. Exceptions the sandbox caught and answered with a 500 are reported
    as errors of the run.
    """
    from finchat_wrapper.sandbox import Sandbox, serve

    if app is not None and over_socket:
        raise ValueError("a replacement app runs in-process only")
    runs = [settings] if iam is None else [settings, iam]
    with contextlib.ExitStack() as stack:
        if sandbox is None:
            sandbox = stack.enter_context(Sandbox())
        seen = len(sandbox.internal_errors)
        results: list[ContractResult] = []
        if not over_socket:
            target_app = app if app is not None else sandbox.app
            for run in runs:
                results.append(
                    run_contract(run, app=target_app, on_event=on_event, storage_dir=storage_dir)
                )
        else:
            with serve(sandbox) as base_url:
                for run in runs:
                    results.append(
                        run_contract(
                            run, base_url=base_url, on_event=on_event, storage_dir=storage_dir
                        )
                    )
            results[0].target = f"embedded sandbox over a loopback socket ({base_url})"
        result = results[0]
        for other in results[1:]:
            _merge(result, other)
        for error in sandbox.internal_errors[seen:]:
            result.errors.append(f"sandbox internal error: {type(error).__name__}: {error}")
    return result


def _merge(into: ContractResult, other: ContractResult) -> None:
    """Add the figures and findings of a second run (the IAM's) to the first."""
    into.elapsed += other.elapsed
    into.operations_selected = tuple(
        sorted({*into.operations_selected, *other.operations_selected})
    )
    into.cases_by_phase.update(other.cases_by_phase)
    into.cases_by_operation.update(other.cases_by_operation)
    into.checks.update(other.checks)
    for label, statuses in other.statuses.items():
        into.statuses.setdefault(label, Counter()).update(statuses)
    for label, statuses in other.links.items():
        into.links.setdefault(label, Counter()).update(statuses)
    for phase, outcome in other.phases.items():
        # A phase fails if it failed in either run; otherwise the first run's word stands (a
        # phase skipped by the second run, e.g. stateful without links, ran in the first).
        passed = outcome == "success" or outcome.startswith("skip")
        if phase not in into.phases or not passed:
            into.phases[phase] = outcome
    into.failures.extend(other.failures)
    into.errors.extend(other.errors)
    into.stop_reason = into.stop_reason or other.stop_reason
