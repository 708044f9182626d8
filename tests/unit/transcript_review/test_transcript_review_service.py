"""Transcript review use cases against fakes of our own ports (no database, milliseconds)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from reception.domain.booking import Subject
from reception.domain.hearings.model import HearingId
from reception.domain.organisation import StaffRole
from reception.domain.transcripts.transcript import Doubt, Segment, SegmentId, Unreadable
from reception.services.errors import Conflict, Forbidden, Invalid, NotFound
from reception.services.signing.issuing import DocumentIssuer
from reception.services.transcripts.ports import StoredTrack
from reception.services.transcripts.review import (
    DAMAGED,
    LOCKED,
    RECORD_TAMPERED,
    TAMPERED,
    UNTRANSCRIBED_AND_DAMAGED,
    TranscriptReviewService,
)
from tests.unit.transcript_review.fakes import (
    CapturingRenderer,
    FakeSigner,
    FakeStorage,
    FakeUow,
    FixedClock,
    World,
    seeded_world,
    staff_member,
)
from transcripts.values import TrackResult


def service(world: World, tmp_path: Path) -> tuple[TranscriptReviewService, CapturingRenderer]:
    renderer = CapturingRenderer()
    issuer = DocumentIssuer(FakeSigner(), "http://test/verify")
    return TranscriptReviewService(lambda: FakeUow(world), FixedClock(), tmp_path,  # type: ignore[arg-type]
                                   renderer, issuer, FakeStorage(world)), renderer


def citizen_segment(world: World) -> SegmentId:
    return next(s.id for s in world.segments.values() if s.role == "citizen")


async def test_a_correction_is_normalised_versioned_and_audited_and_keeps_the_machine_text(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    decomposed = "Tôi khie\u0302\u0301u nại   quyết định."  # NFD "ế" and doubled spaces

    changed = await review.edit(official, hearing, citizen_segment(world), decomposed, 1)

    assert changed.text == "Tôi khiếu nại quyết định." and changed.version == 2
    assert changed.machine_text == "Tôi khiếu lại quyết định."
    assert [(e.version, e.author_id) for e in world.edits] == [(2, official.id)]
    assert world.audit[-1].action == "transcript.edited"
    assert world.audit[-1].details == {"segment": str(changed.id), "version": 2}


async def test_saving_the_same_text_makes_no_version_and_an_empty_line_is_refused(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    same = await review.edit(official, hearing, citizen_segment(world),
                             "Tôi khiếu lại quyết định.", 1)
    with pytest.raises(Invalid):
        await review.edit(official, hearing, citizen_segment(world), "   ", 1)
    assert same.version == 1 and world.edits == [] and world.audit == []


async def test_a_correction_of_an_older_version_is_a_conflict(tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    await review.edit(official, hearing, citizen_segment(world), "Bản sửa một.", 1)
    with pytest.raises(Conflict) as refused:
        await review.edit(official, hearing, citizen_segment(world), "Bản sửa hai.", 1)
    assert refused.value.params == {"version": 2}


async def test_approval_hashes_the_lines_in_hearing_order_and_locks_them(tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    approved = await review.approve(official, hearing, checked=True)
    exported = await review.export(official, hearing, "json")

    assert approved.locked and approved.approved_by == official.id
    assert approved.approved_hash == hashlib.sha256(exported.body).hexdigest()
    assert exported.body.index("Mời ông".encode()) < exported.body.index("Tôi khiếu".encode())
    with pytest.raises(Conflict) as locked:
        await review.edit(official, hearing, citizen_segment(world), "Sửa muộn.", 1)
    assert locked.value.message == LOCKED
    with pytest.raises(Conflict):
        await review.approve(official, hearing, checked=True)


async def test_no_approval_without_the_officials_declaration_whatever_the_path(
        tmp_path: Path) -> None:
    # The page's tick box and the API's field end here: the service itself asks for it.
    from reception.services.errors import Invalid
    from reception.services.transcripts.review import NOT_CHECKED
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    with pytest.raises(Invalid) as refused:
        await review.approve(official, hearing, checked=False)
    assert refused.value.message == NOT_CHECKED
    assert (await review.approve(official, hearing, checked=True)).approved_hash is not None


async def test_a_damaged_stretch_needs_the_second_declaration_and_is_audited_and_recorded(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    citizen = next(m for m in world.members if m.role.value == "citizen")
    # 6.03-7.03 s of the citizen's file, which begins 2 s into the hearing: 00:08-00:10.
    world.tracks = [StoredTrack(citizen.id, "h/c.audio.webm",
                                TrackResult((), "vi", damaged=((6.03, 7.03),)))]
    review, renderer = service(world, tmp_path)
    for segment in list(world.segments.values()):  # the doubtful line, listened to
        if segment.awaiting_confirmation:
            await review.confirm(official, hearing, segment.id, segment.version)
    with pytest.raises(Invalid) as refused:
        await review.approve(official, hearing, checked=True)
    assert refused.value.message == DAMAGED
    assert refused.value.params == {"spans": f"{citizen.display_name} (00:08–00:10)"}

    # With a recording not transcribed besides, one refusal names both; one declaration.
    us = next(m for m in world.members if m.role.value == "official")
    world.tracks.append(StoredTrack(us.id, "h/o.audio.webm", None,
                                    unreadable=Unreadable.EMPTY))
    with pytest.raises(Invalid) as both:
        await review.approve(official, hearing, checked=True)
    assert both.value.message == UNTRANSCRIBED_AND_DAMAGED
    assert both.value.params == {"names": us.display_name,
                                 "spans": f"{citizen.display_name} (00:08–00:10)"}
    assert not any(r.action == "transcript.approved" for r in world.audit)

    await review.approve(official, hearing, checked=True, untranscribed_acknowledged=True)
    (approval,) = [r for r in world.audit if r.action == "transcript.approved"]
    assert approval.details["untranscribed_acknowledged"] is True
    assert approval.details["damaged"] == [{
        "member": str(citizen.id), "speaker": citizen.display_name, "recording": "c.audio.webm",
        "start_ms": 8030, "end_ms": 9030}]
    (record,) = renderer.rendered
    (span,) = record.damaged
    assert (span.member, span.role, span.sha256) == (citizen.display_name, "citizen", "a" * 64)
    assert (span.start_seconds, span.end_seconds) == (8.03, 9.03)
    assert [u.member for u in record.untranscribed] == [us.display_name]


async def test_a_transcript_still_being_made_cannot_be_corrected_or_approved(
        tmp_path: Path) -> None:
    from dataclasses import replace

    from reception.domain.transcripts.transcript import TranscriptStatus

    world, official, hearing = seeded_world()
    world.transcripts[hearing] = replace(world.transcripts[hearing], status=TranscriptStatus.RUNNING)
    review, _ = service(world, tmp_path)
    with pytest.raises(Conflict):
        await review.approve(official, hearing, checked=True)
    with pytest.raises(NotFound):
        await review.export(official, hearing, "vtt")


async def test_the_hearing_record_needs_an_approved_intact_transcript(tmp_path: Path) -> None:
    from dataclasses import replace

    world, official, hearing = seeded_world(Subject.DENUNCIATION)
    review, renderer = service(world, tmp_path)
    with pytest.raises(Conflict):
        await review.export(official, hearing, "pdf")
    await review.approve(official, hearing, checked=True)
    pdf = await review.export(official, hearing, "pdf")

    record = renderer.rendered[0]
    assert pdf.media_type == "application/pdf" and pdf.filename.startswith("bien-ban-TD-2026-0001")
    assert [(line.at_seconds, line.role) for line in record.lines] == [(0.5, "official"), (3.0, "citizen")]
    assert record.denunciation_waiver is False and record.approved_by == official.full_name
    citizen = next(p for p in record.parties if p.role == "citizen")
    assert (citizen.name, citizen.id_number, citizen.central) == ("Người tố cáo A", "", False)
    assert {f.sha256 for f in record.files} == {"a" * 64, "b" * 64, "c" * 64}
    segment = citizen_segment(world)  # someone edits the database behind the service's back
    world.segments[segment] = replace(world.segments[segment], text="Nội dung bị sửa trộm.")
    with pytest.raises(Conflict) as tampered:
        await review.export(official, hearing, "pdf")
    assert tampered.value.message == TAMPERED


async def test_captions_for_a_members_recording_count_from_that_files_start(tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    citizen = next(m.id for m in world.members if m.role.value == "citizen")
    vtt = (await review.export(official, hearing, "vtt", citizen)).body.decode()
    assert "00:00:01.000 --> 00:00:03.000\n<v Nguyễn Văn An>" in vtt  # 3 s into the hearing
    assert "00:00:00.000 --> 00:00:00.500" in vtt  # before the file began: clamped to 0


async def test_other_agencies_see_nothing_and_administrators_are_refused(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    stranger = staff_member(uuid.uuid4(), StaffRole.HEAD)  # type: ignore[arg-type]
    admin = staff_member(world.agency.id, StaffRole.ADMINISTRATOR)
    inspector = staff_member(world.agency.id, StaffRole.INSPECTOR)
    with pytest.raises(NotFound):
        await review.review(stranger, hearing)
    with pytest.raises(NotFound):
        await review.review(official, HearingId(uuid.uuid4()))
    with pytest.raises(Forbidden):
        await review.export(admin, hearing, "vtt")
    with pytest.raises(Forbidden):
        # administrators hold no case or hearing permission
        await review.approve(admin, hearing, checked=True)
    assert world.audit == []
    await review.review(inspector, hearing)  # inspectors hold hearings: they review them


async def test_the_review_shows_history_newest_first_and_the_recording_of_each_speaker(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    await review.edit(official, hearing, citizen_segment(world), "Tôi khiếu nại quyết định.", 1)
    shown = await review.review(official, hearing)

    line = next(x for x in shown.lines if x.segment.role == "citizen")
    assert [(v.number, v.author) for v in line.history] == [(2, official.full_name), (1, "")]
    assert line.corrected and shown.editable and not line.uncertain
    played = shown.play_of(line.segment)
    assert played is not None and played.member_id == line.segment.member_id
    assert (played.kind, played.offset_seconds) == ("evidence", 2.0)
    assert shown.lines[0].segment.start_ms == 500 and shown.intact is None


async def test_recording_playback_refuses_paths_outside_the_recordings_store(
        tmp_path: Path) -> None:
    from dataclasses import replace

    world, official, hearing = seeded_world()
    store = tmp_path / "store"
    (store / "h").mkdir(parents=True)
    (store / "h" / "o.audio.webm").write_bytes(b"webm")
    (tmp_path / "secret.txt").write_text("not a recording")
    review, _ = service(world, store)
    us = next(m.id for m in world.members if m.role.value == "official")
    found = await review.recording_file(official, hearing, us, "audio", "bytes=0-")
    world.recordings[-1] = replace(world.recordings[-1], path="../secret.txt")
    with pytest.raises(NotFound):
        await review.recording_file(official, hearing, us, "audio", None)
    assert found.path == store / "h" / "o.audio.webm" and found.media_type == "audio/webm"
    assert [r.details["range"] for r in world.audit] == ["bytes=0-"]


async def test_a_hearing_without_a_transcript_yet_shows_its_recordings_and_nothing_to_edit(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    world.transcripts.clear()
    review, _ = service(world, tmp_path)
    shown = await review.review(official, hearing)
    assert shown.transcript is None and shown.lines == [] and not shown.editable
    assert len(shown.playable) == 2
    with pytest.raises(NotFound):
        await review.approve(official, hearing, checked=True)


def doubtful(world: World) -> SegmentId:
    """The citizen's line as the machine left it: unsure of its words."""
    from dataclasses import replace

    segment_id = citizen_segment(world)
    world.segments[segment_id] = replace(world.segments[segment_id],
                                         doubts=(Doubt.LOW_CONFIDENCE,))
    return segment_id


