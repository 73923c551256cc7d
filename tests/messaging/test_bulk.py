"""The bulk-send planner: splitting, learned limits, merged reports, and never sending twice."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import httpx
import pytest
from finchat_openapi.models import FcidResult, RoomIdResult, SendMessageResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finchat_wrapper._bulk import (
    DEFAULT_MAX_PER_REQUEST,
    Batch,
    BatchResults,
    BulkSend,
    RecipientFailure,
    SendFailedError,
    SendLimits,
    SendReport,
    error_outcome,
    parse_answer,
)
from finchat_wrapper._errors import (
    APIConnectionError,
    APITimeoutError,
    FinChatError,
    InternalServerError,
    InvalidResponseError,
    RoomIdLimitExceededError,
)

from .answers import as_results

ROOM_LIMIT = "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"
FCID_LIMIT = "FC_MESSAGE_FCID_LIMIT_EXCEEDED"


def rooms(n: int) -> list[str]:
    return [f"!r{i}:example.org" for i in range(n)]


def users(n: int) -> list[str]:
    return [f"@u{i}:example.org" for i in range(n)]


def ok(batch: Batch) -> BatchResults:
    """The answer of a server that delivered to every recipient of `batch`."""
    if batch.kind == "room_ids":
        return as_results(
            batch,
            SendMessageResponse(
                room_id_result=[
                    RoomIdResult(room_id=r, event_id=f"$e-{r[1:]}") for r in batch.recipients
                ]
            ),
        )
    return as_results(
        batch,
        SendMessageResponse(
            fcid_result=[FcidResult(fcid=f, event_id=f"$e-{f[1:]}") for f in batch.recipients]
        ),
    )


def run(plan: BulkSend) -> SendReport:
    while not plan.done:
        for batch in plan.next_batches():
            plan.record_response(batch, ok(batch))
    return plan.report()


# ---- splitting --------------------------------------------------------------------------------


def test_recipients_are_split_by_the_configured_maximum_and_kinds_never_share_a_request() -> None:
    plan = BulkSend(
        room_ids=rooms(5), fcids=users(3), limits=SendLimits(max_room_ids=2, max_fcids=2)
    )
    batches = plan.next_batches()
    assert [(b.kind, len(b)) for b in batches] == [
        ("room_ids", 2),
        ("room_ids", 2),
        ("room_ids", 1),
        ("fcids", 2),
        ("fcids", 1),
    ]
    assert batches[0].request_fields() == {"room_ids": ["!r0:example.org", "!r1:example.org"]}
    assert batches[3].request_fields() == {"fcids": ["@u0:example.org", "@u1:example.org"]}
    assert batches[4].request_fields() == {"fcids": ["@u2:example.org"]}
    assert [b.number for b in batches] == [1, 2, 3, 4, 5]


def test_the_default_maximum_is_one_hundred_per_request() -> None:
    plan = BulkSend(fcids=users(250), limits=SendLimits())
    assert [len(b) for b in plan.next_batches()] == [DEFAULT_MAX_PER_REQUEST, 100, 50]


def test_next_batches_hands_out_no_more_than_asked() -> None:
    plan = BulkSend(room_ids=rooms(10), limits=SendLimits(max_room_ids=1))
    assert len(plan.next_batches(3)) == 3
    assert plan.in_flight == 3
    assert plan.pending == 7
    assert plan.next_batches(0) == []


def test_a_recipient_listed_twice_is_sent_once() -> None:
    plan = BulkSend(room_ids=["!a:x", "!b:x", "!a:x"], limits=SendLimits())
    (batch,) = plan.next_batches()
    assert batch.recipients == ("!a:x", "!b:x")
    assert plan.total == 2


def test_no_recipients_is_refused_before_any_request() -> None:
    with pytest.raises(ValueError, match="no recipients"):
        BulkSend(room_ids=[], fcids=[], limits=SendLimits())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"room_ids": "!a:x"}, TypeError, "not a single str"),
        ({"fcids": ["@ok:x", "alice"]}, ValueError, "invalid fcid 'alice'"),
        ({"room_ids": ["!a/b:x"]}, ValueError, "invalid room id"),
        ({"room_ids": ["!a:x"], "fcids": ["@x:y", "!r:x"]}, ValueError, "invalid fcid"),
    ],
)
def test_malformed_recipients_are_refused_before_any_request(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        BulkSend(limits=SendLimits(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, -1, True, 2.5])
def test_a_maximum_must_be_a_positive_int(value: object) -> None:
    with pytest.raises(ValueError, match="max_fcids must be a positive int"):
        SendLimits(max_fcids=value)  # type: ignore[arg-type]


# ---- results ----------------------------------------------------------------------------------


def test_per_recipient_results_are_merged_into_one_report() -> None:
    plan = BulkSend(room_ids=["!a:x", "!b:x", "!c:x"], fcids=["@u:x"], limits=SendLimits())
    room_batch, user_batch = plan.next_batches()
    plan.record_response(
        room_batch,
        as_results(
            room_batch,
            SendMessageResponse(
                room_id_result=[
                    RoomIdResult(room_id="!a:x", event_id="$1:x", errcode="", error=""),
                    RoomIdResult(room_id="!b:x", errcode="FC_ROOM_NOT_FOUND", error="no room"),
                    RoomIdResult(room_id="!c:x", errcode="FC_INTERNAL_ERROR", error="内部错误"),
                ]
            ),
        ),
    )
    plan.record_response(
        user_batch,
        as_results(
            user_batch, SendMessageResponse(fcid_result=[FcidResult(fcid="@u:x", event_id="$2:x")])
        ),
    )
    report = plan.report()
    assert dict(report.succeeded) == {"!a:x": "$1:x", "@u:x": "$2:x"}
    assert dict(report.failed) == {
        "!b:x": RecipientFailure("FC_ROOM_NOT_FOUND", "no room"),
        "!c:x": RecipientFailure("FC_INTERNAL_ERROR", "内部错误"),
    }
    assert report.unknown == {}
    assert (report.total, report.requests, report.ok) == (4, 2, False)


def test_a_recipient_missing_from_the_answer_is_unknown_not_failed() -> None:
    plan = BulkSend(room_ids=["!a:x", "!b:x"], limits=SendLimits())
    (batch,) = plan.next_batches()
    plan.record_response(
        batch,
        as_results(
            batch,
            SendMessageResponse(
                room_id_result=[
                    RoomIdResult(room_id="!a:x", event_id="$1:x"),
                    RoomIdResult(room_id="!stranger:x", event_id="$9:x"),
                ]
            ),
        ),
    )
    report = plan.report()
    assert dict(report.succeeded) == {"!a:x": "$1:x"}
    assert list(report.unknown) == ["!b:x"]


def test_a_result_without_event_id_nor_error_is_unknown_unless_no_event_id_is_required() -> None:
    answer = SendMessageResponse(room_id_result=[RoomIdResult(room_id="!a:x")])
    strict = BulkSend(room_ids=["!a:x"], limits=SendLimits())
    (batch,) = strict.next_batches()
    strict.record_response(batch, as_results(batch, answer))
    assert list(strict.report().unknown) == ["!a:x"]

    lenient = BulkSend(room_ids=["!a:x"], limits=SendLimits(), require_event_id=False)
    (batch,) = lenient.next_batches()
    lenient.record_response(batch, as_results(batch, answer))
    assert dict(lenient.report().succeeded) == {"!a:x": ""}


def test_the_first_of_two_results_for_one_recipient_counts() -> None:
    plan = BulkSend(fcids=["@u:x"], limits=SendLimits())
    (batch,) = plan.next_batches()
    plan.record_response(
        batch,
        as_results(
            batch,
            SendMessageResponse(
                fcid_result=[
                    FcidResult(fcid="@u:x", event_id="$1:x"),
                    FcidResult(fcid="@u:x", errcode="FC_UNKNOWN", error="late"),
                ]
            ),
        ),
    )
    assert dict(plan.report().succeeded) == {"@u:x": "$1:x"}


def test_results_of_the_other_kind_are_ignored() -> None:
    plan = BulkSend(fcids=["@u:x"], limits=SendLimits())
    (batch,) = plan.next_batches()
    plan.record_response(
        batch,
        as_results(
            batch,
            SendMessageResponse(room_id_result=[RoomIdResult(room_id="@u:x", event_id="$1:x")]),
        ),
    )
    assert list(plan.report().unknown) == ["@u:x"]


def test_a_batch_recorded_twice_is_a_bug_that_is_refused() -> None:
    plan = BulkSend(room_ids=["!a:x"], limits=SendLimits())
    (batch,) = plan.next_batches()
    plan.record_response(batch, ok(batch))
    with pytest.raises(RuntimeError, match="not in flight"):
        plan.record_error(batch, errcode=None, error="x", maybe_sent=False)


def test_the_report_is_refused_before_the_send_is_finished() -> None:
    plan = BulkSend(room_ids=["!a:x"], limits=SendLimits())
    plan.next_batches()
    with pytest.raises(RuntimeError, match="not finished"):
        plan.report()


# ---- errors -----------------------------------------------------------------------------------


def test_a_limit_error_halves_the_request_and_resends_its_recipients_in_order() -> None:
    limits = SendLimits(max_room_ids=8)
    plan = BulkSend(room_ids=rooms(8), limits=limits)
    (batch,) = plan.next_batches()
    plan.record_error(batch, errcode=ROOM_LIMIT, error="too many room_ids", maybe_sent=False)
    assert limits.per_request("room_ids") == 4
    assert limits.per_request("fcids") == DEFAULT_MAX_PER_REQUEST
    again = plan.next_batches()
    assert [b.recipients for b in again] == [tuple(rooms(8)[:4]), tuple(rooms(8)[4:])]
    for b in again:
        plan.record_response(b, ok(b))
    report = plan.report()
    assert len(report.succeeded) == 8
    assert report.requests == 3


def test_a_learned_limit_is_kept_for_the_next_send_with_the_same_limits() -> None:
    limits = SendLimits(max_fcids=40)
    first = BulkSend(fcids=users(40), limits=limits)
    (batch,) = first.next_batches()
    first.record_error(batch, errcode=FCID_LIMIT, error="too many fcids", maybe_sent=False)
    run(first)
    second = BulkSend(fcids=users(40), limits=limits)
    assert [len(b) for b in second.next_batches()] == [20, 20]
    assert limits.configured("fcids") == 40
    assert repr(limits) == "SendLimits(room_ids=100, fcids=20)"


def test_concurrent_refusals_of_same_sized_requests_halve_once() -> None:
    limits = SendLimits(max_room_ids=10)
    plan = BulkSend(room_ids=rooms(30), limits=limits)
    batches = plan.next_batches()
    for b in batches:
        plan.record_error(b, errcode=ROOM_LIMIT, error="too many", maybe_sent=False)
    assert limits.per_request("room_ids") == 5


def test_the_limit_error_of_the_other_kind_fails_the_batch_without_halving() -> None:
    limits = SendLimits()
    plan = BulkSend(room_ids=rooms(2), limits=limits)
    (batch,) = plan.next_batches()
    plan.record_error(batch, errcode=FCID_LIMIT, error="too many fcids", maybe_sent=False)
    assert limits.per_request("room_ids") == DEFAULT_MAX_PER_REQUEST
    assert set(plan.report().failed) == set(rooms(2))


def test_a_server_that_refuses_even_one_recipient_fails_it_instead_of_looping() -> None:
    plan = BulkSend(room_ids=["!a:x"], limits=SendLimits(max_room_ids=1))
    (batch,) = plan.next_batches()
    plan.record_error(batch, errcode=ROOM_LIMIT, error="too many", maybe_sent=False)
    assert plan.report().failed == {"!a:x": RecipientFailure(ROOM_LIMIT, "too many")}


def test_a_failure_after_the_request_may_have_arrived_makes_its_recipients_unknown() -> None:
    plan = BulkSend(room_ids=rooms(3), limits=SendLimits(max_room_ids=2))
    first, second = plan.next_batches()
    plan.record_error(first, errcode=None, error="connection reset", maybe_sent=True)
    plan.record_response(second, ok(second))
    report = plan.report()
    assert dict(report.unknown) == {r: "connection reset" for r in rooms(2)}
    assert list(report.succeeded) == rooms(3)[2:]
    assert plan.done


def test_an_error_that_surely_sent_nothing_fails_only_its_batch() -> None:
    plan = BulkSend(room_ids=rooms(4), limits=SendLimits(max_room_ids=2))
    first, second = plan.next_batches()
    plan.record_error(first, errcode="FC_BAD_JSON", error="bad body", maybe_sent=False)
    plan.record_response(second, ok(second))
    report = plan.report()
    assert set(report.failed) == set(rooms(2))
    assert set(report.succeeded) == set(rooms(4)[2:])


def test_an_error_of_the_app_or_token_fails_the_rest_without_sending_it() -> None:
    plan = BulkSend(room_ids=rooms(5), fcids=users(2), limits=SendLimits(max_room_ids=1))
    batches = plan.next_batches(2)
    plan.record_error(
        batches[0], errcode="FC_APP_NOT_PUBLISHED", error="app is not published", maybe_sent=False
    )
    assert plan.pending == 0
    assert plan.next_batches() == []
    plan.record_response(batches[1], ok(batches[1]))
    report = plan.report()
    assert report.requests == 2
    assert report.failed["!r0:example.org"].error == "app is not published"
    assert report.failed["@u1:example.org"] == RecipientFailure(
        "FC_APP_NOT_PUBLISHED", "not sent: app is not published"
    )
    assert list(report.succeeded) == ["!r1:example.org"]
    assert report.total == 7


def test_abort_leaves_the_unsent_not_attempted_and_the_in_flight_unknown() -> None:
    plan = BulkSend(room_ids=rooms(3), limits=SendLimits(max_room_ids=1))
    plan.next_batches(1)
    plan.abort("cancelled")
    report = plan.report()
    assert dict(report.unknown) == {"!r0:example.org": "cancelled"}
    assert dict(report.not_attempted) == {
        "!r1:example.org": "cancelled",
        "!r2:example.org": "cancelled",
    }
    assert not report.failed
    assert not report.ok
    assert report.total == 3
    assert report.summary() == "0 sent, 0 failed, 1 unknown, 2 not attempted"


def _request() -> httpx.Request:
    return httpx.Request("POST", "https://example.org/api/v1/finchat/open-api/message/send")


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            RoomIdLimitExceededError(
                "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED: too many (HTTP 400)",
                errcode=ROOM_LIMIT,
                error="too many",
                status_code=400,
            ),
            (ROOM_LIMIT, "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED: too many (HTTP 400)", False),
        ),
        (
            InternalServerError(
                "FC_INTERNAL_ERROR: boom", errcode="FC_INTERNAL_ERROR", status_code=500
            ),
            ("FC_INTERNAL_ERROR", "FC_INTERNAL_ERROR: boom", False),
        ),
        (
            APIConnectionError("ConnectError", maybe_processed=False),
            (None, "ConnectError", False),
        ),
        (
            APITimeoutError("ReadTimeout", maybe_processed=True),
            (None, "ReadTimeout", True),
        ),
        (InvalidResponseError("not JSON"), (None, "not JSON", True)),
    ],
)
def test_error_outcome_classifies_the_wrappers_exceptions(
    exc: FinChatError, expected: tuple[str | None, str, bool]
) -> None:
    assert error_outcome(exc) == expected


def test_record_exception_halves_on_the_wrappers_limit_error() -> None:
    limits = SendLimits(max_room_ids=4)
    plan = BulkSend(room_ids=rooms(4), limits=limits)
    (batch,) = plan.next_batches()
    exc = RoomIdLimitExceededError("too many", errcode=ROOM_LIMIT, status_code=400)
    plan.record_exception(batch, exc)
    assert limits.per_request("room_ids") == 2
    assert plan.pending == 4


# ---- report -----------------------------------------------------------------------------------


def test_raise_for_failures_returns_a_fully_successful_report() -> None:
    report = run(BulkSend(room_ids=rooms(2), limits=SendLimits()))
    assert report.raise_for_failures() is report
    assert report.ok


def test_raise_for_failures_raises_a_finchat_error_that_carries_the_report() -> None:
    report = SendReport(
        succeeded={"!a:x": "$1:x"},
        failed={"!b:x": RecipientFailure("FC_ROOM_NOT_FOUND", "no room")},
        unknown={"@c:x": "connection reset"},
        requests=2,
    )
    with pytest.raises(SendFailedError) as info:
        report.raise_for_failures()
    assert isinstance(info.value, FinChatError)
    assert info.value.report is report
    assert str(info.value) == (
        "1 failed and 1 unknown of 3 recipients; e.g. !b:x (FC_ROOM_NOT_FOUND: no room); "
        "@c:x (unknown: connection reset)"
    )


def test_a_report_cannot_be_edited() -> None:
    report = run(BulkSend(room_ids=["!a:x"], limits=SendLimits()))
    with pytest.raises(TypeError):
        report.succeeded["!a:x"] = "$forged:x"  # type: ignore[index]
    assert repr(report) == (
        "SendReport(succeeded=1, failed=0, unknown=0, not_attempted=0, requests=1)"
    )


def test_limits_can_be_shared_by_threads() -> None:
    limits = SendLimits(max_fcids=1024)
    barrier = threading.Barrier(8)

    def refuse(size: int) -> None:
        barrier.wait()
        limits.learn("fcids", size)

    threads = [threading.Thread(target=refuse, args=(2**i,)) for i in range(3, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert limits.per_request("fcids") == 4


# ---- properties -------------------------------------------------------------------------------

OUTCOMES = st.sampled_from(
    [
        "answer",
        "answer",
        "answer",
        "maybe_sent",
        "not_sent",
        "whole_send",
        "token_refused",
        "missing_results",
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_rooms=st.integers(0, 40),
    n_users=st.integers(0, 40),
    configured=st.tuples(st.integers(1, 30), st.integers(1, 30)),
    server_limit=st.tuples(st.integers(1, 30), st.integers(1, 30)),
    data=st.data(),
)
def test_every_recipient_ends_with_one_outcome_and_is_never_in_two_requests_that_reached_the_server(
    n_rooms: int,
    n_users: int,
    configured: tuple[int, int],
    server_limit: tuple[int, int],
    data: st.DataObject,
) -> None:
    room_ids, fcids = rooms(n_rooms), users(n_users)
    if not room_ids and not fcids:
        return
    limits = SendLimits(max_room_ids=configured[0], max_fcids=configured[1])
    plan = BulkSend(room_ids=room_ids + room_ids[:3], fcids=fcids, limits=limits)
    server = {"room_ids": server_limit[0], "fcids": server_limit[1]}
    reached: list[str] = []  # every recipient of every request that may have reached the server
    delivered: dict[str, str] = {}
    unknowable: set[str] = set()  # recipients whose outcome the client cannot know
    in_flight: list[Batch] = []
    handed_out = 0

    while not plan.done:
        slots = data.draw(st.integers(1, 4), label="free slots") - len(in_flight)
        new = plan.next_batches(max(slots, 0))
        handed_out += len(new)
        for batch in new:
            assert 1 <= len(batch) <= limits.per_request(batch.kind)
        in_flight.extend(new)
        assert in_flight, "not done, yet nothing pending nor in flight"
        batch = in_flight.pop(data.draw(st.integers(0, len(in_flight) - 1), label="completes"))
        if len(batch) > server[batch.kind]:
            limit_code = ROOM_LIMIT if batch.kind == "room_ids" else FCID_LIMIT
            plan.record_error(batch, errcode=limit_code, error="too many", maybe_sent=False)
            continue
        outcome = data.draw(OUTCOMES, label="outcome")
        if outcome == "token_refused":
            # Refused before anything was done: the server never had those recipients.
            plan.record_error(
                batch, errcode="FC_INVALID_ACCESS_TOKEN", error="revoked", maybe_sent=False
            )
            continue
        reached.extend(batch.recipients)
        if outcome == "maybe_sent":
            unknowable.update(batch.recipients)
            plan.record_error(batch, errcode=None, error="reset", maybe_sent=True)
        elif outcome == "not_sent":
            plan.record_error(batch, errcode="FC_BAD_JSON", error="bad", maybe_sent=False)
        elif outcome == "whole_send":
            plan.record_error(
                batch, errcode="FC_APP_NOT_PUBLISHED", error="unpublished", maybe_sent=False
            )
        else:
            results = []
            for rid in batch.recipients:
                if outcome == "missing_results" and data.draw(st.booleans(), label="drop"):
                    unknowable.add(rid)
                    continue
                if data.draw(st.booleans(), label="delivered"):
                    delivered[rid] = f"$e{len(delivered)}:x"
                    results.append((rid, delivered[rid], ""))
                else:
                    results.append((rid, "", "FC_ROOM_NOT_FOUND"))
            if batch.kind == "room_ids":
                response = SendMessageResponse(
                    room_id_result=[
                        RoomIdResult(room_id=r, event_id=e, errcode=c, error=c)
                        for r, e, c in results
                    ]
                )
            else:
                response = SendMessageResponse(
                    fcid_result=[
                        FcidResult(fcid=r, event_id=e, errcode=c, error=c) for r, e, c in results
                    ]
                )
            plan.record_response(batch, as_results(batch, response))

    report = plan.report()
    everyone = set(room_ids) | set(fcids)
    outcomes: Sequence[set[str]] = [set(report.succeeded), set(report.failed), set(report.unknown)]
    assert set().union(*outcomes) == everyone
    assert sum(map(len, outcomes)) == len(everyone) == report.total
    assert len(reached) == len(set(reached)), (
        "a recipient was in two requests that reached the server"
    )
    assert report.requests == handed_out
    assert set(report.unknown) == unknowable
    assert dict(report.succeeded) == {r: e for r, e in delivered.items() if r in report.succeeded}
    assert set(report.succeeded) == set(delivered)
    for kind in ("room_ids", "fcids"):
        assert 1 <= limits.per_request(kind) <= limits.configured(kind)


def test_parse_answer_reads_the_first_result_of_each_recipient_of_its_kind() -> None:
    batch = BulkSend(room_ids=rooms(2), limits=SendLimits()).next_batches()[0]
    answer = {
        "room_id_result": [
            {"room_id": "!r0:example.org", "event_id": "$a:x"},
            {"room_id": "!r0:example.org", "event_id": "$again:x"},
            {"room_id": "!r1:example.org", "errcode": "FC_ROOM_NOT_FOUND", "error": "gone"},
        ],
        "fcid_result": [{"fcid": "@u0:example.org", "event_id": "$b:x"}],
    }
    assert parse_answer(batch, answer) == {
        "!r0:example.org": ("", "", "$a:x"),
        "!r1:example.org": ("FC_ROOM_NOT_FOUND", "gone", ""),
    }
    assert parse_answer(batch, {}) == {}


@pytest.mark.parametrize(
    "answer",
    [
        [],
        "ok",
        {"room_id_result": {"room_id": "!r0:example.org"}},
        {"room_id_result": [1]},
        {"room_id_result": [{"event_id": "$e:x"}]},
    ],
)
def test_parse_answer_refuses_an_answer_of_another_shape(answer: object) -> None:
    batch = BulkSend(room_ids=rooms(1), limits=SendLimits()).next_batches()[0]
    with pytest.raises(InvalidResponseError):
        parse_answer(batch, answer)
