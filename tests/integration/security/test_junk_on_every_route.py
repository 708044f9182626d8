"""Every route of the app, read from its own URL map, gets junk as an outsider and as signed-in
staff would send it — an unknown id, absurd query strings, a body of the wrong shape or not
UTF-8, a form without its fields — and answers with a person's error, never a 500."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.organisation import StaffRole
from tests.integration.conftest import make_staff
from tests.integration.security.conftest import PinnedClock, signed_in

JUNK_QUERY = ("?offset=-1&limit=99999999999999999999&page=abc&q=%FF%FE&sort=%27%3BDROP"
              "&from=2026-02-30&to=yesterday&state=nothing&kind=&agency=not-a-uuid"
              "&day=0001-01-01")
# Real days no one means: where date arithmetic overflows (year 1, 9999) and before the
# reception law had any rule in force (1900): one query each, as a handler reads one day.
JUNK_DAYS = ("?day=9999-12-31&from=9999-12-31&to=0001-01-01&date=9999-12-31",
             "?day=1900-01-01&from=1900-01-01&on=1900-01-01")
JUNK_BYTES = b"\xff\xfe\x00{\"a\":"
NOT_TAKEN = "a method it does not take"
LONG = "Nguyễn Thị Hồng Nhung " * 400  # ~9 KB of real text where a short field is expected


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Callable[[str], dict[str, Any]]  # the request's body and headers, given a CSRF token
    shape: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.shape})"


def filled(rule: str) -> str:
    """The rule's path with each variable given something that routes: a UUID nobody has, or
    for a path variable a name that does not exist."""
    def junk(match: re.Match[str]) -> str:
        return str(uuid.uuid4()) if match.group(1) == "uuid" else "khong-co/..%2F..%2Fetc%2Fpasswd"
    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", junk, rule)


def _header(csrf: str) -> dict[str, str]:
    return {"X-CSRF-Token": csrf}


BODIES: dict[str, Callable[[str], dict[str, Any]]] = {
    "no body": lambda csrf: {"headers": _header(csrf)},
    "JSON list": lambda csrf: {"headers": _header(csrf), "json": []},
    "JSON string": lambda csrf: {"headers": _header(csrf), "json": "chuỗi"},
    "JSON of wrong types": lambda csrf: {"headers": _header(csrf), "json": {
        "id": LONG, "n": 1e308, "items": [None, {}, []], "starts_at": "31/02/2026"}},
    "bytes that are not UTF-8": lambda csrf: {
        "headers": {**_header(csrf), "Content-Type": "application/json"}, "data": JUNK_BYTES},
    "form without its fields": lambda csrf: {"form": {
        "csrf_token": csrf, "reason": LONG, "date": "31/02/2026", "count": "-7"}},
    "broken multipart": lambda csrf: {
        "headers": {**_header(csrf), "Content-Type": "multipart/form-data; boundary=nothing"},
        "data": b"--nothing\r\nnot a part"},
}


def calls(app: Quart) -> list[Call]:
    """Each route and method of the URL map with each junk shape (signing out comes last)."""
    found: list[Call] = []
    rules = sorted((r for r in app.url_map.iter_rules()
                    if not r.websocket and not r.endpoint.endswith("static")),
                   key=lambda r: (r.rule == "/logout", r.rule))
    for rule in rules:
        path = filled(rule.rule)
        taken = set(rule.methods or ())
        found += [Call(method, path, BODIES["no body"], "a method it does not take")
                  for method in ("DELETE", "PATCH", "PROPFIND") if method not in taken]
        for method in sorted(taken - {"HEAD", "OPTIONS"}):
            if method == "GET":
                found += [Call("GET", path, lambda csrf: {}, "plain"),
                          Call("GET", path + JUNK_QUERY, lambda csrf: {}, "junk query")]
                found += [Call("GET", path + days, lambda csrf: {}, f"junk days {days}")
                          for days in JUNK_DAYS]
            else:
                found += [Call(method, path, body, shape) for shape, body in BODIES.items()]
    return found


Identity = Callable[[], Awaitable[tuple[Client, str]]]


async def sweep(app: Quart, identity: Identity, clock: PinnedClock,
                seen: Counter[int]) -> list[str]:
    """Every call once; a rate limit met on the way is waited out (the clock moves a day and
    the identity signs in again) and the call repeated."""
    failures: list[str] = []
    client, csrf = await identity()
    for call in calls(app):
        response = await client.open(call.path, method=call.method, **call.body(csrf))
        if response.status_code == 429:
            clock.at += timedelta(days=1)
            client, csrf = await identity()
            response = await client.open(call.path, method=call.method, **call.body(csrf))
        seen[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {call}")
        elif call.shape == NOT_TAKEN and response.status_code not in (404, 405):
            # Whoever asks, with whatever token: no view runs, so routing answers (405, or 404
            # where the filled path no longer matches its rule), not a gate (CSRF's 403).
            failures.append(f"{response.status_code}, not 405: {call}")
    return failures


async def test_junk_on_every_route_is_a_4xx_for_outsiders_staff_and_administrators(
        sec_app: Quart, clock: PinnedClock) -> None:
    await make_staff(sec_app, "hoa", StaffRole.RECEPTIONIST, StaffRole.INSPECTOR,
                     StaffRole.CASE_MANAGER, StaffRole.HEAD)
    await make_staff(sec_app, "quantri", StaffRole.ADMINISTRATOR)

    async def outsider() -> tuple[Client, str]:
        return sec_app.test_client(), "0" * 64

    async def staff(login: str) -> tuple[Client, str]:
        return await signed_in(sec_app, login)

    failures, seen = [], Counter[int]()
    for name, identity in (("outsider", outsider), ("staff", lambda: staff("hoa")),
                           ("administrator", lambda: staff("quantri"))):
        statuses = Counter[int]()
        failures += [f"{name}: {f}" for f in await sweep(sec_app, identity, clock, statuses)]
        seen.update(statuses)
    assert not failures, "\n".join(failures)
    # The sweep reached the handlers: validation refused bodies, lookups found nothing, pages
    # answered — not only the sign-in and CSRF gates.
    assert seen[200] > 50 and seen[404] > 100 and seen[400] + seen[422] > 150, seen
