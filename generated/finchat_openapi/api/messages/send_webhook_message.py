from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.send_webhook_message_request import SendWebhookMessageRequest
from ...models.send_webhook_message_response import SendWebhookMessageResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SendWebhookMessageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/finchat/open-api/message/webhook/send",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | SendWebhookMessageResponse:
    if response.status_code == 200:
        response_200 = SendWebhookMessageResponse.from_dict(response.json())

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
) -> Response[Error | SendWebhookMessageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SendWebhookMessageRequest,
) -> Response[Error | SendWebhookMessageResponse]:
    """Send a message as one of the app's webhook bots

     Sends one message as the webhook bot `webhook_id` into the room it belongs to, and answers
    the id of the message. Supported message types: `m.text`, `m.textcard`, `m.image`,
    `m.file`, `m.cui`. An unknown webhook answers 404 with `FC_NOT_FOUND`.

    Args:
        body (SendWebhookMessageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SendWebhookMessageResponse]
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
    body: SendWebhookMessageRequest,
) -> Error | SendWebhookMessageResponse | None:
    """Send a message as one of the app's webhook bots

     Sends one message as the webhook bot `webhook_id` into the room it belongs to, and answers
    the id of the message. Supported message types: `m.text`, `m.textcard`, `m.image`,
    `m.file`, `m.cui`. An unknown webhook answers 404 with `FC_NOT_FOUND`.

    Args:
        body (SendWebhookMessageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SendWebhookMessageResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SendWebhookMessageRequest,
) -> Response[Error | SendWebhookMessageResponse]:
    """Send a message as one of the app's webhook bots

     Sends one message as the webhook bot `webhook_id` into the room it belongs to, and answers
    the id of the message. Supported message types: `m.text`, `m.textcard`, `m.image`,
    `m.file`, `m.cui`. An unknown webhook answers 404 with `FC_NOT_FOUND`.

    Args:
        body (SendWebhookMessageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SendWebhookMessageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SendWebhookMessageRequest,
) -> Error | SendWebhookMessageResponse | None:
    """Send a message as one of the app's webhook bots

     Sends one message as the webhook bot `webhook_id` into the room it belongs to, and answers
    the id of the message. Supported message types: `m.text`, `m.textcard`, `m.image`,
    `m.file`, `m.cui`. An unknown webhook answers 404 with `FC_NOT_FOUND`.

    Args:
        body (SendWebhookMessageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SendWebhookMessageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
