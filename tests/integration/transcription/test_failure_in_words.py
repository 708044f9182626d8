"""A transcription that failed says why in the reader's language, on the review page and in the
console's progress: the pipeline's own text (English, with the error's name) is for the log."""

from __future__ import annotations

from pathlib import Path

from reception.app import create_app
from reception.bootstrap.container import Container
from reception.domain.hearings.model import MemberRole
from reception.domain.transcripts.transcript import TranscriptStatus
from tests.integration.cases.helpers import client_for
from tests.integration.conftest import make_settings
from tests.integration.transcription.conftest import (
    FAST_WORKER,
    SPEECH,
    Track,
    seed_hearing,
    transcript_of,
)


async def test_a_model_that_cannot_be_used_is_said_in_vietnamese(
        clean_db: str, tmp_path: Path, shared_data_dir: Path) -> None:
    settings = make_settings(shared_data_dir, clean_db, RECORDINGS_DIR=str(tmp_path / "rec"),
                             WHISPER_MODEL=str(tmp_path / "no-such-model"), **FAST_WORKER)
    app = create_app(settings, clean_db)
    async with app.test_app():
        container: Container = app.container  # type: ignore[attr-defined]
        hearing_id, _ = await seed_hearing(container, "vi", [
            Track(MemberRole.OFFICIAL, "Cán bộ Trần Minh Đức", SPEECH / "citizen.wav", 0.0)],
            tmp_path / "rec")
        assert await container.transcription.run(hearing_id) is TranscriptStatus.FAILED
        transcript, _ = await transcript_of(container, hearing_id)
        assert transcript is not None and (transcript.error or "").startswith("Model unusable")
        async with container.uow_factory() as uow:
            hearing = await uow.hearings.get(hearing_id)
            assert hearing is not None
            official = await uow.staff.get(hearing.opened_by)
            assert official is not None

        client = await client_for(app, official.login)
        page = await (await client.get(f"/staff/hearings/{hearing_id}/transcript")).get_data(
            as_text=True)
        state = page.split('id="transcript-state"')[1].split("</p>")[0]
        assert "Không dùng được mô hình nhận dạng giọng nói" in state
        assert "Model" not in state and "Error" not in state and "no-such-model" not in state
        status = await (await client.get(
            f"/api/v1/hearings/{hearing_id}/transcript/status")).get_json()
        assert status["state"] == "failed"
        assert status["detail"].startswith("Không dùng được mô hình nhận dạng giọng nói")
