"""Contract testing: schemathesis runs the whole spec against the sandbox or a FinChat server.

`finchat contract` is the command; tests/contract/ runs the same configuration under pytest.
Importing this package is cheap; schemathesis is imported when a run starts.
"""

from ._config import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    PHASES,
    READ_ONLY_OPERATIONS,
    WEBHOOK_OPERATIONS,
    WRITE_OPERATIONS,
    ContractConfigError,
    ContractSettings,
    KnownValues,
    build_config_dict,
    default_spec_path,
)
from ._report import render_summary, to_json, to_junit, write_reports
from ._runner import CheckFailure, ContractResult, run_contract
from ._sandbox import iam_access_token, iam_settings, known_values, run_sandbox, sandbox_settings

__all__ = [  # noqa: RUF022 - plainly sorted(), as tests/*/test_init.py check
    "CheckFailure",
    "ContractConfigError",
    "ContractResult",
    "ContractSettings",
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_SEED",
    "KnownValues",
    "PHASES",
    "READ_ONLY_OPERATIONS",
    "WEBHOOK_OPERATIONS",
    "WRITE_OPERATIONS",
    "build_config_dict",
    "default_spec_path",
    "iam_access_token",
    "iam_settings",
    "known_values",
    "render_summary",
    "run_contract",
    "run_sandbox",
    "sandbox_settings",
    "to_json",
    "to_junit",
    "write_reports",
]
