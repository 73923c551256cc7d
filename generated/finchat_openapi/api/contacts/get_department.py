from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.department import Department
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    department_id: str,
    *,
    app_id: str,
    include_sub_departments: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_id"] = app_id

    params["include_sub_departments"] = include_sub_departments

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/contact/departments/{department_id}".format(
            department_id=quote(str(department_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Department | Error:
    if response.status_code == 200:
        response_200 = Department.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    response_default = Error.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Department | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    department_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
    include_sub_departments: bool | Unset = False,
) -> Response[Department | Error]:
    """Get a department

     Answers one department with its parent, its sub-departments and its members; with
    `include_sub_departments=true` the members of its sub-departments are included. An unknown
    department is `FC_NOT_FOUND`.

    Args:
        department_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.
        include_sub_departments (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Department | Error]
    """

    kwargs = _get_kwargs(
        department_id=department_id,
        app_id=app_id,
        include_sub_departments=include_sub_departments,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    department_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
    include_sub_departments: bool | Unset = False,
) -> Department | Error | None:
    """Get a department

     Answers one department with its parent, its sub-departments and its members; with
    `include_sub_departments=true` the members of its sub-departments are included. An unknown
    department is `FC_NOT_FOUND`.

    Args:
        department_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.
        include_sub_departments (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Department | Error
    """

    return sync_detailed(
        department_id=department_id,
        client=client,
        app_id=app_id,
        include_sub_departments=include_sub_departments,
    ).parsed


async def asyncio_detailed(
    department_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
    include_sub_departments: bool | Unset = False,
) -> Response[Department | Error]:
    """Get a department

     Answers one department with its parent, its sub-departments and its members; with
    `include_sub_departments=true` the members of its sub-departments are included. An unknown
    department is `FC_NOT_FOUND`.

    Args:
        department_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.
        include_sub_departments (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Department | Error]
    """

    kwargs = _get_kwargs(
        department_id=department_id,
        app_id=app_id,
        include_sub_departments=include_sub_departments,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    department_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
    include_sub_departments: bool | Unset = False,
) -> Department | Error | None:
    """Get a department

     Answers one department with its parent, its sub-departments and its members; with
    `include_sub_departments=true` the members of its sub-departments are included. An unknown
    department is `FC_NOT_FOUND`.

    Args:
        department_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.
        include_sub_departments (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Department | Error
    """

    return (
        await asyncio_detailed(
            department_id=department_id,
            client=client,
            app_id=app_id,
            include_sub_departments=include_sub_departments,
        )
    ).parsed
