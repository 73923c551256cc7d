from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.organization import Organization
from ...types import UNSET, Response


def _get_kwargs(
    organization_id: str,
    *,
    app_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_id"] = app_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/contact/organizations/{organization_id}".format(
            organization_id=quote(str(organization_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Organization:
    if response.status_code == 200:
        response_200 = Organization.from_dict(response.json())

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
) -> Response[Error | Organization]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    organization_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Response[Error | Organization]:
    """Get an organization

     Answers one organization; an unknown one is `FC_NOT_FOUND`.

    Args:
        organization_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Organization]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        app_id=app_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    organization_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Error | Organization | None:
    """Get an organization

     Answers one organization; an unknown one is `FC_NOT_FOUND`.

    Args:
        organization_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Organization
    """

    return sync_detailed(
        organization_id=organization_id,
        client=client,
        app_id=app_id,
    ).parsed


async def asyncio_detailed(
    organization_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Response[Error | Organization]:
    """Get an organization

     Answers one organization; an unknown one is `FC_NOT_FOUND`.

    Args:
        organization_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Organization]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        app_id=app_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Error | Organization | None:
    """Get an organization

     Answers one organization; an unknown one is `FC_NOT_FOUND`.

    Args:
        organization_id (str): An opaque id sent as one path segment (an app, organization or
            department id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Organization
    """

    return (
        await asyncio_detailed(
            organization_id=organization_id,
            client=client,
            app_id=app_id,
        )
    ).parsed
