"""The `finchat` logger and the scrubbing of secrets out of text that reaches logs or messages.

The wrapper never passes a secret or a token to a log call or an exception message; `Redactor`
is the second line: text that comes from a server (an error description that echoes a token) is
scrubbed of every secret the client knows before it is logged or raised.
"""

from __future__ import annotations

import logging
import threading

from ._constants import LOGGER_NAME

__all__ = ["REDACTED", "Redactor", "logger"]

REDACTED = "[redacted]"

logger = logging.getLogger(LOGGER_NAME)

# Tokens remembered for scrubbing; old ones can still show up in late answers.
_MAX_TOKENS = 8


class Redactor:
    """Replaces the client's secret and its recent tokens in text. Thread-safe."""

    def __init__(self, *secrets: str) -> None:
        self._fixed = tuple(s for s in secrets if s)
        self._tokens: list[str] = []
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        """Remember one more secret (a token just fetched)."""
        if not secret:
            return
        with self._lock:
            if secret in self._tokens:
                return
            self._tokens.append(secret)
            del self._tokens[:-_MAX_TOKENS]

    def __call__(self, text: str) -> str:
        with self._lock:
            secrets = (*self._fixed, *self._tokens)
        # Longest first: a secret that contains another is replaced whole.
        for secret in sorted(secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def __repr__(self) -> str:
        return "Redactor(...)"
