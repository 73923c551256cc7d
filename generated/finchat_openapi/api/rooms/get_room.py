from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.room_detail import RoomDetail
from ...types import UNSET, Response


def _get_kwargs(
    room_id: str,
    *,
    app_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_id"] = app_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/rooms/{room_id}".format(
            room_id=quote(str(room_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | RoomDetail:
    if response.status_code == 200:
        response_200 = RoomDetail.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = RoomDetail.from_dict(response.json())

        return response_201

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
) -> Response[Error | RoomDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    room_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Response[Error | RoomDetail]:
    """Get a group room

     Answers a group room's name, type, topic, federation, owner and members.

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RoomDetail]
    """

    kwargs = _get_kwargs(
        room_id=room_id,
        app_id=app_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    room_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Error | RoomDetail | None:
    """Get a group room

     Answers a group room's name, type, topic, federation, owner and members.

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RoomDetail
    """

    return sync_detailed(
        room_id=room_id,
        client=client,
        app_id=app_id,
    ).parsed


async def asyncio_detailed(
    room_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Response[Error | RoomDetail]:
    """Get a group room

     Answers a group room's name, type, topic, federation, owner and members.

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RoomDetail]
    """

    kwargs = _get_kwargs(
        room_id=room_id,
        app_id=app_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    room_id: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Error | RoomDetail | None:
    """Get a group room

     Answers a group room's name, type, topic, federation, owner and members.

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RoomDetail
    """

    return (
        await asyncio_detailed(
            room_id=room_id,
            client=client,
            app_id=app_id,
        )
    ).parsed
