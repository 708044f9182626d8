"""What was said in a damaged stretch of a recording is not in the transcript, and the approval
and the signed hearing record say so: approval asks the official to acknowledge it (the same
declaration as for a recording not transcribed; 422 without, on the page and the API, naming
whose recording and when), the `transcript.approved` audit entry lists the stretches, and the
record states each one, on the hearing's clock, in a section of its own."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from quart import Quart

from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.cases.helpers import client_for, headers
from tests.integration.transcription.conftest import (
    CITIZEN_LINKS,
    SPEECH,
    Track,
    audit_of,
    seed_hearing,
)
from tests.speech import damage_packets, write_opus_webm
from transcripts.engine import decode

CITIZEN = "Nguyễn Thị Lan"
OFFICIAL = "Cán bộ Hòa"
JOINED_S = 2.0  # the citizen's recording starts 2 s into the hearing
LOST = (6.0, 7.0)  # seconds of the citizen's file whose packets are damaged: 8-9 s of the hearing


async def test_a_damaged_stretch_is_acknowledged_at_approval_and_stated_in_the_signed_record(
    app: Quart, tmp_path: Path
) -> None:
    container: Container = app.container  # type: ignore[attr-defined]
    whole = write_opus_webm(tmp_path / "whole.webm", decode(SPEECH / "citizen.wav"))
    damaged = damage_packets(whole, tmp_path / "damaged.webm", *LOST)
    hearing_id, members = await seed_hearing(container, "en", [
        Track(MemberRole.OFFICIAL, OFFICIAL, SPEECH / "official.wav", 0.0),
        Track(MemberRole.CITIZEN, CITIZEN, damaged, JOINED_S)], tmp_path / "recordings",
        attested=True)

    assert await container.transcription.run(hearing_id) is TranscriptStatus.DONE

    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
        assert hearing is not None
        official = await uow.staff.get(hearing.opened_by)
        assert official is not None
        (recording,) = [r for r in await uow.hearings.recordings(hearing_id)
                        if r.member_id == members[CITIZEN]]
    client = await client_for(app, official.login)
    base = f"/staff/hearings/{hearing_id}/transcript"
    api = f"/api/v1/hearings/{hearing_id}/transcript"
    page = await (await client.get(base)).get_data(as_text=True)
    box = page.split('id="untranscribed-check"')[1].split("</label>")[0]
    assert 'name="untranscribed"' in box
    assert (f"Tôi biết lời nói trong các đoạn ghi âm bị hỏng ({CITIZEN} (00:08–00:10)) không có "
            "trong bản ghi lời nói này") in box
    for line in (await (await client.get(api)).get_json())["segments"]:  # the doubtful lines
        if line["awaiting_confirmation"]:
            confirmed = await client.post(f"{api}/segments/{line['id']}/confirm",
                                          json={"version": line["version"]}, headers=headers(client))
            assert confirmed.status_code == 200

    # Whose recording and when, as the page lists it, in Vietnamese; the page and the API alike.
    said = (f"Bản ghi âm của {CITIZEN} (00:08–00:10) bị hỏng trong các khoảng thời gian đó, "
            "không nghe được")
    ask = "Hãy đánh dấu “Tôi biết lời nói trong các đoạn ghi âm bị hỏng"
    csrf = client.csrf  # type: ignore[attr-defined]
    refused = await client.post(f"{base}/approve", form={"checked": "on", "csrf_token": csrf})
    assert refused.status_code == 422
    refusal = await refused.get_data(as_text=True)
    assert said in refusal and ask in refusal
    refused_api = await client.post(f"{api}/approve", json={"checked_against_recording": True},
                                    headers=headers(client))
    assert refused_api.status_code == 422
    detail = (await refused_api.get_json())["detail"]
    assert said in detail and ask in detail and "damaged" not in detail
    assert (await (await client.get(api)).get_json())["approved_at"] is None
    assert await audit_of(container, "transcript.approved") == []

    approved = await client.post(f"{api}/approve", json={
        "checked_against_recording": True, "untranscribed_acknowledged": True},
        headers=headers(client))
    assert approved.status_code == 200 and (await approved.get_json())["approved_at"]
    (approval,) = await audit_of(container, "transcript.approved")
    assert approval["untranscribed_acknowledged"] is True and "untranscribed" not in approval
    (span,) = approval["damaged"]
    assert span["member"] == str(members[CITIZEN]) and span["speaker"] == CITIZEN
    assert span["recording"] == recording.path.rsplit("/", 1)[-1]
    assert abs(span["start_ms"] - 8_000) < 50 and abs(span["end_ms"] - 9_000) < 50

    record = await client.get(f"{base}.pdf")
    assert record.status_code == 200
    pdf = await record.get_data(as_text=False)
    assert isinstance(pdf, bytes)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    section = flat.split("ĐOẠN GHI ÂM BỊ HỎNG, KHÔNG NGHE ĐƯỢC")[1].split("NỘI DUNG GHI LỜI NÓI")[0]
    assert f"Từ 00:00:08 đến 00:00:10, bản ghi âm của {CITIZEN} (Công dân) bị hỏng" in section
    assert "mọi lời nói trong đoạn này KHÔNG có trong nội dung ghi lời nói" in section
    assert recording.sha256 in section.replace(" ", "")  # the file, by its hash
    assert OFFICIAL not in section and "LỜI NÓI KHÔNG ĐƯỢC CHUYỂN" not in flat

    # The citizen reads, on their own page, what the official acknowledged.
    mine = await (await app.test_client().get(
        f"/my-booking/transcript?t={CITIZEN_LINKS[hearing_id]}")).get_data(as_text=True)
    missing = mine.split(f'id="untranscribed-{hearing_id}"')[1].split("</section>")[0]
    assert (f"Từ 00:08 đến 00:10, bản ghi âm của {CITIZEN} bị hỏng, không nghe được"
            in missing), missing
    assert "is damaged" not in missing and "cannot be heard" not in missing
