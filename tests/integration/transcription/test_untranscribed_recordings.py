"""A member whose recording cannot be read is never silently left out of the transcript: the
transcript is done from the others, the recording is stored as not transcribed with why, the
review page and the console say in Vietnamese whose words are missing and from which
recording, the approval asks the official to acknowledge it (422 without, audited with), and
the signed hearing record states it in a section of its own."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from quart import Quart

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus, Unreadable
from tests.integration.cases.helpers import client_for, headers
from tests.integration.transcription.conftest import (
    SPEECH,
    Track,
    audit_of,
    seed_hearing,
    transcript_of,
)

CITIZEN = "Nguyễn Thị Lan"
OFFICIAL = "Cán bộ Hòa"
DAMAGED = b"\x1aE\xdf\xa3 not really webm" * 50  # a recording no decoder can read


async def test_an_unreadable_recording_is_named_on_review_approval_and_the_signed_record(
    app: Quart, tmp_path: Path
) -> None:
    container: Container = app.container  # type: ignore[attr-defined]
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.OFFICIAL, OFFICIAL, SPEECH / "citizen.wav", 0.0),
        Track(MemberRole.CITIZEN, CITIZEN, DAMAGED, 2.0)], tmp_path / "recordings", attested=True)

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    transcript, segments = await transcript_of(container, hearing_id)
    assert transcript is not None and segments
    assert {s.member_id for s in segments} == {members[OFFICIAL]}
    async with container.uow_factory() as uow:  # which recording, whose, and why: as data
        (unread,) = [t for t in await uow.transcription.tracks(transcript.id) if t.result is None]
        hearing = await uow.hearings.get(hearing_id)
        assert hearing is not None
        official = await uow.staff.get(hearing.opened_by)
        assert official is not None
    assert unread.member_id == members[CITIZEN] and unread.unreadable is Unreadable.UNDECODABLE
    assert unread.recording_path == f"{hearing_id}/{members[CITIZEN]}.audio.wav"

    client = await client_for(app, official.login)
    base = f"/staff/hearings/{hearing_id}/transcript"
    page = await (await client.get(base)).get_data(as_text=True)
    assert 'id="untranscribed"' in page and f'data-member="{members[CITIZEN]}"' in page
    notice = page.split('id="untranscribed-1"')[1].split("</li>")[0]
    assert f"Lời nói của {CITIZEN} (Công dân) KHÔNG có trong bản ghi lời nói này" in notice
    assert f"{members[CITIZEN]}.audio.wav" in notice and "tệp bị hỏng hoặc không đọc được" in notice
    assert "phải được lấy từ chính bản ghi âm" in notice
    assert "could not" not in notice and "Error" not in notice  # no English, no exception
    assert 'name="untranscribed"' in page

    status = await (await client.get(f"/api/v1/hearings/{hearing_id}/transcript/status")).get_json()
    assert status["state"] == "done" and status["untranscribed"] == 1
    assert f"Lời nói của {CITIZEN} (Công dân) KHÔNG có trong bản ghi lời nói này" in status["detail"]
    assert "could not" not in status["detail"] and "could not" not in status["label"]

    api = f"/api/v1/hearings/{hearing_id}/transcript"
    for line in (await (await client.get(api)).get_json())["segments"]:  # the doubtful lines
        if line["awaiting_confirmation"]:
            confirmed = await client.post(f"{api}/segments/{line['id']}/confirm",
                                          json={"version": line["version"]}, headers=headers(client))
            assert confirmed.status_code == 200

    csrf = client.csrf  # type: ignore[attr-defined]
    refused = await client.post(f"{base}/approve", form={"checked": "on", "csrf_token": csrf})
    assert refused.status_code == 422
    assert f"Hãy đánh dấu “Tôi biết lời nói của {CITIZEN}" in await refused.get_data(as_text=True)
    # The API asks for the same two declarations as the page, the first one included.
    undeclared = await client.post(f"{api}/approve", json={"untranscribed_acknowledged": True},
                                   headers=headers(client))
    assert undeclared.status_code == 422
    assert "Hãy đánh dấu “Tôi đã đối chiếu" in (await undeclared.get_json())["detail"]
    refused_api = await client.post(f"{api}/approve", json={"checked_against_recording": True},
                                    headers=headers(client))
    assert refused_api.status_code == 422
    assert f"Lời nói của {CITIZEN}" in (await refused_api.get_json())["detail"]
    assert (await (await client.get(api)).get_json())["approved_at"] is None
    assert await audit_of(container, "transcript.approved") == []

    approved = await client.post(f"{base}/approve", form={
        "checked": "on", "untranscribed": "on", "csrf_token": csrf})
    assert approved.status_code == 302
    assert (await (await client.get(api)).get_json())["approved_at"] is not None
    (approval,) = await audit_of(container, "transcript.approved")
    assert approval["untranscribed_acknowledged"] is True
    assert approval["untranscribed"] == [{
        "member": str(members[CITIZEN]), "speaker": CITIZEN, "reason": "undecodable",
        "recording": f"{members[CITIZEN]}.audio.wav"}]

    record = await client.get(f"{base}.pdf")
    assert record.status_code == 200
    pdf = await record.get_data(as_text=False)
    assert isinstance(pdf, bytes)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    section = flat.split("LỜI NÓI KHÔNG ĐƯỢC CHUYỂN THÀNH VĂN BẢN")[1].split("NỘI DUNG GHI LỜI NÓI")[0]
    assert f"{CITIZEN} (Công dân)" in section and "tệp bị hỏng hoặc không đọc được" in section
    assert "KHÔNG có trong nội dung ghi lời nói" in section
    async with container.uow_factory() as uow:
        damaged = [r for r in await uow.hearings.recordings(hearing_id)
                   if r.member_id == members[CITIZEN]]
    assert damaged[0].sha256 in section.replace(" ", "")  # the file, by its hash
    assert OFFICIAL not in section
