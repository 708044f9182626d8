"""Engine identifiers have Vietnamese names, and the case pages' forms parse what staff type."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from quart import Quart
from werkzeug.datastructures import MultiDict

from reception.domain.cases.case import ProcessKind
from reception.domain.cases.case_file import Channel, PartyRole
from reception.domain.cases.labels import ACTIONS, STATES, engine_actions, engine_states, state_vn
from reception.i18n import translations
from reception.web.cases.forms import dispatch_records, parse_registration, publishes, sends_documents

TODAY = date(2026, 11, 24)


def test_every_action_and_state_of_the_engine_has_a_name_in_both_languages() -> None:
    assert engine_actions() - ACTIONS.keys() == set()
    assert engine_states() - STATES.keys() == set()
    vi = translations("vi").gettext
    assert vi(ACTIONS["sign_decision"]) == "Ký quyết định giải quyết"
    assert vi(STATES["C_VERIFYING"]) == "Đang xác minh" == state_vn("C_VERIFYING")
    assert all(vi(m) != m for m in (*ACTIONS.values(), *STATES.values()))


def test_dispatch_and_publication_actions_ask_for_their_records() -> None:
    assert sends_documents("dispatch_decision") and sends_documents("send_conclusion")
    assert publishes("publish_decision") and publishes("publicize")
    assert not sends_documents("accept") and not publishes("accept")


def test_an_action_form_yields_ticked_recipients_medium_and_document() -> None:
    document = uuid.uuid4()
    form = MultiDict({"recipient_1": "Trần Thị Bình", "channel_1": "post", "recipient_other": "",
                      "channel_other": "hand", "publication_medium": "website",
                      "document_id": str(document)})
    assert dispatch_records(form) == ([("Trần Thị Bình", "post")], "website", document)
    with pytest.raises(ValueError):
        dispatch_records(MultiDict({"recipient_1": "X Y", "channel_1": "pigeon"}))


def test_a_denunciation_registered_from_the_page_names_its_denouncer() -> None:
    case, errors = parse_registration({
        "kind": "denunciation", "channel": "forwarded", "received_on": "2026-11-20",
        "full_name": "Lê Văn Cường", "address": "Huế", "id_type": "CCCD", "id_number": "079 123 456 789",
        "summary": "Tố cáo cán bộ địa chính", "respondent": "Ông X", "contested_number": ""}, TODAY)
    assert errors == {} and case is not None
    assert case.kind is ProcessKind.DENUNCIATION and case.channel is Channel.FORWARDED
    assert [p.role for p in case.parties] == [PartyRole.DENOUNCER, PartyRole.DENOUNCED]
    assert case.contested is None and case.received_on == date(2026, 11, 20)
    assert case.parties[0].id_number == "079123456789"  # typed in groups, kept whole


async def test_registration_errors_are_reported_per_field_in_the_readers_language() -> None:
    app = Quart(__name__)
    app.config["DEFAULT_LOCALE"] = "vi"
    async with app.app_context():
        await _check_registration_errors()


async def _check_registration_errors() -> None:
    case, errors = parse_registration({"kind": "complaint", "channel": "post", "full_name": "A",
                                       "id_number": "12", "summary": "Khiếu nại",
                                       "contested_number": "12/QĐ"}, TODAY)
    assert case is None and {"full_name", "id_number"} <= errors.keys()
    assert errors["full_name"] == "Nhập họ và tên (ít nhất 2 ký tự)."
    case, errors = parse_registration({"kind": "complaint", "channel": "post", "full_name": "Bình",
                                       "summary": "Khiếu nại", "contested_number": "12/QĐ",
                                       "received_on": "2026-12-01"}, TODAY)
    assert case is None and set(errors) == {"contested_issuer", "received_on"}
