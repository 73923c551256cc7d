"""Errcode and status mapping, error bodies that are not envelopes, transport failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from finchat_wrapper import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FinChatError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RecipientLimitError,
    ServerError,
    TransportError,
)
from finchat_wrapper._errors import (
    ERRCODES,
    api_error_from_response,
    class_for_status,
    transport_error_from,
)

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"
REQUEST = httpx.Request("GET", "https://finchat.test/api/v1/finchat/open-api/users/%40a%3Ax")


@pytest.fixture(scope="module")
def error_code_schema() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schema: dict[str, Any] = spec["components"]["schemas"]["ErrorCode"]
    return schema


def response(status: int, body: object = None, *, text: str | None = None) -> httpx.Response:
    if text is not None:
        return httpx.Response(status, text=text, request=REQUEST)
    return httpx.Response(status, json=body, request=REQUEST)


def test_errcode_table_lists_exactly_the_documented_errcodes(
    error_code_schema: dict[str, Any],
) -> None:
    assert sorted(ERRCODES) == sorted(error_code_schema["enum"])


def test_errcode_table_statuses_match_the_spec(error_code_schema: dict[str, Any]) -> None:
    spec_statuses = error_code_schema["x-http-status"]
    assert {code: status for code, (_, status) in ERRCODES.items()} == spec_statuses


def test_each_errcode_class_belongs_to_its_status_class() -> None:
    for errcode, (cls, status) in ERRCODES.items():
        if cls is None:
            assert status is None, errcode
            continue
        assert status is not None
        assert issubclass(cls, class_for_status(status)), errcode
        assert cls is not class_for_status(status), f"{errcode} needs its own class"


def test_every_documented_errcode_has_its_own_class() -> None:
    classes = [cls for cls, _ in ERRCODES.values() if cls is not None]
    assert len(classes) == len(set(classes)) == len(ERRCODES) - 1  # all but FC_UNKNOWN


@pytest.mark.parametrize(("errcode", "entry"), list(ERRCODES.items()))
def test_documented_errcode_maps_to_its_class(
    errcode: str, entry: tuple[type[APIError] | None, int | None]
) -> None:
    cls, status = entry
    error = api_error_from_response(response(status or 404, {"errcode": errcode, "error": "e"}))
    assert type(error) is (cls or NotFoundError)
    assert (error.errcode, error.error, error.status_code) == (errcode, "e", status or 404)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIError),
        (409, ConflictError),
    ],
)
def test_fc_unknown_is_classified_by_http_status(status: int, expected: type[APIError]) -> None:
    error = api_error_from_response(response(status, {"errcode": "FC_UNKNOWN", "error": "?"}))
    assert type(error) is expected
    assert error.errcode == "FC_UNKNOWN"


@pytest.mark.parametrize("status", [400, 404, 500])
def test_undocumented_errcode_gives_the_base_api_error(status: int) -> None:
    body = {"errcode": "FC_BRAND_NEW", "error": "new", "data": {"k": 1}}
    error = api_error_from_response(response(status, body))
    assert type(error) is APIError
    assert (error.errcode, error.data, error.status_code) == ("FC_BRAND_NEW", {"k": 1}, status)
    assert "FC_BRAND_NEW" in str(error)


def test_html_502_is_a_server_error_carrying_the_status() -> None:
    error = api_error_from_response(response(502, text="<html><h1>Bad Gateway</h1></html>"))
    assert type(error) is ServerError
    assert (error.status_code, error.errcode, error.error) == (502, None, None)
    assert "HTTP 502" in str(error)
    assert "Bad Gateway" in str(error)


@pytest.mark.parametrize("status", [520, 599])
def test_empty_body_with_a_nonstandard_status_is_a_server_error(status: int) -> None:
    error = api_error_from_response(response(status, text=""))
    assert type(error) is ServerError
    assert error.status_code == status
    assert "empty body" in str(error)


@pytest.mark.parametrize(
    "body", [["a list"], {"error": "no errcode"}, {"errcode": 7}, {"errcode": ""}, "string"]
)
def test_json_that_is_not_an_error_envelope_is_classified_by_status(body: object) -> None:
    error = api_error_from_response(response(404, body))
    assert type(error) is NotFoundError
    assert error.errcode is None


def test_error_keeps_the_response() -> None:
    answer = response(400, {"errcode": "FC_BAD_JSON", "error": "bad"})
    assert api_error_from_response(answer).response is answer


def test_server_text_is_redacted_in_message_and_error() -> None:
    answer = response(401, {"errcode": "FC_INVALID_ACCESS_TOKEN", "error": "token tok-9 expired"})
    error = api_error_from_response(answer, redact=lambda text: text.replace("tok-9", "[x]"))
    assert "tok-9" not in str(error)
    assert error.error == "token [x] expired"


def test_recipient_limit_errors_share_a_parent() -> None:
    for errcode in ("FC_MESSAGE_FCID_LIMIT_EXCEEDED", "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"):
        error = api_error_from_response(response(400, {"errcode": errcode, "error": "x"}))
        assert isinstance(error, RecipientLimitError)


def test_api_error_repr_names_errcode_and_status() -> None:
    error = api_error_from_response(response(404, {"errcode": "FC_UNKNOWN", "error": "x"}))
    assert repr(error) == "NotFoundError(errcode='FC_UNKNOWN', status_code=404)"


@pytest.mark.parametrize(
    ("exc", "expected", "maybe_processed"),
    [
        (httpx.ConnectError("refused", request=REQUEST), APIConnectionError, False),
        (httpx.ConnectTimeout("slow", request=REQUEST), APITimeoutError, False),
        (httpx.PoolTimeout("full", request=REQUEST), APITimeoutError, False),
        (httpx.ReadTimeout("slow", request=REQUEST), APITimeoutError, True),
        (httpx.WriteTimeout("slow", request=REQUEST), APITimeoutError, True),
        (httpx.ReadError("reset", request=REQUEST), APIConnectionError, True),
        (httpx.RemoteProtocolError("dropped", request=REQUEST), APIConnectionError, True),
    ],
)
def test_transport_failures_get_their_own_branch(
    exc: httpx.TransportError, expected: type[TransportError], maybe_processed: bool
) -> None:
    error = transport_error_from(exc)
    assert type(error) is expected
    assert isinstance(error, FinChatError)
    assert not isinstance(error, APIError)
    assert error.maybe_processed is maybe_processed
    assert type(exc).__name__ in str(error)


def test_transport_failure_without_a_request_still_maps() -> None:
    assert "request" in str(transport_error_from(httpx.ConnectError("refused")))
