"""The citizen's hearing page after the end is no dead end: loaded after the official ended the
hearing, it says what happens next (the receipt with the case reference and secret code for
the status page; the transcript on the booking page once approved) and leads back to the
booking with the same link. (hearing.js shows the same section live, at the end or a removal.)"""

from __future__ import annotations

from tests.integration.transcript_review.conftest import Desk


async def test_the_page_after_the_end_says_what_comes_next_and_leads_back(desk: Desk) -> None:
    token = desk.seeded.seeded.token
    response = await desk.app.test_client().get(f"/my-booking/hearing?t={token}")
    page = await response.get_data(as_text=True)
    assert response.status_code == 200, page
    section = page.split('id="after-end"', 1)[1].split("</section>", 1)[0]
    assert section.split(">", 1)[0].strip().endswith('aria-labelledby="after-end-title"')  # shown
    assert f'href="/my-booking?t={token}"' in section and "Quay lại lịch hẹn của tôi" in section
    assert "giấy biên nhận có mã hồ sơ và mã bí mật" in section and 'href="/status"' in section
    assert "bản ghi lời nói của phiên tiếp này được phê duyệt" in section
