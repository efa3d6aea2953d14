"""Fixtures shared by the LMS tests: a real lti1p3platform on loopback, registered with
the tool (the live server) as `kaleidoscope lms register` does, and a real Ralph LRS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kaleidoscope.web.lms.cli import register_platform

from .lrs import Ralph
from .lti_platform import CLIENT_ID, Platform


@pytest.fixture
def platform(live_server: Any, settings: Any) -> Iterator[Platform]:
    settings.XAPI_SENDER_CHILD = False
    settings.XAPI_ENDPOINT = ""
    lms = Platform(live_server.url)
    registration = register_platform(
        name="Test platform",
        issuer=lms.url,
        client_id=CLIENT_ID,
        auth_url=f"{lms.url}/auth",
        token_url=f"{lms.url}/token",
        keyset_url=f"{lms.url}/jwks",
        deployments=[lms.deployment],
        grades=True,
        xapi=False,
    )
    lms.registration_uuid = str(registration.uuid)
    yield lms
    lms.close()


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    """A real Ralph LRS on loopback, one per test module."""
    lrs = Ralph(tmp_path_factory.mktemp("ralph")).start()
    yield lrs
    lrs.stop()


@pytest.fixture
def lrs_settings(settings: Any, ralph: Ralph) -> Any:
    """The tool configured to send every play's statements to `ralph` (sender not started:
    the tests drain the outbox themselves)."""
    settings.XAPI_ENDPOINT = ralph.url
    settings.XAPI_USERNAME, settings.XAPI_PASSWORD = ralph.auth
    settings.XAPI_ALL_PLAYS = True
    settings.XAPI_SENDER_CHILD = False
    settings.XAPI_ACTOR_HOME = "https://council.example"
    settings.XAPI_ACTIVITY_BASE = "https://council.example/kaleidoscope"
    settings.XAPI_TIMEOUT = 5
    return settings
