"""`client.contacts` (organizations, departments) and `client.apps.visibility` on a scripted
server: the requests, typed answers, errcodes, retries of reads, shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from finchat_openapi.models import AppVisibility, Department, Organization

from finchat_wrapper import (
    AsyncFinChat,
    FcidNotFoundError,
    FinChat,
    InvalidResponseError,
    ResourceNotFoundError,
)

from .conftest import APP_ID, PREFIX, FakeServer

Make = Callable[..., FinChat]
MakeAsync = Callable[..., AsyncFinChat]
DEPARTMENT = "55c22c00-09e9-11ea-ab7d-a15ba0c1027b"


def test_each_directory_read_sends_its_request_and_answers_a_generated_model(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()

    (organization,) = client.contacts.organizations(3, fcid="@a:x")
    assert isinstance(organization, Organization)
    params = server.requests[-1].url.params
    assert dict(params) == {"app_id": APP_ID, "fcid": "@a:x", "organization_type": "3"}

    assert client.contacts.organization("00f3").organization_name == "O"
    assert server.requests[-1].url.path == PREFIX + "/contact/organizations/00f3"

    department = client.contacts.department(DEPARTMENT, include_sub_departments=True)
    assert isinstance(department, Department)
    assert department.fcids == ["@a:x"]
    request = server.requests[-1]
    assert request.url.path == PREFIX + f"/contact/departments/{DEPARTMENT}"
    assert request.url.params["include_sub_departments"] == "true"
    client.contacts.department(DEPARTMENT)
    assert server.requests[-1].url.params["include_sub_departments"] == "false"

    visibility = client.apps.visibility()
    assert isinstance(visibility, AppVisibility)
    assert visibility.unlimited is True
    assert server.requests[-1].url.path == PREFIX + f"/apps/{APP_ID}/visibility"


async def test_the_async_directory_reads_send_the_same_requests(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    async with make_async_client() as client:
        assert (await client.contacts.organizations(0, fcid="@a:x"))[0].organization_id == "o1"
        assert (await client.contacts.organization("o1")).organization_id == "o1"
        assert (await client.contacts.department("d1")).department_id == "d1"
        assert (await client.apps.visibility()).unlimited is True
    assert [r.url.path.rsplit("/", 1)[-1] for r in server.requests[1:]] == [
        "get-organizations-by-type",
        "o1",
        "d1",
        "visibility",
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.contacts.organizations("3", fcid="@a:x"),
        lambda c: c.contacts.organizations(True, fcid="@a:x"),
        lambda c: c.contacts.organizations(3, fcid="alice"),
        lambda c: c.contacts.organization(".."),
        lambda c: c.contacts.organization("a/b"),
        lambda c: c.contacts.department(""),
        lambda c: c.contacts.department("d1", include_sub_departments="yes"),
    ],
    ids=["type-str", "type-bool", "fcid", "dot-segment", "slash", "empty", "flag"],
)
def test_bad_directory_arguments_raise_before_any_request(
    make_client: Make, server: FakeServer, call: Callable[[FinChat], Any]
) -> None:
    with pytest.raises((TypeError, ValueError)):
        call(make_client())
    assert server.requests == []


def test_unknown_organizations_and_departments_are_resource_not_found(
    make_client: Make, server: FakeServer
) -> None:
    missing = httpx.Response(404, json={"errcode": "FC_NOT_FOUND", "error": "no such thing"})
    server.fail("organization", missing)
    server.fail("department", missing)
    client = make_client(max_retries=2)
    with pytest.raises(ResourceNotFoundError):
        client.contacts.organization("nope")
    with pytest.raises(ResourceNotFoundError):
        client.contacts.department("nope")
    assert server.count("organization") == server.count("department") == 1


def test_an_unknown_user_of_an_organizations_request_is_fcid_not_found(
    make_client: Make, server: FakeServer
) -> None:
    server.fail(
        "organizations", httpx.Response(404, json={"errcode": "FC_FCID_NOT_FOUND", "error": "?"})
    )
    with pytest.raises(FcidNotFoundError):
        make_client().contacts.organizations(1, fcid="@ghost:x")


@pytest.mark.parametrize("route", ["organizations", "organization", "department", "visibility"])
def test_directory_reads_are_retried_after_a_server_failure(
    make_client: Make, server: FakeServer, route: str
) -> None:
    server.fail(route, httpx.Response(503), httpx.ReadTimeout("slow"))
    client = make_client(max_retries=2)
    {
        "organizations": lambda: client.contacts.organizations(1, fcid="@a:x"),
        "organization": lambda: client.contacts.organization("o1"),
        "department": lambda: client.contacts.department("d1"),
        "visibility": lambda: client.apps.visibility(),
    }[route]()
    assert server.count(route) == 3


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("organizations", {"organization_id": "o1"}),
        ("organizations", [{"organization_id": "o1", "organization_type": "3"}]),
        ("organizations", ["o1"]),
        ("organization", {"organization_id": "o1", "dispatch_supervision_organizations": "o2"}),
        ("organization", {"organization_name": "no id"}),
        ("department", {"department_id": "d1", "fcids": [1]}),
        ("department", {"department_id": "d1", "sub_departments": None}),
        ("visibility", {"unlimited": "false"}),
        ("visibility", {"unlimited": False, "fcids": "@a:x"}),
        ("visibility", {}),
    ],
)
def test_directory_answers_of_the_wrong_shape_are_invalid_responses(
    make_client: Make, server: FakeServer, route: str, body: Any
) -> None:
    server.fail(route, httpx.Response(200, json=body))
    client = make_client()
    call = {
        "organizations": lambda: client.contacts.organizations(1, fcid="@a:x"),
        "organization": lambda: client.contacts.organization("o1"),
        "department": lambda: client.contacts.department("d1"),
        "visibility": lambda: client.apps.visibility(),
    }[route]
    with pytest.raises(InvalidResponseError):
        call()
