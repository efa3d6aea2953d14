"""The LTI platform fixture shared by the LTI tests: a real lti1p3platform on loopback,
registered with the tool (the live server) as `kaleidoscope lms register` does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kaleidoscope.web.lms.cli import register_platform

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
