"""The sandbox's directory over HTTP: organizations, the department tree, app visibility."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox
from finchat_wrapper.sandbox._world import (
    DOC_DEPARTMENT_ID,
    DOC_ORGANIZATION_ID,
    OTHER_APP_ID,
    OTHER_SECRET,
)

from .conftest import API, get_token

DOC_DEPARTMENT = {
    "department_id": DOC_DEPARTMENT_ID,
    "department_name": "九九九",
    "parent_department": "0a072670-ca61-11e9-af7f-877a0c9dfbd0",
    "sub_departments": [
        "55c38b90-09e9-11ea-ab7d-a15ba0c1027b",
        "55c49d00-09e9-11ea-ab7d-a15ba0c1027b",
        "030b9770-09ea-11ea-ab7d-a15ba0c1027b",
        "7f5dff90-517d-11ea-8022-2f1b1e84209f",
    ],
    "fcids": [
        "@tai01:dev.finogeeks.club",
        "@qqq1110:dev.finogeeks.club",
        "@test0007:dev.finogeeks.club",
        "@test001:dev.finogeeks.club",
        "@test005:dev.finogeeks.club",
        "@czr02:dev.finogeeks.club",
    ],
}


Get = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
async def get(http: httpx.AsyncClient, sandbox: Sandbox) -> Get:
    headers = {"Authorization": f"Bearer {await get_token(http, sandbox.app_id, sandbox.secret)}"}

    async def get(path: str, **params: str) -> httpx.Response:
        return await http.get(
            f"{API}{path}", params={"app_id": sandbox.app_id, **params}, headers=headers
        )

    return get


async def test_a_department_answers_the_documents_example(get: Get) -> None:
    response = await get(f"/contact/departments/{DOC_DEPARTMENT_ID}")
    assert response.status_code == 200
    assert response.json() == DOC_DEPARTMENT


async def test_sub_departments_add_the_members_of_the_whole_subtree_once(get: Get) -> None:
    everyone = await get(
        f"/contact/departments/{DOC_DEPARTMENT_ID}", include_sub_departments="true"
    )
    fcids = everyone.json()["fcids"]
    assert len(fcids) == len(set(fcids)) == 8
    assert {"@linian002:dev.finogeeks.club", "@rcstest1:dev.finogeeks.club"} <= set(fcids)
    assert (
        await get(f"/contact/departments/{DOC_DEPARTMENT_ID}", include_sub_departments="false")
    ).json() == DOC_DEPARTMENT
    top = (await get("/contact/departments/0a072670-ca61-11e9-af7f-877a0c9dfbd0")).json()
    assert "parent_department" not in top
    assert top["fcids"] == []


async def test_organizations_of_a_type_and_one_organization(get: Get) -> None:
    by_type = await get(
        "/contact/get-organizations-by-type", fcid="@alice:example.org", organization_type="3"
    )
    assert by_type.json() == [
        {
            "organization_id": "00f3",
            "organization_name": "74564564",
            "organization_type": 3,
            "dispatch_supervision_organizations": ["00f0"],
        }
    ]
    none = await get(
        "/contact/get-organizations-by-type", fcid="@alice:example.org", organization_type="-7"
    )
    assert none.json() == []
    one = await get(f"/contact/organizations/{DOC_ORGANIZATION_ID}")
    assert one.json()["dispatch_supervision_organizations"] == [
        "0a072670-ca61-11e9-af7f-877a0c9dfbd0"
    ]


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("/contact/organizations/ffff", {}, (404, "FC_NOT_FOUND")),
        ("/contact/departments/ffff", {}, (404, "FC_NOT_FOUND")),
        (
            "/contact/get-organizations-by-type",
            {"fcid": "@ghost:example.org", "organization_type": "3"},
            (404, "FC_FCID_NOT_FOUND"),
        ),
        (
            "/contact/get-organizations-by-type",
            {"fcid": "@alice:example.org", "organization_type": "three"},
            (400, "FC_BAD_JSON"),
        ),
        (
            "/contact/get-organizations-by-type",
            {"fcid": "@alice:example.org", "organization_type": "3.0"},
            (400, "FC_BAD_JSON"),
        ),
        (
            "/contact/get-organizations-by-type",
            {"fcid": "@alice:example.org"},
            (400, "FC_BAD_JSON"),
        ),
        (
            f"/contact/departments/{DOC_DEPARTMENT_ID}",
            {"include_sub_departments": "yes"},
            (400, "FC_BAD_JSON"),
        ),
        (
            f"/contact/departments/{DOC_DEPARTMENT_ID}",
            {"include_sub_departments": "1"},
            (400, "FC_BAD_JSON"),
        ),
    ],
)
async def test_unknown_or_malformed_directory_requests_get_the_documented_errcode(
    get: Get,
    path: str,
    params: dict[str, str],
    expected: tuple[int, str],
) -> None:
    response = await get(path, **params)
    assert (response.status_code, response.json()["errcode"]) == expected


async def test_the_apps_visibility_is_its_worlds(
    http: httpx.AsyncClient, sandbox: Sandbox, get: Get
) -> None:
    assert (await get(f"/apps/{sandbox.app_id}/visibility")).json() == {
        "unlimited": False,
        "departments": [DOC_DEPARTMENT_ID],
        "fcids": ["@rcstest1:dev.finogeeks.club"],
    }
    other = {"Authorization": f"Bearer {await get_token(http, OTHER_APP_ID, OTHER_SECRET)}"}
    answer = await http.get(f"{API}/apps/{OTHER_APP_ID}/visibility", headers=other)
    assert answer.json() == {"unlimited": True}
