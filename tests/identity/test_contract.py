"""The sandbox IAM passes the contract run of openapi/finchat-iam.yaml, and that run catches an
IAM that answers what the spec does not say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.types import Receive, Scope, Send

from finchat_wrapper.contract import (
    ContractConfigError,
    build_config_dict,
    iam_settings,
    run_contract,
)
from finchat_wrapper.contract._config import IAM_OPERATIONS
from finchat_wrapper.sandbox import Sandbox

DISCOVERY = "/auth/realms/master/.well-known/openid-configuration"


@pytest.fixture
def plain_sandbox() -> Sandbox:
    return Sandbox()


def test_the_sandbox_iam_passes_the_iam_specs_contract_run(
    plain_sandbox: Sandbox, tmp_path: Path
) -> None:
    with plain_sandbox as sb:
        # The coverage phase (most of `make contract`'s IAM cases) stays out of the suite: CI time.
        settings = iam_settings(sb, max_examples=10, phases=("examples", "fuzzing"))
        result = run_contract(settings, app=sb.app, storage_dir=tmp_path)
        assert result.ok, [
            f"{f.check} {f.operation}: {f.title}" for f in result.failures
        ] + result.errors
        assert sb.internal_errors == []
    assert result.operations_tested == len(IAM_OPERATIONS)
    by_operation = {
        label.split()[1].rsplit("/", 1)[-1]: statuses for label, statuses in result.statuses.items()
    }
    assert any(200 <= s < 300 for s in by_operation["userinfo"])  # the real sign-in's token
    assert 302 in by_operation["auth"]  # cases reached a redirect back to the app
    assert 401 in by_operation["token"]  # and the Basic credentials were checked


class WithoutIssuer:
    """The sandbox, but its discovery document lacks the required `issuer`."""

    def __init__(self, app: object) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != DISCOVERY or scope["method"] != "GET":
            await self.app(scope, receive, send)  # type: ignore[operator]
            return
        body = json.dumps({"authorization_endpoint": "x", "token_endpoint": "y"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def test_the_iam_contract_run_catches_a_discovery_document_the_spec_does_not_allow(
    plain_sandbox: Sandbox, tmp_path: Path
) -> None:
    with plain_sandbox as sb:
        settings = iam_settings(
            sb,
            max_examples=3,
            phases=("examples", "fuzzing"),
            operations=("get_openid_configuration",),
        )
        result = run_contract(settings, app=WithoutIssuer(sb.app), storage_dir=tmp_path)
    assert not result.ok
    assert "response_schema_conformance" in {f.check for f in result.failures}


def test_the_iam_run_authenticates_with_basic_and_the_users_bearer_never_an_app_token(
    plain_sandbox: Sandbox,
) -> None:
    with plain_sandbox as sb:
        settings = iam_settings(sb)
    config = build_config_dict(settings)
    assert "dynamic" not in config["auth"]
    assert config["auth"]["openapi"]["clientBasic"] == {
        "username": sb.app_id,
        "password": sb.secret,
    }
    assert config["auth"]["openapi"]["iamAccessToken"]["bearer"] == settings.iam_access_token
    assert sb.secret not in repr(settings)
    assert settings.iam_access_token not in repr(settings)


def test_iam_and_finchat_operations_do_not_mix_in_one_run(plain_sandbox: Sandbox) -> None:
    with plain_sandbox as sb, pytest.raises(ContractConfigError, match="unknown"):
        iam_settings(sb, operations=("get_token", "get_user"))
