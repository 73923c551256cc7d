"""Run schemathesis over the spec against an ASGI app (in-process) or a base URL, and tally it.

The schemathesis engine reports through events; this module turns them into a `ContractResult`
that knows nothing of schemathesis, so reports and tests read plain data.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._needs import needs
from ._config import ContractSettings, build_config_dict

if TYPE_CHECKING:
    from schemathesis.engine import events as st_events
    from schemathesis.generation.case import Case
    from schemathesis.schemas import BaseSchema

# The base URL of in-process runs: it only shows in curl reproductions, which then point at
# `finchat sandbox` on its default port.
IN_PROCESS_BASE_URL = "http://127.0.0.1:8765"

_TOKEN_IN_BODY = re.compile(r'("app_access_token"\s*:\s*")[^"]*(")')
_BEARER = re.compile(r"(Bearer\s+)[^\s'\"]+")


@dataclass(frozen=True, kw_only=True)
class CheckFailure:
    """One distinct failure: a check that failed on an operation, with a way to reproduce it."""

    check: str
    operation: str
    phase: str
    title: str
    message: str
    curl: str
    status_code: int | None
    # How many cases failed this way; the curl is the first one's.
    occurrences: int = 1


@dataclass(kw_only=True)
class ContractResult:
    """What a contract run did and found."""

    target: str
    seed: int
    elapsed: float = 0.0
    operations_selected: tuple[str, ...] = ()
    cases_by_phase: Counter[str] = field(default_factory=Counter)
    cases_by_operation: Counter[str] = field(default_factory=Counter)
    # operation label -> HTTP status -> cases; shows whether cases got past validation.
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    # check name -> how many times it ran (passed or failed)
    checks: Counter[str] = field(default_factory=Counter)
    # OpenAPI link followed by the stateful phase -> HTTP status of the request it built -> cases
    links: dict[str, Counter[int]] = field(default_factory=dict)
    # phase -> success, failure, error, skip (with the reason when schemathesis gives one)
    phases: dict[str, str] = field(default_factory=dict)
    failures: list[CheckFailure] = field(default_factory=list)
    # Errors that are not check failures: a crashed hook, an unreachable target, a bad link.
    errors: list[str] = field(default_factory=list)
    stop_reason: str = ""

    @property
    def cases(self) -> int:
        return sum(self.cases_by_phase.values())

    @property
    def operations_tested(self) -> int:
        return len(self.cases_by_operation)

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and self.cases > 0

    def failures_by_check(self) -> dict[str, list[CheckFailure]]:
        grouped: dict[str, list[CheckFailure]] = {}
        for failure in self.failures:
            grouped.setdefault(failure.check, []).append(failure)
        return dict(sorted(grouped.items()))


class _Redactor:
    """Removes the secret and any token from text that goes into reports."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = [secret for secret in secrets if secret]

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[secret]")
        text = _TOKEN_IN_BODY.sub(r"\1[token]\2", text)
        return _BEARER.sub(r"\1[token]", text)


def _pin_writes(
    schema: BaseSchema, rooms: tuple[str, ...], webhooks: tuple[str, ...]
) -> Callable[..., None]:
    # The config pins the rooms and webhooks of generated requests; requests built by OpenAPI
    # links (e.g. "message the first friend", "update the room just created") bypass generation,
    # so the last word belongs to this hook.
    def before_call(context: Any, case: Case[Any], **kwargs: Any) -> None:
        if case.operation.schema is not schema:
            return  # another run in this process: not ours to touch
        operation_id = case.operation.definition.raw.get("operationId")
        body = case.body if isinstance(case.body, dict) else None
        if operation_id == "update_room" and rooms and isinstance(case.path_parameters, dict):
            if case.path_parameters.get("room_id") not in rooms:
                case.path_parameters["room_id"] = rooms[0]
        elif operation_id == "create_room" and body is not None:
            # A room of the bot alone: nobody is invited into what the run makes.
            body.pop("fcids", None)
            body.pop("owner", None)
        elif operation_id == "send_webhook_message" and body is not None and webhooks:
            if body.get("webhook_id") not in webhooks:
                body["webhook_id"] = webhooks[0]
        elif rooms and body is not None and {"room_ids", "fcids", "content"} & body.keys():
            body["room_ids"] = list(rooms)
            body.pop("fcids", None)

    return before_call


@contextlib.contextmanager
def _global_hook(name: str, hook: Callable[..., None]) -> Iterator[None]:
    # schemathesis accepts `before_call` only in its process-wide registry, so the hook is
    # registered for the run only and checks that a case belongs to its own schema.
    from schemathesis import hooks

    hooks.GLOBAL_HOOK_DISPATCHER.register_hook_with_name(hook, name)
    try:
        yield
    finally:
        hooks.GLOBAL_HOOK_DISPATCHER.unregister(hook)


