"""Benchmark of Sign in with FinChat, every figure measured side by side in one run.

1. id_token verification per sign-in through the client (cached JWKS: kid lookup, algorithm from
   the key, signature, iss/aud/exp/iat/nonce/azp) against the raw joserfc calls doing the same
   checks (jwt.decode + JWTClaimsRegistry.validate), interleaved rounds (ratio target <= 1.2).
2. JWKS fetches for 1,000 real sign-ins at the in-process sandbox IAM (target 1), then a key
   rotation and 1,000 more (target 1 more), sign-ins run 100 at a time.
3. Refresh single flight: 1,000 concurrent async requests of one user whose access token has
   expired (target: 1 refresh request), and 64 threads of the sync client (target 1).

Usage: scripts/bench identity [--tokens N] [--rounds N] [--sign-ins N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time
from urllib.parse import parse_qsl, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey
from joserfc.jwt import JWTClaimsRegistry

from finchat_wrapper.identity import AsyncIdentityClient, IdentityClient, ProviderMetadata
from finchat_wrapper.sandbox import Sandbox

REDIRECT = "http://127.0.0.1:5000/auth/callback"
USER = "@alice:example.org"


def verification(tokens: int, rounds: int) -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "bench-1", "alg": "RS256", "use": "sig"})
    issuer = "https://iam.bench/auth/realms/master"
    now = int(time.time())
    nonce = "bench-nonce"
    values = [
        jwt.encode(
            {"alg": "RS256", "kid": "bench-1"},
            {
                "iss": issuer,
                "aud": "bench-app",
                "azp": "bench-app",
                "sub": f"user-{i}",
                "exp": now + 3600,
                "iat": now,
                "nonce": nonce,
                "fcid": f"@user{i}:bench.org",
                "name": f"user {i}",
            },
            key,
        )
        for i in range(tokens)
    ]
    public = RSAKey.import_key(key.as_dict(private=False))
    client = IdentityClient("bench-app", "bench-secret", issuer=issuer)
    client._core.keys.load({"keys": [public.as_dict()]})  # the cached JWKS of a running app
    core = client._core
    core._metadata = _metadata(issuer)

    def ours() -> None:
        for value in values:
            client._run(core.verify_flow(value, nonce=nonce))

    def raw() -> None:
        for value in values:
            token = jwt.decode(value, public, algorithms=["RS256"])
            JWTClaimsRegistry(
                now=int(time.time()),
                leeway=60,
                iss={"essential": True, "value": issuer},
                sub={"essential": True},
                aud={"essential": True, "value": "bench-app"},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)

    ours_times, raw_times = [], []
    for _ in range(rounds):
        for run, times in ((raw, raw_times), (ours, ours_times)):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) / tokens)
    ours_us = statistics.median(ours_times) * 1e6
    raw_us = statistics.median(raw_times) * 1e6
    print("1. id_token verification per sign-in (RS256, cached JWKS)")
    print(f"   raw joserfc decode + claims: {raw_us:8.1f} us")
    print(f"   IdentityClient verify:       {ours_us:8.1f} us")
    print(f"   ratio: {ours_us / raw_us:.3f}x  (target <= 1.2)")
    client.close()


def _metadata(issuer: str) -> ProviderMetadata:
    return ProviderMetadata(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/auth",
        token_endpoint=f"{issuer}/token",
        jwks_uri=f"{issuer}/certs",
    )


async def sign_ins(count: int) -> None:
    with Sandbox() as sandbox:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with (
            AsyncIdentityClient(
                sandbox.app_id, sandbox.secret, base_url=sandbox.base_url, transport=transport
            ) as client,
            httpx.AsyncClient(transport=transport) as browser,
        ):

            async def one() -> None:
                started = await client.authorization_url(REDIRECT, login_hint=USER)
                answer = await browser.get(started.url)
                params = dict(parse_qsl(urlsplit(answer.headers["location"]).query))
                await client.callback(params, redirect_uri=REDIRECT, authorization=started)

            async def many() -> float:
                start = time.perf_counter()
                for _ in range(0, count, 100):
                    await asyncio.gather(*(one() for _ in range(min(100, count))))
                return time.perf_counter() - start

            first = await many()
            before = client.jwks_fetches
            sandbox.iam.rotate_keys(retire_previous=True)
            second = await many()
            print(f"2. JWKS fetches for {count:,} sign-ins, then a key rotation and {count:,} more")
            print(f"   first {count:,}: {before} fetch(es) ({count / first:,.0f} sign-ins/s)")
            print(
                f"   after the rotation: {client.jwks_fetches - before} more "
                f"({count / second:,.0f} sign-ins/s); the IAM served {sandbox.iam.requests['jwks']}"
            )
            print("   target: 1, then 1 more")


_offset = [0.0]


def clock() -> float:
    return time.time() + _offset[0]


async def single_flight(concurrency: int) -> None:
    offset = _offset
    offset[0] = 0.0

    with Sandbox() as sandbox:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with (
            AsyncIdentityClient(
                sandbox.app_id,
                sandbox.secret,
                base_url=sandbox.base_url,
                transport=transport,
                clock=clock,
            ) as client,
            httpx.AsyncClient(transport=transport) as browser,
        ):
            started = await client.authorization_url(REDIRECT, login_hint=USER)
            answer = await browser.get(started.url)
            params = dict(parse_qsl(urlsplit(answer.headers["location"]).query))
            session = await client.callback(params, redirect_uri=REDIRECT, authorization=started)
            sandbox.iam.expire_sessions(USER)
            offset[0] = 301.0  # the client sees the access token expired
            start = time.perf_counter()
            results = await asyncio.gather(*(client.userinfo(session) for _ in range(concurrency)))
            elapsed = time.perf_counter() - start
            refreshes = sandbox.iam.requests["token:refresh_token"]
        print(f"3. refresh single flight: {concurrency:,} concurrent requests of one user, expired")
        print(
            f"   async: {refreshes} refresh request(s), {len(results):,} userinfo answers in "
            f"{elapsed * 1000:.0f} ms (target: 1 refresh)"
        )


def sync_single_flight(threads: int) -> None:
    offset = _offset
    with (
        Sandbox() as sandbox,
        IdentityClient(
            sandbox.app_id,
            sandbox.secret,
            base_url=sandbox.base_url,
            transport=sandbox.transport(),
            clock=clock,
        ) as sync_client,
    ):
        offset[0] = 0.0
        started = sync_client.authorization_url(REDIRECT, login_hint=USER)
        with httpx.Client(transport=sandbox.transport()) as browser_sync:
            answer = browser_sync.get(started.url)
        params = dict(parse_qsl(urlsplit(answer.headers["location"]).query))
        session = sync_client.callback(params, redirect_uri=REDIRECT, authorization=started)
        offset[0] = 301.0
        barrier = threading.Barrier(threads)

        def request() -> None:
            barrier.wait()
            sync_client.refresh(session)

        workers = [threading.Thread(target=request) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        print(
            f"   sync: {sandbox.iam.requests['token:refresh_token']} refresh request(s) for "
            f"{threads} threads (target: 1)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sign-ins", type=int, default=1000)
    args = parser.parse_args()
    verification(args.tokens, args.rounds)
    asyncio.run(sign_ins(args.sign_ins))
    asyncio.run(single_flight(1000))
    sync_single_flight(64)


if __name__ == "__main__":
    main()
