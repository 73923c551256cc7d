from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.send_message_as_user_request import SendMessageAsUserRequest
from ...models.send_message_response import SendMessageResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SendMessageAsUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/finchat/privilege-api/message/send-as-user",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | SendMessageResponse:
    if response.status_code == 200:
        response_200 = SendMessageResponse.from_dict(response.json())

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
) -> Response[Error | SendMessageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SendMessageAsUserRequest,
) -> Response[Error | SendMessageResponse]:
    """Send a message in the name of a user

     Sends one message in the name of `sender` (a user of the app's own server) to rooms, or to
    the direct rooms between `sender` and users; a missing direct room is created. When
    `room_ids` is not empty, `fcids` is ignored. With `fcids`, `topic` sets the same topic on
    each of those direct rooms; without it, their topics are left alone. Supported message
    types: `m.text`, `m.textcard`, `m.image`, `m.file` (not `m.cui`). A privilege API: an app
    without the privilege is refused with `FC_FORBIDDEN`; an unknown sender is
    `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation is still
    being designed and that the operation is open meanwhile. Revision 1 of the document had
    this operation at `/api/v1/finchat/open-api/message/send-as-user`; that path is gone.

    Args:
        body (SendMessageAsUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SendMessageResponse]
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
    body: SendMessageAsUserRequest,
) -> Error | SendMessageResponse | None:
    """Send a message in the name of a user

     Sends one message in the name of `sender` (a user of the app's own server) to rooms, or to
    the direct rooms between `sender` and users; a missing direct room is created. When
    `room_ids` is not empty, `fcids` is ignored. With `fcids`, `topic` sets the same topic on
    each of those direct rooms; without it, their topics are left alone. Supported message
    types: `m.text`, `m.textcard`, `m.image`, `m.file` (not `m.cui`). A privilege API: an app
    without the privilege is refused with `FC_FORBIDDEN`; an unknown sender is
    `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation is still
    being designed and that the operation is open meanwhile. Revision 1 of the document had
    this operation at `/api/v1/finchat/open-api/message/send-as-user`; that path is gone.

    Args:
        body (SendMessageAsUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SendMessageResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SendMessageAsUserRequest,
) -> Response[Error | SendMessageResponse]:
    """Send a message in the name of a user

     Sends one message in the name of `sender` (a user of the app's own server) to rooms, or to
    the direct rooms between `sender` and users; a missing direct room is created. When
    `room_ids` is not empty, `fcids` is ignored. With `fcids`, `topic` sets the same topic on
    each of those direct rooms; without it, their topics are left alone. Supported message
    types: `m.text`, `m.textcard`, `m.image`, `m.file` (not `m.cui`). A privilege API: an app
    without the privilege is refused with `FC_FORBIDDEN`; an unknown sender is
    `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation is still
    being designed and that the operation is open meanwhile. Revision 1 of the document had
    this operation at `/api/v1/finchat/open-api/message/send-as-user`; that path is gone.

    Args:
        body (SendMessageAsUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SendMessageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SendMessageAsUserRequest,
) -> Error | SendMessageResponse | None:
    """Send a message in the name of a user

     Sends one message in the name of `sender` (a user of the app's own server) to rooms, or to
    the direct rooms between `sender` and users; a missing direct room is created. When
    `room_ids` is not empty, `fcids` is ignored. With `fcids`, `topic` sets the same topic on
    each of those direct rooms; without it, their topics are left alone. Supported message
    types: `m.text`, `m.textcard`, `m.image`, `m.file` (not `m.cui`). A privilege API: an app
    without the privilege is refused with `FC_FORBIDDEN`; an unknown sender is
    `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation is still
    being designed and that the operation is open meanwhile. Revision 1 of the document had
    this operation at `/api/v1/finchat/open-api/message/send-as-user`; that path is gone.

    Args:
        body (SendMessageAsUserRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SendMessageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