class _Tally:
    def __init__(self, result: ContractResult, redact: _Redactor) -> None:
        self.result = result
        self.redact = redact
        self._failures: dict[tuple[str, str, str], CheckFailure] = {}

    def scenario(self, event: st_events.ScenarioFinished) -> None:
        if not event.is_test_scenario:
            return
        recorder = event.recorder
        phase = event.phase.value
        for case_id, node in recorder.cases.items():
            label = node.value.operation.label
            self.result.cases_by_phase[phase] += 1
            self.result.cases_by_operation[label] += 1
            interaction = recorder.interactions.get(case_id)
            if interaction is not None and interaction.response is not None:
                status = interaction.response.status_code
                self.result.statuses.setdefault(label, Counter())[status] += 1
                if node.transition is not None and node.is_transition_applied:
                    link = self.result.links.setdefault(node.transition.id, Counter())
                    link[status] += 1
            for check in recorder.checks.get(case_id, []):
                self.result.checks[check.name] += 1
                info = check.failure_info
                if info is None:
                    continue
                failure = info.failure
                key = (check.name, label, failure.title)
                known = self._failures.get(key)
                if known is not None:
                    self._failures[key] = CheckFailure(
                        **{**known.__dict__, "occurrences": known.occurrences + 1}
                    )
                    continue
                response = interaction.response if interaction is not None else None
                self._failures[key] = CheckFailure(
                    check=check.name,
                    operation=label,
                    phase=phase,
                    title=failure.title,
                    message=self.redact(failure.message or ""),
                    curl=self.redact(info.code_sample),
                    status_code=response.status_code if response is not None else None,
                )

    def error(self, label: str, text: str) -> None:
        self.result.errors.append(self.redact(f"{label}: {text}"))

    def finish(self) -> None:
        self.result.failures = sorted(
            self._failures.values(), key=lambda f: (f.check, f.operation, f.title)
        )


def default_storage_dir() -> Path:
    """Where hypothesis keeps its caches during a run: the user's cache, not the working tree."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "finchat" / "hypothesis"


@contextlib.contextmanager
def _hypothesis_home(directory: Path) -> Iterator[None]:
    # Hypothesis writes `.hypothesis/` (unicode tables, constants) into the working directory even
    # without an example database. Its home is process-wide, so it is set for the run only.
    from hypothesis import configuration

    previous = getattr(configuration, "__hypothesis_home_directory", None)
    configuration.set_hypothesis_home_dir(directory)
    try:
        yield
    finally:
        configuration.set_hypothesis_home_dir(previous)


def run_contract(
    settings: ContractSettings,
    *,
    app: Any = None,
    base_url: str | None = None,
    on_event: Callable[[str], None] | None = None,
    storage_dir: Path | None = None,
) -> ContractResult:
    """Run the contract over `app` (an ASGI app, in-process) or over HTTP at `base_url`.

    `on_event` receives one line per phase when it ends, for progress output.
    `storage_dir` is where hypothesis may keep caches (default: `default_storage_dir()`).
    """
    if (app is None) == (base_url is None):
        raise ValueError("give exactly one of app (in-process) and base_url (HTTP)")

    needs("contract", "schemathesis")
    import schemathesis
    import yaml
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import from_schema

    config = SchemathesisConfig.from_dict(build_config_dict(settings))
    # The C loader when libyaml is there: the pure-Python one takes a noticeable part of a run.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw_spec = yaml.load(settings.spec_path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    _as_contract(raw_spec)
    schema: BaseSchema = schemathesis.openapi.from_dict(raw_spec, config=config)
    if app is not None:
        schema.app = app
        schema.config.base_url = IN_PROCESS_BASE_URL
        target = "embedded sandbox, in-process (ASGI)"
    else:
        assert base_url is not None
        schema.config.base_url = base_url.rstrip("/")
        target = base_url
    if set(settings.operations) != {op["operationId"] for op in _operations(raw_spec)}:
        schema = schema.include(operation_id=list(settings.operations))

    result = ContractResult(
        target=target, seed=settings.seed, operations_selected=tuple(sorted(settings.operations))
    )
    tally = _Tally(result, _Redactor([settings.secret]))
    notify = on_event or (lambda _: None)
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_hypothesis_home(storage_dir or default_storage_dir()))
        if settings.pinned_rooms or settings.pinned_webhooks:
            pin = _pin_writes(schema, settings.pinned_rooms, settings.pinned_webhooks)
            stack.enter_context(_global_hook("before_call", pin))
        _consume(from_schema(schema).execute(), result, tally, notify)
    result.elapsed = time.perf_counter() - started
    tally.finish()
    return result


def _consume(
    stream: Iterable[st_events.EngineEvent],
    result: ContractResult,
    tally: _Tally,
    notify: Callable[[str], None],
) -> None:
    from schemathesis.engine import events

    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            tally.scenario(event)
        elif isinstance(event, events.PhaseFinished):
            status = event.status.value
            if event.phase.skip_reason is not None:
                status = f"skipped, {event.phase.skip_reason.value}"
            result.phases[event.phase.name.value] = status
            notify(f"{event.phase.name.value}: {status} ({result.cases} cases so far)")
        elif isinstance(event, events.NonFatalError):
            tally.error(event.label, event.info.format(base_url_is_set=True))
        elif isinstance(event, events.FatalError):
            tally.error("fatal", f"{type(event.exception).__name__}: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            result.stop_reason = event.stop_reason.value
            for failure in event.failures:
                tally.error("after-run check", f"{failure.title}: {failure.message}")


def _as_contract(raw_spec: dict[str, Any]) -> None:
    """What the run holds the target to, out of the spec, changed in place.

    - The spec's `default` answers stand for what a proxy or a rate limiter in front of a server
      may answer instead (429, 503). Left in, they would make every status conform, and the run
      could no longer tell a server that answers 422 from one that answers as documented.
    - A wildcard request body type (the upload's `*/*`, beside `application/octet-stream`) is
      left out: schemathesis serializes a generated binary value for it as text (an empty body
      becomes YAML's `''`), so its negative cases would not be what they claim.
    """
    for operation in _operations(raw_spec):
        responses = operation.get("responses")
        if isinstance(responses, dict):
            responses.pop("default", None)
        content = (operation.get("requestBody") or {}).get("content")
        if isinstance(content, dict) and len(content) > 1:
            content.pop("*/*", None)


def _operations(raw_spec: dict[str, Any]) -> list[dict[str, Any]]:
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return [
        operation
        for item in raw_spec.get("paths", {}).values()
        for method, operation in item.items()
        if method in methods
    ]
