from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.create_room_request import CreateRoomRequest
from ...models.create_room_response import CreateRoomResponse
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: CreateRoomRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/finchat/open-api/rooms",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateRoomResponse | Error:
    if response.status_code == 201:
        response_201 = CreateRoomResponse.from_dict(response.json())

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
) -> Response[CreateRoomResponse | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateRoomRequest,
) -> Response[CreateRoomResponse | Error]:
    """Create a group room

     Creates a group room (`type` `multi_chat`, the only type today) and answers 201 with its
    id. The owner is the app's bot unless `owner` names a user; `fcids` join it.
    `history_visibility` is `shared` (members see the history from before they joined) unless
    `joined`. `federate` (default false) lets users of other servers in; a room that does not
    federate refuses them with `FC_ROOM_IS_NOT_FEDERATE`. An unknown owner or member is
    `FC_FCID_NOT_FOUND`.

    Args:
        body (CreateRoomRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateRoomResponse | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateRoomRequest,
) -> CreateRoomResponse | Error | None:
    """Create a group room

     Creates a group room (`type` `multi_chat`, the only type today) and answers 201 with its
    id. The owner is the app's bot unless `owner` names a user; `fcids` join it.
    `history_visibility` is `shared` (members see the history from before they joined) unless
    `joined`. `federate` (default false) lets users of other servers in; a room that does not
    federate refuses them with `FC_ROOM_IS_NOT_FEDERATE`. An unknown owner or member is
    `FC_FCID_NOT_FOUND`.

    Args:
        body (CreateRoomRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateRoomResponse | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateRoomRequest,
) -> Response[CreateRoomResponse | Error]:
    """Create a group room

     Creates a group room (`type` `multi_chat`, the only type today) and answers 201 with its
    id. The owner is the app's bot unless `owner` names a user; `fcids` join it.
    `history_visibility` is `shared` (members see the history from before they joined) unless
    `joined`. `federate` (default false) lets users of other servers in; a room that does not
    federate refuses them with `FC_ROOM_IS_NOT_FEDERATE`. An unknown owner or member is
    `FC_FCID_NOT_FOUND`.

    Args:
        body (CreateRoomRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateRoomResponse | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateRoomRequest,
) -> CreateRoomResponse | Error | None:
    """Create a group room

     Creates a group room (`type` `multi_chat`, the only type today) and answers 201 with its
    id. The owner is the app's bot unless `owner` names a user; `fcids` join it.
    `history_visibility` is `shared` (members see the history from before they joined) unless
    `joined`. `federate` (default false) lets users of other servers in; a room that does not
    federate refuses them with `FC_ROOM_IS_NOT_FEDERATE`. An unknown owner or member is
    `FC_FCID_NOT_FOUND`.

    Args:
        body (CreateRoomRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateRoomResponse | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
