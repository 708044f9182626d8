"""Demo case files for `make run`, so the case dashboard has something to show: a petition just
received, a complaint accepted and under verification, a denunciation being verified, and an
older petition overdue. Dates are relative to today; nothing is created twice."""

from __future__ import annotations

from datetime import date

from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import CaseFilter, Channel, PartyRole
from reception.domain.law.workdays import default_calendar, subtract_working_days
from reception.services.cases.workflow import ActionRequest, NewCase, NewParty
from reception.services.registry import CaseServices
from reception.services.staff import StaffService


def _ago(today: date, working_days: int) -> date:
    return subtract_working_days(default_calendar(), today, working_days)


async def seed_demo_cases(staff: StaffService, cases: CaseServices, today: date) -> list[str]:
    members = {m.login: m for m in await staff.list_staff()}
    manager, head, inspector = members["theodoi"], members["thutruong"], members["thanhtra"]
    if await cases.reports.search(manager, CaseFilter(), limit=1):
        return []
    workflow = cases.workflow
    created: list[str] = []

    fresh = await workflow.register(manager, NewCase(
        ProcessKind.PETITION, Channel.POST, "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất",
        [NewParty(PartyRole.PETITIONER, "Nguyễn Văn An", "15 Phố Huế, Hà Nội", "CCCD", "001090012345")],
        received_on=_ago(today, 2)))
    created.append(f"case {fresh.case.reference}")

    received = _ago(today, 25)
    petition = await workflow.register(manager, NewCase(
        ProcessKind.PETITION, Channel.VISIT, "Khiếu nại quyết định thu hồi đất của UBND phường",
        [NewParty(PartyRole.PETITIONER, "Trần Thị Bình", "12 Hàng Bông, Hà Nội", "CCCD", "001085012345"),
         NewParty(PartyRole.COMPLAINEE, "UBND phường Ba Đình")],
        received_on=received))
    await workflow.act(manager, petition.case.id, ActionRequest("classify_kn", on=received))
    await workflow.act(manager, petition.case.id, ActionRequest(
        "propose_complaint_acceptance", {"within_competence": True}, on=_ago(today, 24)))
    created.append(f"case {petition.case.reference}")
    complaint = (await cases.reports.search(manager, CaseFilter(kind="complaint"), limit=1))[0]
    await workflow.act(head, complaint.id, ActionRequest(
        "accept", {"within_competence": True, "acceptance_bar": "none"}, on=_ago(today, 23)))
    await workflow.act(head, complaint.id, ActionRequest("recheck", on=_ago(today, 22)))
    await workflow.act(head, complaint.id, ActionRequest(
        "assign_verification", on=_ago(today, 22), verifier_ids=[inspector.id]))
    created.append(f"case {complaint.reference}")

    denunciation = await workflow.register(manager, NewCase(
        ProcessKind.DENUNCIATION, Channel.POST,
        "Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục đất đai",
        [NewParty(PartyRole.DENOUNCER, "Lê Văn Cường", "8 Lý Thường Kiệt, Hà Nội", "CCCD",
                  "001080054321"),
         NewParty(PartyRole.DENOUNCED, "Cán bộ địa chính phường Ba Đình")],
        received_on=_ago(today, 4)))
    created.append(f"case {denunciation.case.reference}")
    return created
