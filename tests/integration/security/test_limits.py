"""Throttling cannot be dodged with a forged X-Forwarded-For, holds across web processes, and
covers login (per account and per address), status look-ups, link joins and public bookings
(per ID number and per address). A refusal is a clear 429 page, and is not logged one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from quart import Quart
from structlog.testing import capture_logs

from reception.app import create_app
from reception.domain.organisation import StaffRole
from tests.integration.booking.conftest import PinnedClock, booking_form, official_with_session
from tests.integration.conftest import PASSWORD, form_token, make_settings, make_staff


async def test_forged_forwarded_for_does_not_reset_the_login_limit(sec_app: Quart) -> None:
    await make_staff(sec_app, "lan", StaffRole.RECEPTIONIST)
    client = sec_app.test_client()
    token = await form_token(client, "/login")
    statuses = []
    for attempt in range(25):
        response = await client.post(
            "/login", form={"login": "lan", "password": f"guess{attempt}", "csrf_token": token},
            headers={"X-Forwarded-For": f"203.0.113.{attempt}"})
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    right = await client.post("/login", form={"login": "lan", "password": PASSWORD,
                                              "csrf_token": token},
                              headers={"X-Forwarded-For": "198.51.100.7"})
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    assert "chờ một phút" in await right.get_data(as_text=True)


async def test_the_account_limit_holds_from_many_addresses_and_the_address_limit_across_accounts(
        tmp_path: Path, clean_db: str) -> None:
    clock = PinnedClock()
    settings = make_settings(tmp_path, clean_db, TRUSTED_PROXIES="10.0.0.0/8")
    app = create_app(settings, clean_db, clock)
    async with app.test_app():
        await make_staff(app, "lan", StaffRole.RECEPTIONIST)
        client = app.test_client()
        token = await form_token(client, "/login")

        async def attempt(login: str, client_ip: str) -> int:
            response = await client.post(
                "/login", form={"login": login, "password": "wrong-one", "csrf_token": token},
                headers={"X-Forwarded-For": f"6.6.6.6, {client_ip}"},  # leftmost forged
                scope_base={"client": ("10.0.0.2", 40000)})  # our proxy
            return response.status_code

        assert [await attempt("lan", f"198.51.100.{i}") for i in range(7)][-2:] == [429, 429]
        clock.at += timedelta(minutes=2)
        # One address trying many accounts: 30 a minute, then refused whatever the account.
        statuses = [await attempt(f"user{i}", "192.0.2.9") for i in range(32)]
        assert statuses[:30] == [401] * 30 and statuses[30:] == [429, 429]


def test_only_a_trusted_peer_makes_forwarded_for_count() -> None:
    import ipaddress

    from reception.web.security.client import forwarded_client

    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    assert forwarded_client("203.0.113.5", ["1.2.3.4"], ()) == "203.0.113.5"
    assert forwarded_client("203.0.113.5", ["1.2.3.4"], proxies) == "203.0.113.5"
    assert forwarded_client("10.1.1.1", ["1.2.3.4, 198.51.100.2"], proxies) == "198.51.100.2"
    assert forwarded_client("10.1.1.1", ["198.51.100.2, 10.9.9.9"], proxies) == "198.51.100.2"
    assert forwarded_client("10.1.1.1", ["junk"], proxies) == "10.1.1.1"


async def test_limits_hold_across_two_web_processes(tmp_path: Path, clean_db: str) -> None:
    clock = PinnedClock(datetime.now(UTC))  # one counting window, wherever the minute turns
    first = create_app(make_settings(tmp_path / "a", clean_db), clean_db, clock)
    second = create_app(make_settings(tmp_path / "b", clean_db), clean_db, clock)
    async with first.test_app(), second.test_app():
        statuses = []
        for i in range(22):
            app = first if i % 2 else second
            client = app.test_client()
            token = await form_token(client, "/status")
            response = await client.post("/status", form={
                "reference": "KN-2026-000001", "secret": "x" * 16, "csrf_token": token},
                headers={"X-Forwarded-For": f"203.0.113.{i}"})
            statuses.append(response.status_code)
        assert statuses[:20] == [404] * 20 and statuses[20:] == [429, 429]


async def test_link_joins_are_limited_per_address_and_per_token(sec_app: Quart) -> None:
    client = sec_app.test_client()
    statuses = [(await client.post(
        "/api/v1/hearings/00000000-0000-0000-0000-000000000001/join-by-link",
        headers={"X-Join-Token": "a" * 32, "X-Forwarded-For": f"203.0.113.{i}"})).status_code
        for i in range(12)]
    assert set(statuses[:10]) == {403} and statuses[10:] == [429, 429]


async def test_public_bookings_are_limited_per_id_number_and_refusals_are_not_logged(
        sec_app: Quart, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    official, start = await official_with_session(sec_app, days_ahead=14, hours=(8, 16))
    client = sec_app.test_client()
    slots = (await (await client.get("/api/v1/reception/agencies/TT/slots")).get_json())["items"]
    statuses = []
    with capture_logs() as events:
        for i, slot in enumerate(slots[:10]):
            response = await client.post("/api/v1/bookings", json=booking_form(slot["slot"]),
                                         headers={"X-Forwarded-For": f"203.0.113.{i}"})
            statuses.append(response.status_code)
    assert statuses[:3] == [201] * 3 and set(statuses[3:]) == {429}, statuses
    written = "\n".join(map(str, events)) + caplog.text + "".join(capsys.readouterr())
    assert "status=201" in written or "'status': 201" in written or '"status": 201' in written
    for shape in ("status=429", "'status': 429", '"status": 429'):
        assert shape not in written  # no log line per refusal
    assert written.count("rate_limited") <= 1  # a summary at most once a minute
