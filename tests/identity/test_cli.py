"""`finchat sandbox` serves Sign in with FinChat: its IAM signs a user in for a client that only
knows the printed settings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from finchat_wrapper.identity import IdentityClient

from .conftest import ALICE, REDIRECT

FINCHAT = Path(sys.executable).with_name("finchat")


@pytest.mark.network
def test_finchat_sandbox_prints_its_iam_and_signs_users_in_with_the_given_lifetimes() -> None:
    proc = subprocess.Popen(
        [str(FINCHAT), "sandbox", "--port", "0", "--json", "--iam-access-ttl", "45"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        settings = json.loads(proc.stdout.readline())
        base = settings["base_url"]
        assert settings["iam_issuer"] == f"{base}/auth/realms/master"
        with IdentityClient(settings["app_id"], settings["secret"], base_url=base) as client:
            started = client.authorization_url(REDIRECT, login_hint=ALICE)
            answer = httpx.get(started.url, follow_redirects=False)
            params = dict(httpx.URL(answer.headers["location"]).params)
            session = client.callback(params, redirect_uri=REDIRECT, authorization=started)
        assert session.user.fcid == ALICE
        lifetime = session.access_expires_at - session.refresh_expires_at + 1800
        assert lifetime == pytest.approx(45, abs=1)
        sign_ins = httpx.get(f"{base}/_sandbox/iam/sign-ins").json()
        assert [s["fcid"] for s in sign_ins] == [ALICE]
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()
