from http import HTTPStatus
from typing import Any, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import UNSET, Response


def _get_kwargs(
    *,
    authority_name: str,
    app_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["authority_name"] = authority_name

    params["app_id"] = app_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/contact/get-users-by-authority",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[str]:
    if response.status_code == 200:
        response_200 = cast(list[str], response.json())

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
) -> Response[Error | list[str]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    authority_name: str,
    app_id: str,
) -> Response[Error | list[str]]:
    """List the users who hold an authority

     Answers the fcids of the users holding the named authority; an authority nobody holds gives an empty
    list.

    Args:
        authority_name (str):
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[str]]
    """

    kwargs = _get_kwargs(
        authority_name=authority_name,
        app_id=app_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    authority_name: str,
    app_id: str,
) -> Error | list[str] | None:
    """List the users who hold an authority

     Answers the fcids of the users holding the named authority; an authority nobody holds gives an empty
    list.

    Args:
        authority_name (str):
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[str]
    """

    return sync_detailed(
        client=client,
        authority_name=authority_name,
        app_id=app_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    authority_name: str,
    app_id: str,
) -> Response[Error | list[str]]:
    """List the users who hold an authority

     Answers the fcids of the users holding the named authority; an authority nobody holds gives an empty
    list.

    Args:
        authority_name (str):
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[str]]
    """

    kwargs = _get_kwargs(
        authority_name=authority_name,
        app_id=app_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    authority_name: str,
    app_id: str,
) -> Error | list[str] | None:
    """List the users who hold an authority

     Answers the fcids of the users holding the named authority; an authority nobody holds gives an empty
    list.

    Args:
        authority_name (str):
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[str]
    """

    return (
        await asyncio_detailed(
            client=client,
            authority_name=authority_name,
            app_id=app_id,
        )
    ).parsed
