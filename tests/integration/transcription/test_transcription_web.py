"""The console's progress endpoint follows the job and is the agency's own; administrators set
an agency's transcription language, which is Vietnamese until they do."""

from __future__ import annotations

from pathlib import Path

from quart import Quart

from reception.domain.hearings.model import MemberRole
from reception.domain.organisation import StaffRole
from tests.integration.conftest import form_token, log_in, make_staff
from tests.integration.transcription.conftest import SPEECH, Track, seed_hearing


async def test_the_progress_endpoint_follows_the_job_for_the_agency_only(
    app: Quart, tmp_path: Path
) -> None:
    container = app.container  # type: ignore[attr-defined]
    hearing_id, _ = await seed_hearing(container, "en", [
        Track(MemberRole.CITIZEN, "An", SPEECH / "silence.wav", 0.0)], tmp_path / "recordings")
    async with container.uow_factory() as uow:
        agency_id = (await uow.hearings.get(hearing_id)).agency_id  # type: ignore[union-attr]
        agency = await uow.agencies.get(agency_id)
    await make_staff(app, "officer", StaffRole.RECEPTIONIST, agency_code=agency.code)  # type: ignore[union-attr]
    await make_staff(app, "stranger", StaffRole.RECEPTIONIST, agency_code="OTHER")
    url = f"/api/v1/hearings/{hearing_id}/transcript/status"

    officer = app.test_client()
    await log_in(officer, "officer")
    queued = await (await officer.get(url)).get_json()
    assert (queued["state"], queued["progress"], queued["finished"]) == ("waiting", 0, False)
    assert queued["label"] == "Đang chờ đến lượt ghi lời."  # Vietnamese by default

    await container.transcription.run(hearing_id)
    done = await (await officer.get(url)).get_json()
    assert (done["state"], done["progress"], done["finished"]) == ("done", 1.0, True)
    assert done["label"] == "Bản ghi lời đã sẵn sàng để rà soát."

    stranger = app.test_client()
    await log_in(stranger, "stranger")
    assert (await stranger.get(url)).status_code == 404


async def test_an_administrator_sets_the_transcription_language_of_an_agency(app: Quart) -> None:
    admin = await make_staff(app, "quantri", StaffRole.ADMINISTRATOR, agency_code="TT")
    container = app.container  # type: ignore[attr-defined]
    assert (await container.staff.list_agencies())[0].transcription_language == "vi"
    client = app.test_client()
    await log_in(client, "quantri")
    token = await form_token(client, "/admin/agencies")
    page = await (await client.get("/admin/agencies")).get_data(as_text=True)
    assert f'id="language-{admin.agency_id}"' in page

    response = await client.post(f"/admin/agencies/{admin.agency_id}/transcription-language",
                                 form={"language": "en", "csrf_token": token})
    assert response.status_code == 302
    assert (await container.staff.list_agencies())[0].transcription_language == "en"
    refused = await client.post(f"/admin/agencies/{admin.agency_id}/transcription-language",
                                form={"language": "fr", "csrf_token": token})
    assert refused.status_code == 422
    assert (await container.staff.list_agencies())[0].transcription_language == "en"

    await make_staff(app, "canbo", StaffRole.HEAD, agency_code="TT")
    official = app.test_client()
    await log_in(official, "canbo")
    token = await form_token(official, "/login")
    denied = await official.post(f"/admin/agencies/{admin.agency_id}/transcription-language",
                                 form={"language": "vi", "csrf_token": token})
    assert denied.status_code == 403


async def test_the_progress_says_running_retrying_or_waiting_as_the_queue_has_it(
    app: Quart, tmp_path: Path
) -> None:
    from sqlalchemy import text

    container = app.container  # type: ignore[attr-defined]
    hearing_id, _ = await seed_hearing(container, "vi", [
        Track(MemberRole.CITIZEN, "An", SPEECH / "silence.wav", 0.0)], tmp_path / "recordings")
    async with container.uow_factory() as uow:
        hearing = await uow.hearings.get(hearing_id)
        agency = await uow.agencies.get(hearing.agency_id)  # type: ignore[union-attr]
        await uow.session.execute(text(
            "INSERT INTO transcript (id, hearing_id, agency_id, status, language, progress, "
            "created_at, error) VALUES (gen_random_uuid(), :h, :a, 'running', 'vi', 0.5, now(), "
            "NULL)"), {"h": hearing_id, "a": agency.id})  # type: ignore[union-attr]
        assert await uow.jobs.transcribe(hearing_id)
        await uow.commit()
    await make_staff(app, "officer", StaffRole.RECEPTIONIST, agency_code=agency.code)  # type: ignore[union-attr]
    officer = app.test_client()
    await log_in(officer, "officer")
    url = f"/api/v1/hearings/{hearing_id}/transcript/status"

    async def shown(sql: str) -> dict[str, object]:
        async with container.uow_factory() as uow:
            await uow.session.execute(text(sql), {"lock": f"hearing:{hearing_id}"})
            await uow.commit()
        return await (await officer.get(url)).get_json()  # type: ignore[no-any-return]

    waiting = await shown("SELECT 1")
    assert (waiting["state"], waiting["attempt"]) == ("waiting", 1)
    assert waiting["label"] == ("Đang chờ đến lượt ghi lời. 50% âm thanh đã được ghi lời trước "
                                "đó và được giữ lại.")
    running = await shown(
        "WITH w AS (INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id) "
        "UPDATE procrastinate_jobs SET status = 'doing', worker_id = (SELECT id FROM w) "
        "WHERE lock = :lock")
    assert (running["state"], running["label"]) == ("running", "Đang ghi lời: đã xong 50% âm thanh.")
    retrying = await shown(
        "UPDATE procrastinate_jobs SET status = 'todo', worker_id = NULL, attempts = 1 "
        "WHERE lock = :lock")
    assert (retrying["state"], retrying["attempt"], retrying["finished"]) == ("retrying", 2, False)
    assert str(retrying["label"]).startswith(
        "Lần chạy thứ 1 đã dừng; đang chờ chạy lại (lần thứ 2).")
