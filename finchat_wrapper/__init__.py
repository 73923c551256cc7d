"""The hand-written FinChat client: tokens, errors, retries, messaging, media and events."""

__all__: list[str] = []
