from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.iam_info import IamInfo
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat-control/iam-info",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | IamInfo:
    if response.status_code == 200:
        response_200 = IamInfo.from_dict(response.json())

        return response_200

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
) -> Response[Error | IamInfo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | IamInfo]:
    """Where the deployment's IAM is

     Answers the sign-in flows of the deployment; a flow of `type` `iam` names the IAM
    (`IAM_HOST`) in `url`. The IAM's own operations are in `finchat-iam.yaml`. Needs no token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | IamInfo]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> Error | IamInfo | None:
    """Where the deployment's IAM is

     Answers the sign-in flows of the deployment; a flow of `type` `iam` names the IAM
    (`IAM_HOST`) in `url`. The IAM's own operations are in `finchat-iam.yaml`. Needs no token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | IamInfo
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | IamInfo]:
    """Where the deployment's IAM is

     Answers the sign-in flows of the deployment; a flow of `type` `iam` names the IAM
    (`IAM_HOST`) in `url`. The IAM's own operations are in `finchat-iam.yaml`. Needs no token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | IamInfo]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> Error | IamInfo | None:
    """Where the deployment's IAM is

     Answers the sign-in flows of the deployment; a flow of `type` `iam` names the IAM
    (`IAM_HOST`) in `url`. The IAM's own operations are in `finchat-iam.yaml`. Needs no token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | IamInfo
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
