"""Defaults and fixed values of the client, named in one place."""

from __future__ import annotations

import httpx

# Never "no timeout": a hung server must not hang the bot. Connecting is quick or broken; reads
# and writes get longer because uploads and busy servers are slow.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=10.0)
DEFAULT_MAX_RETRIES = 2
# Refresh this long before `expires_in` runs out, so a token never expires in flight. Clamped to
# half the token's lifetime, so a short-lived token is not refetched on every call.
DEFAULT_TOKEN_REFRESH_MARGIN = 120.0

# Backoff: initial * 2**attempt, capped, with jitter; the whole call gives up after the deadline.
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
DEFAULT_RETRY_DEADLINE = 60.0
# A Retry-After longer than this is not waited for: the error is raised instead.
MAX_RETRY_AFTER = 60.0

# The largest answer body read, counted after decompression. The API's biggest answers (a user's
# friendships, an authority's members) are a few hundred KiB; 16 MiB leaves room and still keeps
# a hostile server from filling the memory.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# The encodings the client decodes itself, with bounded output (see `_guard`): all it accepts.
ACCEPT_ENCODING = "gzip, deflate"
# Decompressed bytes produced per step: a gzip bomb never expands by more than this at once.
DECODE_STEP = 64 * 1024

# Cross-process token fetch: how long a fetch lease lives (a crashed holder frees it after this)
# and how often a waiter looks for the token another process is fetching.
# Longer than a token request can take with the default timeouts (5 s connect + 30 s read).
TOKEN_LEASE_TTL = 60.0
TOKEN_LEASE_POLL = 0.05

# Requests of one send in flight at once: enough to hide a round trip, few enough that one
# broadcast does not take a server's whole connection budget.
DEFAULT_SEND_CONCURRENCY = 8

LOGGER_NAME = "finchat"
ENV_APP_ID = "FINCHAT_APP_ID"
ENV_SECRET = "FINCHAT_SECRET"  # noqa: S105 - the name of a variable, not a secret
ENV_BASE_URL = "FINCHAT_BASE_URL"

TOKEN_PATH = "/api/v1/finchat/open-api/auth/token"  # noqa: S105 - a path, not a secret
