"""Answers to a batch written as the generated models, for tests that read better that way."""

from __future__ import annotations

from finchat_openapi.models import SendMessageResponse

from finchat_wrapper._bulk import Batch, BatchResults, parse_answer


def as_results(batch: Batch, answer: SendMessageResponse) -> BatchResults:
    """What a driver records for `answer`: its JSON, read as a send reads a 200 answer."""
    return parse_answer(batch, answer.to_dict())