async def test_approval_waits_until_each_highlighted_line_is_confirmed_and_records_who(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    line = doubtful(world)
    review, _ = service(world, tmp_path)
    with pytest.raises(Conflict) as refused:
        await review.approve(official, hearing, checked=True)
    assert refused.value.params == {"count": 1}
    assert (await review.review(official, hearing)).awaiting_confirmation == 1

    confirmed = await review.confirm(official, hearing, line, 1)

    assert confirmed.confirmed_by == official.id and confirmed.confirmed_at is not None
    assert confirmed.text == confirmed.machine_text and confirmed.version == 1
    logged = world.audit[-1]
    assert (logged.action, logged.details["segment"], logged.details["doubts"]) == (
        "transcript.line_confirmed", str(line), ["low_confidence"])
    shown = await review.review(official, hearing)
    assert shown.awaiting_confirmation == 0
    assert next(x for x in shown.lines if x.segment.id == line).confirmed_by == official.full_name
    approved = await review.approve(official, hearing, checked=True)
    assert approved.locked


async def test_correcting_a_highlighted_line_resolves_it_and_the_record_marks_both_kinds(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    line = doubtful(world)
    review, renderer = service(world, tmp_path)
    corrected = await review.edit(official, hearing, line, "Tôi khiếu nại quyết định.", 1)
    assert corrected.confirmed_by == official.id
    assert world.audit[-1].details["resolves"] == ["low_confidence"]
    await review.approve(official, hearing, checked=True)
    await review.export(official, hearing, "pdf")
    record = renderer.rendered[-1]
    assert [(x.text, x.resolved) for x in record.lines] == [
        ("Mời ông trình bày.", ""), ("Tôi khiếu nại quyết định.", "corrected")]


async def test_a_confirmation_needs_the_version_listened_to_and_a_doubtful_line(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    line = doubtful(world)
    clear = next(s.id for s in world.segments.values() if s.role == "official")
    review, _ = service(world, tmp_path)
    with pytest.raises(Conflict):
        await review.confirm(official, hearing, clear, 1)
    await review.edit(official, hearing, clear, "Mời bà trình bày.", 1)
    world.segments[line] = replace_version(world, line, 2)
    with pytest.raises(Conflict):
        await review.confirm(official, hearing, line, 1)  # someone changed it meanwhile
    with pytest.raises(NotFound):
        await review.confirm(official, hearing, SegmentId(uuid.uuid4()), 1)
    inspector_elsewhere = staff_member(uuid.uuid4(), StaffRole.HEAD)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        await review.confirm(inspector_elsewhere, hearing, line, 2)
    assert world.segments[line].confirmed_at is None


def replace_version(world: World, segment_id: SegmentId, version: int) -> Segment:
    from dataclasses import replace

    return replace(world.segments[segment_id], version=version)

async def test_approval_issues_the_hearing_record_signed_by_the_approver_and_export_returns_it(
        tmp_path: Path) -> None:
    world, official, hearing = seeded_world(Subject.DENUNCIATION)
    review, renderer = service(world, tmp_path)
    await review.approve(official, hearing, checked=True)
    [record] = world.signed
    first = await review.export(official, hearing, "pdf")
    again = await review.export(official, hearing, "pdf")

    assert len(renderer.rendered) == 1  # signed once, at approval; exports return that file
    assert first.body == again.body == world.files[record.sha256]
    assert first.body.endswith(f"%signed:{record.code}".encode())
    assert (record.signer_id, record.signer_name) == (official.id, official.full_name)
    assert record.hearing_id == hearing and record.sealed  # a denunciation hearing
    stored, approved = world.audit[:2]  # the record's file attested, then the approval
    assert (stored.action, stored.object_id, stored.details) == (
        "evidence.stored", str(record.id),
        {"stored": "signed_document", "id": str(record.id), "sha256": record.sha256})
    assert approved.action == "transcript.approved"
    assert approved.details["signature"] == record.code


async def test_a_stored_hearing_record_that_changed_is_refused(tmp_path: Path) -> None:
    world, official, hearing = seeded_world()
    review, _ = service(world, tmp_path)
    await review.approve(official, hearing, checked=True)
    [record] = world.signed
    world.files[record.sha256] += b"%appended later"
    with pytest.raises(Conflict) as refused:
        await review.export(official, hearing, "pdf")
    assert refused.value.message == RECORD_TAMPERED
