"""A denunciation from receipt through extension, suspension, resumption and conclusion, with a
denouncer named by a unique canary string: afterwards the string is nowhere but in the vault —
not in any other table, the logs, the CSV export or the PDFs for the denounced person."""

from __future__ import annotations

import io
import uuid
from datetime import date

import asyncpg
import pytest
from pypdf import PdfReader
from quart import Quart

from reception.domain.organisation import StaffRole
from tests.conftest import asyncpg_dsn
from tests.integration.cases.helpers import (
    ALL_CASE_ROLES,
    act,
    assert_deadlines_match_engine,
    client_for,
    detail,
    headers,
    post,
    staff,
)

CANARY = f"Canary{uuid.uuid4().hex[:12]}"
CANARY_ID = "0" + str(uuid.uuid4().int)[:11]


async def _grep_tables(url: str, needles: tuple[str, ...]) -> list[str]:
    conn = await asyncpg.connect(dsn=asyncpg_dsn(url))
    try:
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        hits = []
        for table in tables:
            if table == "denouncer_vault":
                continue
            text = await conn.fetchval(f'SELECT string_agg(t::text, \'\n\') FROM "{table}" t')
            hits += [f"{table}: {n}" for n in needles if text and n in text]
        vault = await conn.fetchval(
            "SELECT string_agg(encode(ciphertext, 'escape'), '') FROM denouncer_vault")
        hits += [f"denouncer_vault (plain text): {n}" for n in needles if vault and n in vault]
        return hits
    finally:
        await conn.close()


async def test_a_denunciation_walk_leaves_the_denouncer_only_in_the_vault(
        app: Quart, clean_db: str, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    head = await staff(app, "head", *ALL_CASE_ROLES)
    verifier = await staff(app, "verifier", StaffRole.INSPECTOR)
    outsider = await staff(app, "other-inspector", StaffRole.INSPECTOR)
    assert head and outsider
    client = await client_for(app, "head")
    received = date(2026, 8, 3)
    case = await post(client, "/api/v1/cases", {
        "kind": "denunciation", "channel": "visit", "summary": "Tố cáo cán bộ nhận hối lộ",
        "received_on": received.isoformat(), "facts": {"complex": True},
        "parties": [{"role": "denouncer", "full_name": CANARY, "address": f"{CANARY} street",
                     "id_number": CANARY_ID, "contact": f"{CANARY}@mail.vn"},
                    {"role": "denounced", "full_name": "Lê Văn Cường", "organisation": "UBND xã"}]}, 201)
    cid = case["id"]
    assert case["principal"] == "Người tố cáo A"
    await act(client, cid, "start_initial_check", received)
    await act(client, cid, "accept", date(2026, 8, 10), facts={"conditions_met": True})
    shown = await assert_deadlines_match_engine(app, client, cid)
    assert {o["rule_id"] for o in shown["obligations"]} == {"T-4", "T-5"}
    await act(client, cid, "send_acceptance_notices", date(2026, 8, 11))
    await act(client, cid, "assign_verification", date(2026, 8, 12),
              facts={"no_conflict_of_interest": True}, verifier_ids=[str(verifier.id)])
    before = {o["rule_id"]: o["due"] for o in (await detail(client, cid))["obligations"]}
    await act(client, cid, "extend", date(2026, 9, 1), facts={"days": 30})
    extended = await assert_deadlines_match_engine(app, client, cid)
    after = {o["rule_id"]: o["due"] for o in extended["obligations"]}
    assert after["T-5"] > before["T-5"]
    await act(client, cid, "suspend", date(2026, 9, 10), facts={"ground": "awaiting_expert_examination"})
    suspended = await assert_deadlines_match_engine(app, client, cid)
    assert suspended["state"] == "T_SUSPENDED" and suspended["suspended"] is True
    await act(client, cid, "send_suspension_notice", date(2026, 9, 11))
    await act(client, cid, "resume", date(2026, 9, 25))
    resumed = await assert_deadlines_match_engine(app, client, cid)
    assert resumed["state"] == "T_VERIFYING"
    assert {o["rule_id"]: o["due"] for o in resumed["obligations"]}["T-5"] > after["T-5"]
    verifier_client = await client_for(app, "verifier")
    await act(verifier_client, cid, "report_verification", date(2026, 10, 1), facts={"denounced_heard": True})
    concluded = await act(client, cid, "conclude", date(2026, 10, 5))
    assert concluded["state"] == "T_CONCLUDED" and concluded["resolved_on_time"] is True
    await assert_deadlines_match_engine(app, client, cid)

    # Only the resolver and the assigned verifier may reveal; each reveal is audit-logged.
    party = next(p for p in resumed["parties"] if p["role"] == "denouncer")
    path = f"/api/v1/cases/{cid}/parties/{party['id']}/reveal"
    outsider_client = await client_for(app, "other-inspector")
    denied = await outsider_client.post(path, json={"reason": "tò mò"}, headers=headers(outsider_client))
    assert denied.status_code == 404
    revealed = await post(verifier_client, path, {"reason": "Cần liên hệ để xác minh"})
    assert revealed["full_name"] == CANARY

    pdfs = []
    for form in ("denounced_notice", "denunciation_acceptance", "receipt_02"):
        document = await post(client, f"/api/v1/cases/{cid}/forms/{form}", {}, 201)
        response = await client.get(f"/api/v1/cases/{cid}/documents/{document['id']}")
        pdfs.append("".join(p.extract_text() for p in PdfReader(io.BytesIO(await response.get_data())).pages))
    assert "Lê Văn Cường" in pdfs[0] and "Người tố cáo A" in pdfs[1]
    export = await client.get("/api/v1/cases/export.csv")
    csv_text = await export.get_data(as_text=True)
    assert export.status_code == 200 and case["reference"] in csv_text

    needles = (CANARY, CANARY_ID)
    assert await _grep_tables(clean_db, needles) == []
    logs = caplog.text + "".join(capsys.readouterr())
    for text in (logs, csv_text, *pdfs):
        assert not any(n in text for n in needles)
    assert await app.container.audit.verify() is None  # type: ignore[attr-defined]
