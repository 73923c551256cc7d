"""The fault campaign's figures: a broadcast to 2,000 recipients while a fifth of requests fail.

The campaign is the one of `tests/integration/test_messaging_faults.py` (imported from there, so
the figures are those of the test): 1,000 rooms and 1,000 users, the sandbox in-process with
limits of 10 per request (the rooms' limit learned, the users' configured at 8), and a seeded
`FaultPlan` of every kind: drops before and after processing, FC_INTERNAL_ERROR / HTML 502 /
503 answers, latency, token revocations, per-recipient errors. Retries do not sleep (the
testing switch of `RetryPolicy`), so the figures are about decisions, not backoff.

For each client: the outcomes (succeeded + failed + unknown = 2,000), failures by errcode, the
send requests the transport saw (first attempts, retries and token replays) against the
batches of the plan, what those attempts met, the tokens fetched, and the checks: nobody got the
message twice, and the unknown recipients are exactly those of requests dropped after the
sandbox processed them.

Usage: scripts/bench faults
"""

from __future__ import annotations

import asyncio
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from finchat_wrapper._content import text_content
from tests.integration.test_messaging_faults import (
    ROOMS,
    USERS,
    Seen,
    async_campaign_client,
    campaign_client,
    sandbox,
)

KINDS = ("dropped-before", "dropped-after", "500", "502", "503", "401", "400", "200")


def run_sync(concurrency: int) -> tuple[Any, Any, Seen, float]:
    seen = Seen()
    with sandbox() as sb, campaign_client(sb, seen, concurrency) as client:
        started = time.perf_counter()
        report = client.messages.send(text_content("broadcast"), room_ids=ROOMS, fcids=USERS)
        return report, sb, seen, time.perf_counter() - started


async def run_async(concurrency: int) -> tuple[Any, Any, Seen, float]:
    seen = Seen()
    with sandbox() as sb:
        async with async_campaign_client(sb, seen, concurrency) as client:
            started = time.perf_counter()
            report = await client.messages.send(
                text_content("broadcast"), room_ids=ROOMS, fcids=USERS
            )
            return report, sb, seen, time.perf_counter() - started


def main() -> None:
    warnings.simplefilter("ignore", UserWarning)  # rooms and users together: intended here
    runs = [
        ("FinChat, concurrency 1", run_sync(1)),
        ("FinChat, concurrency 8", run_sync(8)),
        ("AsyncFinChat, concurrency 8", asyncio.run(run_async(8))),
    ]
    print("fault campaign: broadcast to 1,000 rooms + 1,000 users, ~20% of requests faulted")
    header = f"   {'':36}" + "".join(f"{name[:28]:>30}" for name, _ in runs)
    print(header)

    def row(label: str, values: list[str]) -> None:
        print(f"   {label:36}" + "".join(f"{v:>30}" for v in values))

    results = [r for _, r in runs]
    row("succeeded", [f"{len(r.succeeded):,}" for r, *_ in results])
    row("failed", [f"{len(r.failed):,}" for r, *_ in results])
    row("unknown", [f"{len(r.unknown):,}" for r, *_ in results])
    row("total (must be 2,000)", [f"{r.total:,}" for r, *_ in results])
    errcodes = sorted({f.errcode or "no errcode" for r, *_ in results for f in r.failed.values()})
    for code in errcodes:
        row(
            f"  failed: {code}",
            [
                str(sum((f.errcode or "no errcode") == code for f in r.failed.values()))
                for r, *_ in results
            ],
        )
    row("batches (plan requests)", [str(r.requests) for r, *_ in results])
    row("send attempts on the wire", [str(seen.attempts) for _, _, seen, _ in results])
    row(
        "retries + token replays",
        [str(seen.attempts - r.requests) for r, _, seen, _ in results],
    )
    for kind in KINDS:
        row(f"  attempts answered {kind}", [str(seen.outcomes[kind]) for _, _, seen, _ in results])
    row("token requests", [str(sb.stats.token_requests) for _, sb, _, _ in results])
    row(
        "max deliveries per recipient",
        [
            str(max(Counter(d.recipient for d in sb.delivery_log).values()))
            for _, sb, _, _ in results
        ],
    )
    row(
        "unknown == dropped after",
        [str(set(r.unknown) == seen.dropped_after) for r, _, seen, _ in results],
    )
    row("wall seconds", [f"{seconds:.2f}" for *_, seconds in results])


if __name__ == "__main__":
    main()
