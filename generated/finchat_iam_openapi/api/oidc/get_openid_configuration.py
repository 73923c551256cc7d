from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_error import OAuthError
from ...models.open_id_configuration import OpenIdConfiguration
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/auth/realms/master/.well-known/openid-configuration",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthError | OpenIdConfiguration | None:
    if response.status_code == 200:
        response_200 = OpenIdConfiguration.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = OAuthError.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OAuthError | OpenIdConfiguration]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[OAuthError | OpenIdConfiguration]:
    """The IAM's OpenID Connect discovery document

     Where the IAM's endpoints and keys are, and what it supports (OpenID Connect Discovery 1.0).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | OpenIdConfiguration]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> OAuthError | OpenIdConfiguration | None:
    """The IAM's OpenID Connect discovery document

     Where the IAM's endpoints and keys are, and what it supports (OpenID Connect Discovery 1.0).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | OpenIdConfiguration
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[OAuthError | OpenIdConfiguration]:
    """The IAM's OpenID Connect discovery document

     Where the IAM's endpoints and keys are, and what it supports (OpenID Connect Discovery 1.0).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | OpenIdConfiguration]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> OAuthError | OpenIdConfiguration | None:
    """The IAM's OpenID Connect discovery document

     Where the IAM's endpoints and keys are, and what it supports (OpenID Connect Discovery 1.0).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | OpenIdConfiguration
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
