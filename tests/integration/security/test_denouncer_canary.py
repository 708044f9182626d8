"""The denouncer canary: every workflow path that can produce a denunciation (generated from the
process tables, tests/integration/security/denunciation_paths.py) is driven through the API
with parties named by a unique canary; afterwards the canary is nowhere but in the vault's
ciphertext — not in any table (a full dump, job payloads included), the log, any PDF the
cases can produce, the CSV export, or any page or JSON the case staff can open."""

from __future__ import annotations

import io
import uuid
from collections import Counter
from datetime import date, timedelta

import asyncpg
import pytest
from pypdf import PdfReader
from quart import Quart
from quart.typing import TestClientProtocol as Client
from structlog.testing import capture_logs

from reception.domain.cases.case_file import CaseScope
from reception.domain.law.workflow import Role
from reception.domain.organisation import StaffRole
from reception.services.cases.support import process_of, rebuild
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import ALL_CASE_ROLES, agency, staff
from tests.integration.conftest import form_token
from tests.integration.security.conftest import signed_in
from tests.integration.security.denunciation_paths import Path, denunciation_paths, plan

HEAD_ROLES = (Role.HEAD, Role.SYS, Role.PH, Role.RO, Role.CIT)
PATHS = denunciation_paths()


def _canary() -> tuple[str, str]:
    return f"Canary{uuid.uuid4().hex[:10]}", str(uuid.uuid4().int)[:12]


def _principal(kind: str) -> str:
    return {"denunciation": "denouncer", "petition": "petitioner"}[kind]


async def _dump(url: str) -> tuple[str, bytes]:
    """Every row of every table as text (the vault apart), and the vault's raw ciphertext."""
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert "procrastinate_jobs" in tables  # job payloads are searched too
        text = []
        for table in tables:
            if table != "denouncer_vault":
                text += [r[0] for r in await conn.fetch(f'SELECT t::text FROM "{table}" t')]
        vault = b"".join(r[0] for r in await conn.fetch("SELECT ciphertext FROM denouncer_vault"))
        return "\n".join(text), vault
    finally:
        await conn.close()


async def _register(client: Client, csrf: str, path: Path, name: str, id_number: str,
                    page: bool) -> str:
    kind = path.entry.value
    if page:  # the registration page
        token = await form_token(client, "/cases/new")
        response = await client.post("/cases/new", form={
            "csrf_token": token, "kind": kind, "channel": "post", "summary": "Đơn gửi qua bưu điện",
            "full_name": name, "address": f"{name} street", "id_type": "CCCD",
            "id_number": id_number, "contact": f"{name}@mail.vn", "respondent": "UBND xã"})
        assert response.status_code == 303, await response.get_data(as_text=True)
        return response.headers["Location"].split("?")[0].rsplit("/", 1)[1]
    response = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": kind, "channel": "post", "summary": "Đơn gửi qua bưu điện",
        # Received four months ago: a path may need a time limit run out (a superior's takeover).
        "received_on": (date.today() - timedelta(days=120)).isoformat(),
        "parties": [{"role": _principal(kind), "full_name": name, "address": f"{name} street",
                     "id_type": "CCCD", "id_number": id_number, "contact": f"{name}@mail.vn"},
                    {"role": "representative", "full_name": f"{name}Rep",
                     "contact": f"{name}Rep@mail.vn"},
                    {"role": "complainee" if kind == "petition" else "denounced",
                     "full_name": "Cán bộ địa chính xã", "organisation": "UBND xã"}]})
    assert response.status_code == 201, await response.get_json()
    return str((await response.get_json())["id"])


async def _drive(app: Quart, clients: dict[str, tuple[Client, str]], case_id: str,
                 path: Path, url: str) -> list[str]:
    """Take the path's spawning actions in turn; the ids of every case on the way."""
    ids = [case_id]
    today = app.container.cases.workflow.today()  # type: ignore[attr-defined]
    for edge in path.edges:
        async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
            scope = CaseScope(frozenset(a.id for a in await uow.agencies.list()))
            row = await uow.cases.get(uuid.UUID(ids[-1]), scope)
            assert row is not None and row.kind is edge.kind
            domain = await rebuild(uow, row)
        for step in plan(process_of(row), domain, edge.action, (*HEAD_ROLES, Role.SUP), today,
                         start=row.opened_on):
            client, csrf = clients["superior" if step.role is Role.SUP else "head"]
            facts = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                     for k, v in step.facts.items()}
            response = await client.post(f"/api/v1/cases/{ids[-1]}/actions",
                                         headers={"X-CSRF-Token": csrf},
                                         json={"action": step.action, "facts": facts,
                                               "on": step.on.isoformat()})
            assert response.status_code == 200, (step, await response.get_json())
        conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
        try:
            spawned = await conn.fetchval("SELECT id FROM case_file WHERE parent_id = $1 AND kind = $2",
                                          uuid.UUID(ids[-1]), edge.spawn.value)
        finally:
            await conn.close()
        assert spawned is not None, f"{edge.action} opened no {edge.spawn}"
        ids.append(str(spawned))
    return ids


