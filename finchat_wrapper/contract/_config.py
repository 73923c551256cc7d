"""What a contract run is: the settings, and the schemathesis configuration built from them.

The static part of the configuration is `schemathesis.toml` next to this module; everything that
depends on the target (credentials, seed, budget, operations, known ids) is added here, in memory,
so that the secret never reaches a file and the CLI and the test suite run the same configuration.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

# A fixed default seed: two runs of `finchat contract` send the same cases, so a failure seen once
# can be replayed; `--seed` explores elsewhere.
DEFAULT_SEED = 20261129
DEFAULT_MAX_EXAMPLES = 15
PHASES = ("examples", "coverage", "fuzzing", "stateful")

TOKEN_OPERATION = "get_app_access_token"  # noqa: S105 (an operationId, not a credential)
# What a run against a real deployment may call without `--allow-writes`: nothing that messages
# anyone or stores anything.
READ_ONLY_OPERATIONS = (
    TOKEN_OPERATION,
    "get_iam_info",
    "list_rooms",
    "get_room",
    "get_users_by_authority",
    "get_organizations_by_type",
    "get_organization",
    "get_department",
    "get_user",
    "get_user_friendships",
    "get_app_friendships",
    "pull_events",
    "get_app_visibility",
)
# Added by `--allow-writes`: every body that names recipients is pinned to the given rooms, a
# room update goes to one of them, and a webhook send (only with webhook ids given) to one of
# those webhooks. A room create makes a room of the bot alone.
WRITE_OPERATIONS = (
    "send_message",
    "send_message_as_user",
    "update_cui",
    "upload_media",
    "create_room",
    "update_room",
)
WEBHOOK_OPERATIONS = ("send_webhook_message",)
ALL_OPERATIONS = READ_ONLY_OPERATIONS + WRITE_OPERATIONS + WEBHOOK_OPERATIONS
# The one list of the spec's operations that no contract run covers yet, because the sandbox does
# not serve them (it answers 501): each follow-up issue moves its operations from here to the
# tuples above as the sandbox learns them. A test holds this list to what the sandbox lacks.
NOT_SERVED_YET: tuple[str, ...] = ()
# The IAM's operations (`openapi/finchat-iam.yaml`): a run of their own, against the sandbox's IAM
# or a real one. `authorize` answers a browser (an HTML page or a redirect), the others JSON.
IAM_OPERATIONS = (
    "authorize",
    "get_token",
    "get_userinfo",
    "get_openid_configuration",
    "get_jwks",
)

# Where the IAM run's authorizations send the user back (a loopback URI the sandbox's app accepts).
IAM_REDIRECT_URI = "http://127.0.0.1:8765/contract/callback"
# What schemathesis' positive_data_acceptance accepts by default (4.32.5).
_POSITIVE_STATUSES = ("2xx", "3xx", "401", "403", "404", "409", "429", "5xx")

# How often a generated value is replaced by a value the target knows. Below 1 so that the unknown
# app, user and authority paths are fuzzed as well.
APP_ID_PROBABILITY = 0.85
KNOWN_VALUE_PROBABILITY = 0.6


class ContractConfigError(ValueError):
    """The settings of a contract run are inconsistent; the message says which and why."""


def default_spec_path(name: str = "finchat.yaml") -> Path:
    """`openapi/<name>` of the checkout, else the copy an installed wheel carries.

    The wheel puts it under the sandbox package (see `force-include` in pyproject.toml).
    """
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "openapi" / name
    return checkout if checkout.exists() else package / "sandbox" / "_specs" / name


def default_iam_spec_path() -> Path:
    return default_spec_path("finchat-iam.yaml")


@dataclass(frozen=True, kw_only=True)
class KnownValues:
    """Ids that exist on the target, offered to the generator so cases get past "not found"."""

    fcids: tuple[str, ...] = ()
    room_ids: tuple[str, ...] = ()
    # The group rooms among them: what the room operations take.
    group_room_ids: tuple[str, ...] = ()
    authority_names: tuple[str, ...] = ()
    organization_ids: tuple[str, ...] = ()
    organization_types: tuple[int, ...] = ()
    department_ids: tuple[str, ...] = ()
    webhook_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ContractSettings:
    """One contract run. `secret` is never shown: not in `repr`, not in reports."""

    app_id: str
    secret: str = field(repr=False)
    spec_path: Path = field(default_factory=default_spec_path)
    seed: int = DEFAULT_SEED
    max_examples: int = DEFAULT_MAX_EXAMPLES
    phases: tuple[str, ...] = PHASES
    # operationIds to test; the whole spec by default.
    operations: tuple[str, ...] = ALL_OPERATIONS
    # When not empty, `room_ids` of every write body is these rooms and `fcids` is dropped, a
    # room update goes to one of them and a room create invites nobody, so a run against a real
    # deployment reaches only its test rooms.
    pinned_rooms: tuple[str, ...] = ()
    # When not empty, every webhook send goes through one of these webhooks.
    pinned_webhooks: tuple[str, ...] = ()
    known: KnownValues = field(default_factory=KnownValues)
    # Offer the real secret to the generator of token requests, so their success path is fuzzed
    # too. Meant for the sandbox; reports redact the secret either way.
    offer_secret: bool = False
    max_steps: int | None = None
    # IAM runs only (operations of IAM_OPERATIONS): an IAM access token for userinfo, obtained by
    # signing a user in before the run (the token endpoint needs a code a browser would carry).
    iam_access_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.app_id:
            raise ContractConfigError("app_id must not be empty")
        if not self.secret:
            raise ContractConfigError("secret must not be empty")
        if self.max_examples < 1:
            raise ContractConfigError(f"max_examples must be at least 1, not {self.max_examples}")
        unknown_phases = sorted(set(self.phases) - set(PHASES))
        if unknown_phases or not self.phases:
            raise ContractConfigError(
                f"phases must be a non-empty subset of {', '.join(PHASES)}; got {list(self.phases)}"
            )
        if self.iam:
            unknown_operations = sorted(set(self.operations) - set(IAM_OPERATIONS))
        else:
            unknown_operations = sorted(set(self.operations) - set(ALL_OPERATIONS))
        if unknown_operations or not self.operations:
            raise ContractConfigError(
                f"operations must be operationIds of the spec; unknown: {unknown_operations}"
            )
        if not self.spec_path.is_file():
            raise ContractConfigError(f"spec not found: {self.spec_path}")

    @property
    def iam(self) -> bool:
        """Whether this run is of the IAM's spec (every operation an IAM one)."""
        return bool(self.operations) and set(self.operations) <= set(IAM_OPERATIONS)

    @property
    def writes(self) -> tuple[str, ...]:
        return tuple(op for op in self.operations if op in WRITE_OPERATIONS + WEBHOOK_OPERATIONS)


