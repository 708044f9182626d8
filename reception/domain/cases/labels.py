"""Vietnamese names of the engine's action and state identifiers (docs/glossary.md), for pages
and messages: staff read "Ký quyết định giải quyết", not `sign_decision`. States carry their
statutory name in the engine (StateSpec.vn); actions are named here. A unit test fails when the
engine gains an action this table does not name."""

from __future__ import annotations

from functools import cache

from reception.domain.processes.registry import all_processes

ACTION_VN: dict[str, str] = {
    "accept": "Thụ lý",
    "answer": "Trả lời",
    "answer_at_once": "Trả lời ngay",
    "apply_preventive_measures": "Áp dụng biện pháp bảo vệ",
    "appoint_representatives": "Cử người đại diện",
    "assign_verification": "Giao xác minh",
    "await_effect": "Chờ quyết định có hiệu lực",
    "carry_out": "Tổ chức thực hiện",
    "checks_needed_elsewhere": "Cần kiểm tra, xác minh ở nơi khác",
    "classify": "Phân loại",
    "classify_kn": "Phân loại là khiếu nại",
    "classify_knpa": "Phân loại là kiến nghị, phản ánh",
    "classify_mixed": "Phân loại là đơn có nhiều nội dung",
    "classify_tc": "Phân loại là tố cáo",
    "close": "Kết thúc hồ sơ",
    "close_head_session": "Kết thúc buổi tiếp của người đứng đầu",
    "close_session": "Kết thúc buổi tiếp",
    "conclude": "Ban hành kết luận nội dung tố cáo",
    "confirm_statement": "Đọc lại, công dân ký xác nhận",
    "consider": "Xem xét",
    "decide": "Ra quyết định",
    "decide_at_once": "Giải quyết ngay",
    "dispatch_decision": "Gửi quyết định giải quyết",
    "draft_decision": "Dự thảo quyết định",
    "end": "Kết thúc",
    "enforce": "Tổ chức thi hành quyết định",
    "explain_already_resolved": "Giải thích vụ việc đã được giải quyết",
    "extend": "Gia hạn giải quyết",
    "file_lawsuit": "Ghi nhận khởi kiện vụ án hành chính",
    "file_not_eligible": "Lưu đơn không đủ điều kiện xử lý",
    "file_second_complaint": "Ghi nhận khiếu nại lần hai",
    "file_second_complaint_overdue": "Ghi nhận khiếu nại lần hai khi quá hạn giải quyết lần đầu",
    "find_complex": "Xác định vụ việc phức tạp",
    "guide_complainant": "Hướng dẫn người khiếu nại",
    "guide_split": "Hướng dẫn tách đơn",
    "guide_to_competent_body": "Hướng dẫn đến cơ quan có thẩm quyền",
    "handle_conclusion": "Xử lý kết luận nội dung tố cáo",
    "hold_dialogue": "Tổ chức đối thoại",
    "identify": "Xác định nhân thân",
    "lift_execution_suspension": "Hủy bỏ quyết định tạm đình chỉ thi hành",
    "member_withdraws": "Thành viên nhóm rút đơn",
    "modify": "Sửa đổi",
    "monitor": "Theo dõi, đôn đốc",
    "not_accept": "Không thụ lý",
    "not_process": "Không xử lý",
    "notify_dialogue": "Thông báo đối thoại",
    "notify_result": "Thông báo kết quả xử lý",
    "open_online_session": "Mở buổi tiếp trực tuyến",
    "open_session": "Mở buổi tiếp",
    "overdue_further_denunciation": "Ghi nhận tố cáo tiếp khi quá hạn",
    "postpone": "Lùi lịch tiếp",
    "propose_complaint_acceptance": "Đề xuất thụ lý khiếu nại",
    "propose_denunciation_acceptance": "Đề xuất thụ lý tố cáo",
    "propose_recommendation_resolution": "Đề xuất giải quyết kiến nghị, phản ánh",
    "publicize": "Công khai kết luận",
    "publish_decision": "Công khai quyết định giải quyết",
    "publish_schedule": "Niêm yết lịch tiếp",
    "receive_documents": "Nhận tài liệu (Giấy biên nhận)",
    "receive": "Tiếp nhận đơn",  # Process.open: the first event of every case
    "recheck": "Kiểm tra lại quyết định, hành vi bị khiếu nại",
    "record_absence_without_reason": "Ghi nhận vắng mặt không có lý do",
    "record_anonymous_information": "Ghi nhận thông tin có nội dung tố cáo",
    "refer": "Chuyển xử lý",
    "refer_criminal": "Chuyển cơ quan điều tra, Viện kiểm sát",
    "refer_party": "Chuyển cơ quan Đảng",
    "refuse": "Từ chối tiếp",
    "refuse_at_security": "Từ chối tại khu vực kiểm soát an ninh",
    "refuse_in_writing": "Từ chối bằng văn bản",
    "reject": "Không chấp nhận",
    "reply_not_acceptable": "Trả lời khiếu nại không đủ điều kiện thụ lý",
    "report_urgent": "Báo cáo khẩn",
    "report_verification": "Báo cáo kết quả xác minh",
    "request_expert_examination": "Trưng cầu giám định",
    "request_information": "Yêu cầu cung cấp thông tin, tài liệu",
    "reschedule": "Đổi lịch",
    "reschedule_dialogue": "Đổi lịch đối thoại",
    "resume": "Tiếp tục giải quyết",
    "return_to_forwarder": "Trả lại đơn cho cơ quan chuyển đơn",
    "send_acceptance_notices": "Gửi thông báo thụ lý",
    "send_conclusion": "Gửi kết luận nội dung tố cáo",
    "send_suspension_notice": "Gửi quyết định tạm đình chỉ, đình chỉ",
    "sign_decision": "Ký quyết định giải quyết",
    "sign_refusal_notice": "Ký thông báo từ chối tiếp",
    "skip_dialogue": "Không tổ chức đối thoại",
    "start_hearing": "Nghe, ghi chép nội dung",
    "start_initial_check": "Bắt đầu kiểm tra ban đầu",
    "suspend": "Tạm đình chỉ giải quyết",
    "suspend_execution": "Tạm đình chỉ thi hành quyết định",
    "take_effect": "Quyết định có hiệu lực pháp luật",
    "terminate": "Đình chỉ giải quyết",
    "test_connection": "Kết nối thử",
    "transfer": "Chuyển đơn",
    "transfer_denunciation": "Chuyển đơn tố cáo",
    "transfer_recommendation": "Chuyển đơn kiến nghị, phản ánh",
    "urge_lower_body": "Đôn đốc cấp dưới",
    "withdraw": "Ghi nhận rút đơn",
    "withdraw_partially": "Ghi nhận rút một phần nội dung",
}


@cache
def _state_names() -> dict[str, str]:
    return {spec.code: spec.vn for process in all_processes() for spec in process.states}


def action_vn(action: str) -> str:
    """The action's Vietnamese name; an unknown identifier is shown as it is."""
    return ACTION_VN.get(action, action)


def state_vn(state: str) -> str:
    """The state's statutory Vietnamese name (StateSpec.vn); unknown codes as they are."""
    return _state_names().get(state, state)


def engine_actions() -> frozenset[str]:
    return frozenset(t.action for process in all_processes() for t in process.transitions)