async def _pdf_texts(client: Client, csrf: str, case_id: str) -> list[str]:
    detail = await (await client.get(f"/api/v1/cases/{case_id}")).get_json()
    texts = []
    for form in detail["forms"]:
        document = await client.post(f"/api/v1/cases/{case_id}/forms/{form}",
                                     headers={"X-CSRF-Token": csrf}, json={})
        assert document.status_code == 201, form
        data = await (await client.get(
            f"/api/v1/cases/{case_id}/documents/{(await document.get_json())['id']}")).get_data()
        texts.append("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    return texts


@pytest.mark.slow
async def test_no_path_to_a_denunciation_lets_the_canary_out(
        sec_app: Quart, clean_db: str, caplog: pytest.LogCaptureFixture) -> None:
    await agency(sec_app, "TTP")
    await staff(sec_app, "captren", StaffRole.HEAD, StaffRole.CASE_MANAGER, code="TTP")
    await staff(sec_app, "thutruong", *ALL_CASE_ROLES, code="TTC", parent="TTP")
    await staff(sec_app, "theodoi", StaffRole.CASE_MANAGER, code="TTC", parent="TTP")
    clients = {"head": await signed_in(sec_app, "thutruong"),
               "superior": await signed_in(sec_app, "captren"),
               "manager": await signed_in(sec_app, "theodoi")}
    runs = [(path, False) for path in PATHS] + [(p, True) for p in PATHS if not p.edges]
    assert len(runs) >= 5 and any(p.edges for p, _ in runs)
    canaries: dict[str, tuple[str, str]] = {}
    case_ids: list[str] = []
    with capture_logs() as events:
        for path, page in runs:
            name, id_number = _canary()
            label = path.name + (" (registration page)" if page else "")
            canaries[label] = (name, id_number)
            head, csrf = clients["head"]
            first = await _register(head, csrf, path, name, id_number, page)
            case_ids += await _drive(sec_app, clients, first, path, clean_db)

        texts: list[tuple[str, str]] = []
        for case_id in case_ids:
            for client, csrf in (clients["head"], clients["superior"]):  # whoever holds it
                if (await client.get(f"/api/v1/cases/{case_id}")).status_code == 200:
                    texts += [(f"pdf of {case_id}", t) for t in await _pdf_texts(client, csrf, case_id)]
                    break
            else:
                raise AssertionError(f"nobody sees case {case_id}")
            for who in clients.values():
                for url in (f"/cases/{case_id}", f"/api/v1/cases/{case_id}"):
                    texts.append((url, await (await who[0].get(url)).get_data(as_text=True)))
        for name, id_number in canaries.values():
            for who in clients.values():
                for url in ("/cases/", "/dashboard/", "/api/v1/cases/export.csv",
                            "/api/v1/dashboard", f"/api/v1/cases?q={name}",
                            f"/api/v1/cases?q={id_number}", f"/cases/?q={name}",
                            f"/search?q={name}"):
                    response = await who[0].get(url)
                    assert response.status_code == 200, url
                    # A search page repeats what was typed in its box: that echo of the
                    # query is not a leak (anything else on the page still counts).
                    shown = await response.get_data(as_text=True)
                    for typed in (name, id_number):
                        shown = shown.replace(f'value="{typed}"', 'value=""')
                    texts.append((url, shown))
    dump, vault = await _dump(clean_db)
    texts += [("database dump", dump), ("log", caplog.text),
              ("structured log", "\n".join(map(str, events)))]

    hits: Counter[str] = Counter()
    where: set[str] = set()
    for label, (name, id_number) in canaries.items():
        for source, text in texts:
            found = sum(text.count(n) for n in (name, id_number))
            hits[label] += found
            if found:
                where.add(source)
        hits[label] += sum(vault.count(n.encode()) for n in (name, id_number))
    assert dict(hits) == {label: 0 for label in canaries}, (dict(hits), sorted(where))

    # The canaries are really there, sealed: every denouncer is a pseudonym, and the resolver
    # reveals the canary from the vault.
    revealed = []
    for case_id in case_ids:
        for client, csrf in (clients["head"], clients["superior"]):
            detail = await (await client.get(f"/api/v1/cases/{case_id}")).get_json()
            if "parties" not in detail:
                continue
            for party in detail["parties"]:
                if party["role"] == "denouncer":
                    assert party["sealed"] and party["name"].startswith("Người tố cáo")
                    answer = await client.post(
                        f"/api/v1/cases/{case_id}/parties/{party['id']}/reveal",
                        headers={"X-CSRF-Token": csrf}, json={"reason": "Kiểm tra niêm phong"})
                    if answer.status_code == 200:
                        revealed.append((await answer.get_json())["full_name"])
    assert {name for name, _ in canaries.values()} <= set(revealed)
    print({"paths": list(canaries), "cases": len(case_ids), "texts": len(texts),
           "canary_hits": sum(hits.values())})



async def test_no_writer_can_store_an_unsealed_denouncer(sec_app: Quart, clean_db: str) -> None:
    """By construction: whatever future path (an import, a merge) writes parties, the
    repository refuses a plain-text denouncer, and so does the database itself."""
    from reception.domain.cases.case_file import Party, PartyRole
    from reception.domain.cases.denouncer import UnsealedIdentity

    await staff(sec_app, "thutruong", *ALL_CASE_ROLES, code="TTC")
    head, csrf = await signed_in(sec_app, "thutruong")
    case_id = await _register(head, csrf, PATHS[0], "Sealed Person", "001085012345", False)
    plain = Party(uuid.uuid4(), PartyRole.DENOUNCER, 5, "Nguyễn Văn Lộ", "Hà Nội", "CCCD",
                  "001085099999")
    async with sec_app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        with pytest.raises(UnsealedIdentity):
            await uow.cases.add_party(uuid.UUID(case_id), plain)
    conn = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO case_party (id, case_id, role, position, display_name, id_number) "
                "VALUES ($1, $2, 'petitioner', 9, 'Nguyễn Văn Lộ', '001085099999')",
                uuid.uuid4(), uuid.UUID(case_id))
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute("UPDATE case_party SET id_number = '001085099999' "
                               "WHERE role = 'denouncer'")
    finally:
        await conn.close()
