"""Schemathesis against the app's own OpenAPI document, on a live server (Hypercorn on
127.0.0.1, the real PostgreSQL), with a bounded number of examples per operation, as every role
at once: anonymous, receptionist, inspector, case manager, head and administrator. No answer
may be a 5xx, and every status code must be one the document lists for the operation."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from reception.bootstrap.container import Container
from reception.domain.organisation import AgencyLevel, StaffRole
from reception.services.staff import NewAgency, NewStaff
from tests.conftest import ROOT, asyncpg_dsn
from tests.e2e.conftest import free_port
from tests.integration.conftest import PASSWORD, make_settings

ROLES: dict[str, tuple[StaffRole, ...]] = {
    "receptionist": (StaffRole.RECEPTIONIST,), "inspector": (StaffRole.INSPECTOR,),
    "case_manager": (StaffRole.CASE_MANAGER,), "head": (StaffRole.HEAD,),
    "administrator": (StaffRole.ADMINISTRATOR,)}
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))  # per operation; whole run < 2 min
REQUESTS: Counter[str] = Counter()
SERVER_ERRORS: Counter[str] = Counter()
OPERATIONS: set[str] = set()


async def _seed(url: str, data_dir: Path) -> None:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                  "AND tablename <> 'alembic_version'")
        await conn.execute(f"TRUNCATE {', '.join(repr(t[0]).replace(chr(39), chr(34)) for t in tables)}"
                           " RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
    container = Container(make_settings(data_dir, url), url)
    try:
        agency = await container.staff.create_agency(None, NewAgency("TT", "Thanh tra tỉnh",
                                                                      AgencyLevel.PROVINCE))
        for login, roles in ROLES.items():
            await container.staff.create_staff(None, NewStaff(agency.id, login, login, PASSWORD,
                                                              frozenset(roles)))
    finally:
        await container.close()


@pytest.fixture(scope="module")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("schemathesis")
    asyncio.run(_seed(database_url, data_dir))
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
           "SECRET_KEY": "test-secret", "COOKIE_SECURE": "false", "WORKER_IN_PROCESS": "false",
           "LOG_LEVEL": "WARNING", "PORT": str(port), "HOST": "127.0.0.1"}
    log = (data_dir / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "reception.cli", "serve"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, "server did not start"
        time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=30)
    log.close()
    print({"operations": len(OPERATIONS), "requests": dict(REQUESTS),
           "server_errors": dict(SERVER_ERRORS)})


def _session(base: str, login: str | None) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token
    if login is not None:
        response = session.post(f"{base}/login", data={
            "login": login, "password": PASSWORD, "csrf_token": token.group(1)},
            allow_redirects=False)
        assert response.status_code == 302, login
    session.headers["X-CSRF-Token"] = token.group(1)  # as the browser's scripts send it
    return session


@pytest.fixture(scope="module")
def sessions(live_server: str) -> dict[str, requests.Session]:
    found = {"anonymous": _session(live_server, None)}
    found.update({role: _session(live_server, role) for role in ROLES})
    return found


def _operations(base: str) -> list[object]:
    document = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    api = document.include(path_regex=r"^/api/v1/").exclude(path_regex=r"/events$")  # websocket
    return [result.ok() for result in api.get_all_operations()]


@pytest.mark.slow
def test_the_api_conforms_for_every_role(live_server: str,
                                         sessions: dict[str, requests.Session]) -> None:
    operations = _operations(live_server)
    assert len(operations) > 30
    for operation in operations:
        OPERATIONS.add(str(operation.label))  # type: ignore[attr-defined]

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())  # type: ignore[attr-defined]
        def exercise(case: schemathesis.Case) -> None:
            for role, session in sessions.items():
                response = case.call(base_url=live_server, session=session, timeout=30)
                REQUESTS[role] += 1
                if response.status_code >= 500:
                    SERVER_ERRORS[role] += 1
                case.validate_response(response,
                                       checks=[not_a_server_error, status_code_conformance])

        exercise()
