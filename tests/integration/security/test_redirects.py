"""Redirects go to paths of this site only, whatever the `next=` says."""

from __future__ import annotations

import pytest
from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.conftest import PASSWORD, form_token, make_staff

HOSTILE = ["/%5Cevil.example/x", "/\\evil.example/x", "//evil.example/x", "https://evil.example",
           "/\t/evil.example", "\\\\evil.example", "javascript:alert(1)", "/%09/evil.example",
           "evil.example", "/\\/evil.example"]


@pytest.mark.parametrize("target", HOSTILE)
async def test_the_language_switch_stays_on_this_site(client: object, target: str) -> None:
    response = await client.get("/lang/vi", query_string={"next": target})  # type: ignore[attr-defined]
    location = response.headers["Location"]
    assert response.status_code == 302 and location == "/", location


@pytest.mark.parametrize("target", HOSTILE)
async def test_login_next_stays_on_this_site(app: Quart, target: str) -> None:
    await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    client = app.test_client()
    token = await form_token(client, "/login")
    response = await client.post("/login", form={"login": "lan", "password": PASSWORD,
                                                 "next": target, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/staff"


def test_plain_paths_are_kept() -> None:
    from reception.web.security.redirects import same_origin_path

    assert same_origin_path("/cases/?q=an") == "/cases/?q=an"
    assert same_origin_path("/login?next=/staff") == "/login?next=/staff"


async def test_the_reported_request_is_sent_home(client: object) -> None:
    response = await client.get("/lang/vi?next=/%5Cevil.example/x")  # type: ignore[attr-defined]
    assert response.headers["Location"] == "/"
