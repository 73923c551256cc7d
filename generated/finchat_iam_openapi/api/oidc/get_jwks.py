from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.json_web_key_set import JsonWebKeySet
from ...models.o_auth_error import OAuthError
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/auth/realms/master/protocol/openid-connect/certs",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JsonWebKeySet | OAuthError | None:
    if response.status_code == 200:
        response_200 = JsonWebKeySet.from_dict(response.json())

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
) -> Response[JsonWebKeySet | OAuthError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[JsonWebKeySet | OAuthError]:
    """The IAM's public signing keys (JWKS)

     The keys that verify id_token signatures (RFC 7517); the discovery document's `jwks_uri` names this
    address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JsonWebKeySet | OAuthError]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> JsonWebKeySet | OAuthError | None:
    """The IAM's public signing keys (JWKS)

     The keys that verify id_token signatures (RFC 7517); the discovery document's `jwks_uri` names this
    address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JsonWebKeySet | OAuthError
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[JsonWebKeySet | OAuthError]:
    """The IAM's public signing keys (JWKS)

     The keys that verify id_token signatures (RFC 7517); the discovery document's `jwks_uri` names this
    address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JsonWebKeySet | OAuthError]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> JsonWebKeySet | OAuthError | None:
    """The IAM's public signing keys (JWKS)

     The keys that verify id_token signatures (RFC 7517); the discovery document's `jwks_uri` names this
    address.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JsonWebKeySet | OAuthError
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
