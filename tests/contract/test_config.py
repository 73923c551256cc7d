"""The settings of a contract run and the schemathesis configuration built from them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from schemathesis.config import SchemathesisConfig

from finchat_wrapper.contract import (
    ContractConfigError,
    ContractSettings,
    KnownValues,
    build_config_dict,
)
from finchat_wrapper.contract._config import (
    NOT_SERVED_YET,
    PHASES,
    READ_ONLY_OPERATIONS,
    WEBHOOK_OPERATIONS,
    WRITE_OPERATIONS,
    default_spec_path,
)
from finchat_wrapper.sandbox import Sandbox
from finchat_wrapper.sandbox._spec import load_spec

APP_ID = "5cf29aec6ccfd004ccd28075"
SECRET = "s3cret-not-to-be-shown"


def _settings(**overrides: Any) -> ContractSettings:
    return ContractSettings(app_id=APP_ID, secret=SECRET, **overrides)


def test_the_secret_is_not_in_the_repr_of_the_settings() -> None:
    assert SECRET not in repr(_settings())


def test_the_token_comes_from_the_token_operation_with_the_app_credentials() -> None:
    auth = build_config_dict(_settings())["auth"]["dynamic"]["openapi"]["appAccessToken"]

    assert auth["path"] == "/api/v1/finchat/open-api/auth/token"
    assert auth["payload"] == {"app_id": APP_ID, "secret": SECRET}
    assert auth["extract_selector"] == "/app_access_token"


def test_app_id_parameters_favour_the_app_under_test_but_leave_room_for_fuzzing() -> None:
    data = build_config_dict(_settings())

    assert data["dictionaries"]["app_id"] == {"values": [APP_ID]}
    for key in ("app_id", "body.app_id"):
        binding = data["parameters"][key]
        assert binding["dictionary"] == "app_id"
        assert 0 < binding["probability"] < 1


def test_known_ids_are_offered_to_the_generator_where_the_spec_takes_them() -> None:
    known = KnownValues(
        fcids=("@a:x",),
        room_ids=("!r:x", "!d:x"),
        group_room_ids=("!r:x",),
        authority_names=("admin",),
        organization_ids=("00f3",),
        organization_types=(0, 3),
        department_ids=("d1",),
        webhook_ids=("hook",),
    )

    data = build_config_dict(_settings(known=known))
    parameters = data["parameters"]

    assert {key for key, value in parameters.items() if value["dictionary"] == "fcid"} == {
        "path.fcid",
        "query.fcid",
        "body.fcids[*]",
        "body.sender",
        "body.owner",
        "body.fcids_to_invite[*]",
        "body.fcids_to_kick[*]",
    }
    assert parameters["body.room_ids[*]"]["dictionary"] == "room_id"
    assert parameters["path.room_id"]["dictionary"] == "group_room_id"
    assert parameters["query.authority_name"]["dictionary"] == "authority_name"
    assert parameters["path.organization_id"]["dictionary"] == "organization_id"
    assert parameters["query.organization_type"]["dictionary"] == "organization_type"
    assert data["dictionaries"]["organization_type"] == {"values": [0, 3]}
    assert parameters["path.department_id"]["dictionary"] == "department_id"
    assert parameters["body.webhook_id"]["dictionary"] == "webhook_id"
    SchemathesisConfig.from_dict(data)  # schemathesis takes it as it is


def test_the_secret_is_offered_to_token_requests_only_when_asked() -> None:
    assert "body.secret" not in build_config_dict(_settings())["parameters"]

    data = build_config_dict(_settings(offer_secret=True))

    assert data["dictionaries"]["secret"] == {"values": [SECRET]}


def test_pinned_rooms_replace_the_generated_room_ids_of_every_body() -> None:
    known = KnownValues(room_ids=("!other:x",), group_room_ids=("!other:x",))

    data = build_config_dict(_settings(known=known, pinned_rooms=("!test:x",)))
    parameters = data["parameters"]

    assert parameters["body.room_ids"] == ["!test:x"]
    assert "body.room_ids[*]" not in parameters
    # A room update goes to a pinned room, every time.
    assert parameters["path.room_id"] == {"dictionary": "pinned_room", "probability": 1.0}
    assert data["dictionaries"]["pinned_room"] == {"values": ["!test:x"]}


def test_pinned_webhooks_replace_the_generated_webhook_ids() -> None:
    known = KnownValues(webhook_ids=("other",))

    data = build_config_dict(_settings(known=known, pinned_webhooks=("hook",)))

    assert data["parameters"]["body.webhook_id"] == {
        "dictionary": "pinned_webhook",
        "probability": 1.0,
    }
    assert data["dictionaries"]["pinned_webhook"] == {"values": ["hook"]}


def test_writes_name_every_operation_that_changes_anything() -> None:
    everything = _settings(
        operations=(*READ_ONLY_OPERATIONS, *WRITE_OPERATIONS, *WEBHOOK_OPERATIONS)
    )
    assert set(everything.writes) == {
        "send_message",
        "send_message_as_user",
        "send_webhook_message",
        "update_cui",
        "upload_media",
        "create_room",
        "update_room",
    }
    assert _settings(operations=READ_ONLY_OPERATIONS).writes == ()


def test_phases_not_asked_for_are_disabled() -> None:
    phases = build_config_dict(_settings(phases=("examples", "stateful")))["phases"]

    assert [name for name in PHASES if phases[name]["enabled"]] == ["examples", "stateful"]


def test_runs_are_reproducible_and_leave_no_database_or_cache_behind() -> None:
    data = build_config_dict(_settings(seed=7, max_examples=3))

    assert data["seed"] == 7
    assert data["generation"]["max-examples"] == 3
    assert data["generation"]["database"] == "none"
    assert data["cache"]["enabled"] is False
    assert data["checks"]["enabled"] is True


def test_schemathesis_accepts_the_configuration() -> None:
    settings = _settings(
        known=KnownValues(fcids=("@a:x",), room_ids=("!r:x",), authority_names=("admin",)),
        pinned_rooms=("!r:x",),
        offer_secret=True,
        max_steps=4,
    )

    config = SchemathesisConfig.from_dict(build_config_dict(settings))

    assert config.seed == settings.seed


def test_building_the_configuration_twice_gives_two_independent_dicts() -> None:
    first = build_config_dict(_settings())
    first["phases"]["examples"]["enabled"] = False

    assert build_config_dict(_settings())["phases"]["examples"]["enabled"] is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"app_id": ""}, "app_id must not be empty"),
        ({"secret": ""}, "secret must not be empty"),
        ({"max_examples": 0}, "max_examples must be at least 1"),
        ({"phases": ("examples", "explore")}, "phases must be a non-empty subset"),
        ({"phases": ()}, "phases must be a non-empty subset"),
        ({"operations": ("get_user", "delete_user")}, "unknown: ['delete_user']"),
        ({"spec_path": Path("/nonexistent/finchat.yaml")}, "spec not found"),
    ],
)
def test_inconsistent_settings_are_refused_with_a_message_naming_the_problem(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ContractConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        dataclasses.replace(_settings(), **overrides)


def test_read_only_operations_are_the_token_operation_and_every_served_get_of_the_spec() -> None:
    spec = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    gets = {item["get"]["operationId"] for item in spec["paths"].values() if "get" in item}

    assert set(READ_ONLY_OPERATIONS) == (gets - set(NOT_SERVED_YET)) | {"get_app_access_token"}


def test_read_write_and_not_yet_served_operations_together_are_every_operation_of_the_spec() -> (
    None
):
    spec = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    operations = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    listed = [*READ_ONLY_OPERATIONS, *WRITE_OPERATIONS, *WEBHOOK_OPERATIONS, *NOT_SERVED_YET]

    assert sorted(listed) == sorted(operations)  # each operation in exactly one list


def test_the_operations_left_out_are_exactly_those_the_sandbox_does_not_serve() -> None:
    # Whatever the request, the sandbox answers 501 for an operation it does not simulate (and
    # something else, here mostly 401 for the missing token, for every other one).
    with (
        Sandbox() as sandbox,
        httpx.Client(transport=sandbox.transport(), base_url="http://sandbox") as http,
    ):
        answers = {}
        for operation_id, operation in load_spec().operations.items():
            path = re.sub(r"\{[a-z_]+\}", "x", operation.path)
            answers[operation_id] = http.request(operation.method, path).status_code

    assert {op for op, status in answers.items() if status == 501} == set(NOT_SERVED_YET)
