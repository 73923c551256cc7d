"""Checks of plain argument values shared by the content builders and the CUI card builder.

Each returns the value when it is fine and raises `TypeError` or `ValueError` naming the argument
otherwise. Identifiers (fcids, room and event ids) have their own checks in `_ids`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["check_concurrency", "check_count", "check_str", "check_url"]


def check_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def check_count(name: str, value: object) -> int:
    # bool is an int subclass; `size=True` is a bug, not a size of 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def check_url(name: str, value: object) -> str:
    url = check_str(name, value)
    if not urlsplit(url).scheme or any(c.isspace() for c in url):
        raise ValueError(
            f"{name} must be an absolute URL such as https://example.org/, got {url!r}"
        )
    return url


def check_concurrency(concurrency: int) -> int:
    """`concurrency` if it is a positive int; ValueError otherwise."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive int, got {concurrency!r}")
    return concurrency
