from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.app_friendship import AppFriendship
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    app_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/apps/{app_id}/friendships".format(
            app_id=quote(str(app_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[AppFriendship]:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AppFriendship.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Error | list[AppFriendship]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    app_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | list[AppFriendship]]:
    """List the direct rooms the app's bot has joined

     Answers the users who have a direct room with the app's bot, with that room. The document
    says that user authorisation for this operation will be required later and that it is open
    meanwhile.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[AppFriendship]]
    """

    kwargs = _get_kwargs(
        app_id=app_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    app_id: str,
    *,
    client: AuthenticatedClient,
) -> Error | list[AppFriendship] | None:
    """List the direct rooms the app's bot has joined

     Answers the users who have a direct room with the app's bot, with that room. The document
    says that user authorisation for this operation will be required later and that it is open
    meanwhile.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[AppFriendship]
    """

    return sync_detailed(
        app_id=app_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    app_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | list[AppFriendship]]:
    """List the direct rooms the app's bot has joined

     Answers the users who have a direct room with the app's bot, with that room. The document
    says that user authorisation for this operation will be required later and that it is open
    meanwhile.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[AppFriendship]]
    """

    kwargs = _get_kwargs(
        app_id=app_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    app_id: str,
    *,
    client: AuthenticatedClient,
) -> Error | list[AppFriendship] | None:
    """List the direct rooms the app's bot has joined

     Answers the users who have a direct room with the app's bot, with that room. The document
    says that user authorisation for this operation will be required later and that it is open
    meanwhile.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[AppFriendship]
    """

    return (
        await asyncio_detailed(
            app_id=app_id,
            client=client,
        )
    ).parsed
