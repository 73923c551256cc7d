from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.update_room_request import UpdateRoomRequest
from ...models.update_room_response import UpdateRoomResponse
from ...types import Response


def _get_kwargs(
    room_id: str,
    *,
    body: UpdateRoomRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/finchat/open-api/rooms/{room_id}".format(
            room_id=quote(str(room_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UpdateRoomResponse:
    if response.status_code == 200:
        response_200 = UpdateRoomResponse.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = UpdateRoomResponse.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    response_default = Error.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | UpdateRoomResponse]:
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
    body: UpdateRoomRequest,
) -> Response[Error | UpdateRoomResponse]:
    """Change a group room

     Changes one thing of a group room per request. The body fields have a precedence (see
    `x-precedence`, highest first): `name`, `topic`, `history_visibility`, `owner`, the two
    owner-only flags (`message_forbidden_except_owner`, `invite_forbidden_except_owner`), and
    the member changes (`fcids_to_invite`, `fcids_to_kick`). Only the highest group present is
    applied; every field of a lower group is ignored. Some changes need a permission the app
    may lack (`FC_FORBIDDEN`). When the request changes members and some of them fail, the
    answer lists those; when all of them fail, the request fails with the errcode of the
    failure (`FC_FCID_ALREADY_IN_ROOM`, `FC_FCID_NOT_IN_ROOM`, `FC_FCID_NOT_FOUND`,
    `FC_ROOM_IS_NOT_FEDERATE`).

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        body (UpdateRoomRequest): One change of a group room. Only the highest group of fields
            present is applied (see
            `update_room`'s `x-precedence`); the fields of lower groups are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UpdateRoomResponse]
    """

    kwargs = _get_kwargs(
        room_id=room_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    room_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateRoomRequest,
) -> Error | UpdateRoomResponse | None:
    """Change a group room

     Changes one thing of a group room per request. The body fields have a precedence (see
    `x-precedence`, highest first): `name`, `topic`, `history_visibility`, `owner`, the two
    owner-only flags (`message_forbidden_except_owner`, `invite_forbidden_except_owner`), and
    the member changes (`fcids_to_invite`, `fcids_to_kick`). Only the highest group present is
    applied; every field of a lower group is ignored. Some changes need a permission the app
    may lack (`FC_FORBIDDEN`). When the request changes members and some of them fail, the
    answer lists those; when all of them fail, the request fails with the errcode of the
    failure (`FC_FCID_ALREADY_IN_ROOM`, `FC_FCID_NOT_IN_ROOM`, `FC_FCID_NOT_FOUND`,
    `FC_ROOM_IS_NOT_FEDERATE`).

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        body (UpdateRoomRequest): One change of a group room. Only the highest group of fields
            present is applied (see
            `update_room`'s `x-precedence`); the fields of lower groups are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UpdateRoomResponse
    """

    return sync_detailed(
        room_id=room_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    room_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateRoomRequest,
) -> Response[Error | UpdateRoomResponse]:
    """Change a group room

     Changes one thing of a group room per request. The body fields have a precedence (see
    `x-precedence`, highest first): `name`, `topic`, `history_visibility`, `owner`, the two
    owner-only flags (`message_forbidden_except_owner`, `invite_forbidden_except_owner`), and
    the member changes (`fcids_to_invite`, `fcids_to_kick`). Only the highest group present is
    applied; every field of a lower group is ignored. Some changes need a permission the app
    may lack (`FC_FORBIDDEN`). When the request changes members and some of them fail, the
    answer lists those; when all of them fail, the request fails with the errcode of the
    failure (`FC_FCID_ALREADY_IN_ROOM`, `FC_FCID_NOT_IN_ROOM`, `FC_FCID_NOT_FOUND`,
    `FC_ROOM_IS_NOT_FEDERATE`).

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        body (UpdateRoomRequest): One change of a group room. Only the highest group of fields
            present is applied (see
            `update_room`'s `x-precedence`); the fields of lower groups are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UpdateRoomResponse]
    """

    kwargs = _get_kwargs(
        room_id=room_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    room_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateRoomRequest,
) -> Error | UpdateRoomResponse | None:
    """Change a group room

     Changes one thing of a group room per request. The body fields have a precedence (see
    `x-precedence`, highest first): `name`, `topic`, `history_visibility`, `owner`, the two
    owner-only flags (`message_forbidden_except_owner`, `invite_forbidden_except_owner`), and
    the member changes (`fcids_to_invite`, `fcids_to_kick`). Only the highest group present is
    applied; every field of a lower group is ignored. Some changes need a permission the app
    may lack (`FC_FORBIDDEN`). When the request changes members and some of them fail, the
    answer lists those; when all of them fail, the request fails with the errcode of the
    failure (`FC_FCID_ALREADY_IN_ROOM`, `FC_FCID_NOT_IN_ROOM`, `FC_FCID_NOT_FOUND`,
    `FC_ROOM_IS_NOT_FEDERATE`).

    Args:
        room_id (str): A room's id sent as a path segment, `!opaque:server`, with no `/` or white
            space.
        body (UpdateRoomRequest): One change of a group room. Only the highest group of fields
            present is applied (see
            `update_room`'s `x-precedence`); the fields of lower groups are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UpdateRoomResponse
    """

    return (
        await asyncio_detailed(
            room_id=room_id,
            client=client,
            body=body,
        )
    ).parsed
