"""Lines the machine was unsure of, through the web: highlighted on the review page with why,
approval refused while any is neither confirmed nor corrected (page and API), each
confirmation recorded with its official and audited, and the approved record marks them."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from quart import Quart
from sqlalchemy import text

from reception.domain.transcripts.transcript import Doubt
from tests.integration.cases.helpers import client_for, headers
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.conftest import CHECKED, Desk
from tests.integration.transcript_review.seed import seed_hearing


async def uncertain_desk(review_app: Quart, tmp_path: Path) -> Desk:
    container = review_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    seeded = await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                                doubtful={1: (Doubt.LOW_CONFIDENCE.value,),
                                          2: (Doubt.NO_SPEECH.value, Doubt.REPETITION.value)})
    return Desk(review_app, official, await client_for(review_app, official.login), seeded)


async def audit_of(desk: Desk, action: str) -> list[dict[str, object]]:
    async with desk.app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        rows = await uow.session.execute(text(
            "SELECT details FROM audit_log WHERE action = :a ORDER BY id"), {"a": action})
        return list(rows.scalars())


async def test_highlighted_lines_must_each_be_confirmed_or_corrected_before_approval(
        review_app: Quart, tmp_path: Path) -> None:
    desk = await uncertain_desk(review_app, tmp_path)
    citizen_line, closing_line = desk.seeded.segment_ids[1], desk.seeded.segment_ids[2]
    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert page.count('class="segment uncertain awaiting"') == 2
    assert 'data-awaiting="2"' in page and 'id="approval-blocked"' in page
    assert 'data-reason="low_confidence">khó nghe rõ từ ngữ' in page  # why, in Vietnamese
    assert 'data-reason="possible_no_speech">có thể không phải là lời nói' in page

    refused = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    assert refused.status_code == 409
    assert "2" in (await refused.get_json())["detail"]
    form = await desk.client.post(f"{desk.base}/transcript/approve", form={
        "checked": "on", "csrf_token": desk.client.csrf})  # type: ignore[attr-defined]
    assert form.status_code == 409
    assert "chưa được xác nhận" in await form.get_data(as_text=True)

    confirmed = await desk.client.post(f"{desk.api}/segments/{citizen_line}/confirm",
                                       json={"version": 1}, headers=headers(desk.client))
    assert confirmed.status_code == 200
    body = await confirmed.get_json()
    assert body["awaiting_confirmation"] is False and body["confirmed_at"]
    corrected = await desk.client.post(f"{desk.base}/transcript/segments/{closing_line}", form={
        "text": "Cảm ơn ông, chúng tôi đã ghi nhận đầy đủ.", "version": "1",
        "csrf_token": desk.client.csrf})  # type: ignore[attr-defined]
    assert corrected.status_code == 302
    again = await desk.client.post(f"{desk.api}/segments/{desk.seeded.segment_ids[0]}/confirm",
                                   json={"version": 1}, headers=headers(desk.client))
    assert again.status_code == 409  # a clear line needs no confirmation

    page = await (await desk.client.get(f"{desk.base}/transcript")).get_data(as_text=True)
    assert 'class="segment uncertain awaiting"' not in page and 'id="approval-blocked"' not in page
    assert page.count(f"Đã được {desk.official.full_name} kiểm tra") == 2
    approved = await desk.client.post(f"{desk.api}/approve", json=CHECKED, headers=headers(desk.client))
    assert approved.status_code == 200

    (confirmation,) = await audit_of(desk, "transcript.line_confirmed")
    assert confirmation["segment"] == str(citizen_line)
    assert confirmation["doubts"] == ["low_confidence"] and confirmation["version"] == 1
    (edit,) = await audit_of(desk, "transcript.edited")
    assert edit["resolves"] == ["possible_no_speech", "possible_repetition"]
    (approval,) = await audit_of(desk, "transcript.approved")
    assert approval["uncertain_confirmed"] == 2

    pdf = await (await desk.client.get(f"{desk.base}/transcript.pdf")).get_data(as_text=False)
    assert isinstance(pdf, bytes)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Tôi khiếu lại quyết định thu hồi đất. [*]" in flat
    assert "đã ghi nhận đầy đủ. [**]" in flat
    assert "Dòng máy nhận dạng chưa chắc chắn" in flat


async def test_a_confirmation_from_another_agency_or_of_an_old_version_changes_nothing(
        review_app: Quart, tmp_path: Path) -> None:
    desk = await uncertain_desk(review_app, tmp_path)
    line = desk.seeded.segment_ids[1]
    await desk.client.post(f"{desk.api}/segments/{line}", json={"text": "Tôi khiếu nại.",
                                                                "version": 1},
                           headers=headers(desk.client))
    stale = await desk.client.post(f"{desk.api}/segments/{line}/confirm", json={"version": 1},
                                   headers=headers(desk.client))
    assert stale.status_code == 409
    other = await make_official(review_app.container.staff, login="khac",  # type: ignore[attr-defined]
                                agency_code="KHAC")
    stranger = await client_for(review_app, other.login)
    foreign = await stranger.post(f"{desk.api}/segments/{desk.seeded.segment_ids[2]}/confirm",
                                  json={"version": 1}, headers=headers(stranger))
    assert foreign.status_code == 404
    assert await audit_of(desk, "transcript.line_confirmed") == []
