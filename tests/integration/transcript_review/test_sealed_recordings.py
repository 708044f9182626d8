"""A denouncer's voice and face identify them as surely as their name: in a hearing of a sealed
booking, the citizen's recordings play only for the official who held it and for the head.
Every other role of the agency that may read the transcript (another receptionist, a case
manager, an inspector) reads it under the pseudonym, but gets no player and a 403 on the files
and on the case file's quoted passages; the official's own recording plays for all of them."""

from __future__ import annotations

import re
from pathlib import Path

from quart import Quart

from reception.domain.booking import Subject
from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import client_for, staff
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.seed import seed_hearing

SEALED_NOTICE = "chỉ được phát cho cán bộ đã tiếp trong phiên và thủ trưởng cơ quan"
READERS = {"tiepdan2": StaffRole.RECEPTIONIST, "theodoi": StaffRole.CASE_MANAGER,
           "thanhtra": StaffRole.INSPECTOR}


async def test_a_denouncer_s_recordings_play_only_for_who_held_the_hearing_and_the_head(
        review_app: Quart, tmp_path: Path) -> None:
    container = review_app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff)
    held = await seed_hearing(container.uow_factory, official, tmp_path / "recordings",
                              subject=Subject.DENUNCIATION)
    assert held.citizen_member.display_name == "Người tố cáo A"
    base = f"/staff/hearings/{held.hearing.id}"
    citizen = f"{base}/recordings/{held.citizen_member.id}/evidence.webm"
    own = f"{base}/recordings/{held.official_member.id}/audio.webm"
    await staff(review_app, "thutruong", StaffRole.HEAD, code="TT")
    for login, role in READERS.items():
        await staff(review_app, login, role, code="TT")

    for login in (official.login, "thutruong"):
        client = await client_for(review_app, login)
        assert (await client.get(citizen)).status_code == 200, login
        page = await (await client.get(f"{base}/transcript")).get_data(as_text=True)
        assert citizen in page and SEALED_NOTICE not in page, login

    for login in READERS:
        client = await client_for(review_app, login)
        refused = await client.get(citizen)
        assert refused.status_code == 403, login
        assert "Luật Tố cáo, Điều 56" in await refused.get_data(as_text=True)
        assert (await client.get(own)).status_code == 200, login
        for page_path in (f"{base}/transcript", f"{base}/recording"):
            response = await client.get(page_path)
            page = await response.get_data(as_text=True)
            assert response.status_code == 200 and SEALED_NOTICE in page, (login, page_path)
            assert str(held.citizen_member.id) not in re.findall(r"/recordings/([0-9a-f-]+)/",
                                                                 page), (login, page_path)
            assert own in page or page_path.endswith("/transcript"), (login, page_path)
        # The transcript reads under the pseudonym, with what the denouncer said.
        api = await (await client.get(f"/api/v1/hearings/{held.hearing.id}/transcript")).get_json()
        assert "Người tố cáo A" in repr(api) and "Nguyễn Văn An" not in repr(api)