def _static_config() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemathesis.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def build_config_dict(settings: ContractSettings) -> dict[str, Any]:
    """The schemathesis configuration of a run, as the dict form of `schemathesis.toml`."""
    data = copy.deepcopy(_static_config())
    data["seed"] = settings.seed
    data["generation"]["max-examples"] = settings.max_examples
    for phase in PHASES:
        data["phases"][phase]["enabled"] = phase in settings.phases
    if settings.max_steps is not None:
        data["phases"]["stateful"]["max-steps"] = settings.max_steps
    if settings.iam:
        # The IAM authenticates the app with Basic (the token endpoint) and the user with the
        # IAM access token (userinfo); no FinChat app token is involved.
        del data["auth"]["dynamic"]
        schemes: dict[str, Any] = {
            "clientBasic": {"username": settings.app_id, "password": settings.secret}
        }
        if settings.iam_access_token:
            schemes["iamAccessToken"] = {"bearer": settings.iam_access_token}
        data["auth"]["openapi"] = schemes
        data["dictionaries"] = {
            "app_id": {"values": [settings.app_id]},
            "redirect_uri": {"values": [IAM_REDIRECT_URI]},
            "fcid": {"values": list(settings.known.fcids) or ["@alice:example.org"]},
        }
        offered = {"dictionary": "app_id", "probability": APP_ID_PROBABILITY}
        data["parameters"] = {
            "query.client_id": offered,
            "body.client_id": offered,
            "query.redirect_uri": {"dictionary": "redirect_uri", "probability": APP_ID_PROBABILITY},
            "body.redirect_uri": {"dictionary": "redirect_uri", "probability": APP_ID_PROBABILITY},
            "query.login_hint": {"dictionary": "fcid", "probability": KNOWN_VALUE_PROBABILITY},
        }
        # OAuth answers 400 to a well-formed request it will not grant: a code or refresh token
        # it never issued, a redirect_uri not registered (RFC 6749 4.1.2.1, 5.2). Both are
        # documented answers to schema-valid requests, not a rejection of valid data.
        granted = {"expected-statuses": [*_POSITIVE_STATUSES, "400"]}
        data["operations"] = [
            {
                "include-operation-id": "authorize",
                # The redirect goes to the app, which a contract run is not: never followed.
                "max-redirects": 0,
                "checks": {"positive_data_acceptance": granted},
            },
            {"include-operation-id": "get_token", "checks": {"positive_data_acceptance": granted}},
        ]
        return data
    data["auth"]["dynamic"]["openapi"]["appAccessToken"]["payload"] = {
        "app_id": settings.app_id,
        "secret": settings.secret,
    }

    dictionaries: dict[str, Any] = {"app_id": {"values": [settings.app_id]}}
    parameters: dict[str, Any] = {
        # Bare `app_id` is the query and path parameter; `body.app_id` the field of JSON bodies.
        "app_id": {"dictionary": "app_id", "probability": APP_ID_PROBABILITY},
        "body.app_id": {"dictionary": "app_id", "probability": APP_ID_PROBABILITY},
    }
    if settings.offer_secret:
        dictionaries["secret"] = {"values": [settings.secret]}
        parameters["body.secret"] = {"dictionary": "secret", "probability": APP_ID_PROBABILITY}
    known = settings.known
    fcid_keys = (
        "path.fcid",
        "query.fcid",
        "body.fcids[*]",
        "body.sender",
        "body.owner",
        "body.fcids_to_invite[*]",
        "body.fcids_to_kick[*]",
    )
    values: tuple[str | int, ...]
    for name, values, keys in (
        ("fcid", known.fcids, fcid_keys),
        ("room_id", known.room_ids, ("body.room_ids[*]",)),
        ("group_room_id", known.group_room_ids, ("path.room_id",)),
        ("authority_name", known.authority_names, ("query.authority_name",)),
        ("organization_id", known.organization_ids, ("path.organization_id",)),
        ("organization_type", known.organization_types, ("query.organization_type",)),
        ("department_id", known.department_ids, ("path.department_id",)),
        ("webhook_id", known.webhook_ids, ("body.webhook_id",)),
    ):
        if not values:
            continue
        dictionaries[name] = {"values": list(values)}
        for key in keys:
            parameters[key] = {"dictionary": name, "probability": KNOWN_VALUE_PROBABILITY}
    if settings.pinned_rooms:
        # A plain value, not a dictionary: every generated write body carries exactly these rooms.
        parameters["body.room_ids"] = list(settings.pinned_rooms)
        parameters.pop("body.room_ids[*]", None)
        dictionaries["pinned_room"] = {"values": list(settings.pinned_rooms)}
        parameters["path.room_id"] = {"dictionary": "pinned_room", "probability": 1.0}
    if settings.pinned_webhooks:
        dictionaries["pinned_webhook"] = {"values": list(settings.pinned_webhooks)}
        parameters["body.webhook_id"] = {"dictionary": "pinned_webhook", "probability": 1.0}
    data["dictionaries"] = dictionaries
    data["parameters"] = parameters
    return data
