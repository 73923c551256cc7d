"""Fleet mode: one token and one record of handled events for many processes, kept in Redis.

    from finchat_wrapper.fleet import RedisDedupeStore, RedisTokenStore

    client = FinChat(app_id, secret, base_url=url,
                     token_store=RedisTokenStore.from_url("redis://cache:6379/0"))
    app = WebhookReceiver(events, token=webhook_token,
                          dedupe=RedisDedupeStore.from_url("redis://cache:6379/0", app_id=app_id))
    poller = EventPoller(client, events, dedupe=RedisDedupeStore.from_url(url, app_id=app_id),
                         cursor_store=RedisCursorStore.from_url(url, app_id=app_id))

Needs the `redis` extra (`pip install 'finchat[redis]'`). Every Redis call has connect and read
timeouts; a Redis that is down or stuck makes a store call raise `RedisStoreError` (a
`FinChatError`) within 2 x timeout + 0.2 s on an open connection (6 x timeout + 0.2 s at worst,
connecting anew), never hang. What that means for a client and a receiver is in `_tokens` and
`_dedupe`; how a command that timed out but still ran is cleaned up, in `_keeper`.
"""

from ._cursor import RedisCursorStore
from ._dedupe import RedisDedupeStore
from ._redis import RedisStoreError
from ._tokens import AsyncRedisTokenStore, RedisTokenStore

__all__ = [
    "AsyncRedisTokenStore",
    "RedisCursorStore",
    "RedisDedupeStore",
    "RedisStoreError",
    "RedisTokenStore",
]
