"""Pure pieces of the case files: references, pseudonyms, facts as JSON, the role mapping and
the authorisation matrix, search keys; and the vault's sealing."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reception.adapters.storage.documents import sniff_media_type
from reception.adapters.vault import IdentitySealer, VaultCorrupted
from reception.domain.access import ObjectType, Permission, Scope, scope_for, workflow_roles
from reception.domain.cases.case import ProcessKind
from reception.domain.cases.denouncer import DenouncerIdentity
from reception.domain.cases.facts import facts_from_json, facts_to_json
from reception.domain.cases.refs import parse_reference, pseudonym, reference_for
from reception.domain.cases.views import public_phase, search_key
from reception.domain.law.workflow import Role
from reception.domain.organisation import StaffRole
from reception.domain.processes.registry import all_processes


def test_a_reference_reads_prefix_year_and_six_digit_number() -> None:
    assert str(reference_for(ProcessKind.COMPLAINT, 2026, 42)) == "KN-2026-000042"
    assert parse_reference(" kn-2026-000042 ") == reference_for(ProcessKind.COMPLAINT, 2026, 42)
    assert parse_reference("KN-2026-42") is None


def test_pseudonyms_are_letters_never_derived_from_the_person() -> None:
    assert [pseudonym(i) for i in (0, 1, 25, 26)] == [
        "Người tố cáo A", "Người tố cáo B", "Người tố cáo Z", "Người tố cáo AA"]


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.dates(),
    st.lists(st.text(max_size=3), max_size=3).map(tuple))))
def test_event_facts_survive_the_json_round_trip(facts: dict[str, object]) -> None:
    assert facts_from_json(facts_to_json(facts)) == facts  # type: ignore[arg-type]


def test_staff_roles_map_to_the_statutes_actors() -> None:
    assert workflow_roles({StaffRole.HEAD}, own_agency=True, assigned=False, superior=False) == (
        Role.HEAD, Role.SYS)
    assert workflow_roles({StaffRole.HEAD}, own_agency=False, assigned=False, superior=True) == (Role.SUP,)
    assert workflow_roles({StaffRole.INSPECTOR}, own_agency=True, assigned=False, superior=False) == ()
    assert workflow_roles({StaffRole.INSPECTOR}, own_agency=True, assigned=True,
                          superior=False) == (Role.VER,)
    assert workflow_roles({StaffRole.CASE_MANAGER}, own_agency=True, assigned=False, superior=False) == (
        Role.PH, Role.CIT)
    assert workflow_roles({StaffRole.ADMINISTRATOR}, own_agency=True, assigned=True, superior=True) == ()


def test_only_heads_and_assigned_inspectors_may_reveal_a_denouncer() -> None:
    reveal = [r for r in StaffRole if scope_for({r}, Permission.REVEAL, ObjectType.PARTY)]
    assert set(reveal) == {StaffRole.HEAD, StaffRole.INSPECTOR}
    assert scope_for({StaffRole.INSPECTOR}, Permission.REVEAL, ObjectType.PARTY) is Scope.ASSIGNED
    assert scope_for({StaffRole.ADMINISTRATOR}, Permission.VIEW, ObjectType.CASE) is None
    assert scope_for({StaffRole.RECEPTIONIST, StaffRole.HEAD}, Permission.VIEW,
                     ObjectType.CASE) is Scope.AGENCY_TREE


def test_names_are_searched_without_diacritics() -> None:
    assert search_key("  Nguyễn Văn  Đức ") == "nguyen van duc"


def test_citizens_see_plain_phases() -> None:
    assert public_phase("C_VERIFYING") == "Being verified"
    assert public_phase("T_SUSPENDED") == "Suspended for now"
    assert public_phase("C_CLOSED") == "Closed"
    assert public_phase("P_RECEIVED") == "Received, being examined"
    # A noticed dialogue is not the decision sent (C_NOTIFIED), whatever its name contains.
    assert public_phase("C_DIALOGUE_NOTIFIED") == "Dialogue with the parties"
    assert public_phase("C_NOTIFIED") == "A decision or conclusion has been issued"


def test_a_sealed_identity_opens_only_under_its_key_and_row() -> None:
    key = bytes(range(32))
    vault_id = uuid.uuid4()
    identity = DenouncerIdentity("Nguyễn Văn A", "Hà Nội", "001234567890")
    sealed = IdentitySealer(key).seal(vault_id, identity)
    assert b"Nguy" not in sealed and IdentitySealer(key).open(vault_id, sealed) == identity
    with pytest.raises(VaultCorrupted):
        IdentitySealer(bytes(32)).open(vault_id, sealed)
    with pytest.raises(VaultCorrupted):
        IdentitySealer(key).open(uuid.uuid4(), sealed)


def test_uploads_are_typed_by_content_not_name() -> None:
    assert sniff_media_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj") == "application/pdf"
    assert sniff_media_type(b"MZ\x90\x00 an executable") is None


def test_a_case_is_received_no_earlier_than_the_clocks_of_its_kind() -> None:
    """The first receipt day is the earliest version of the clocks the opening starts
    (rules/time_limits.toml): before it the case would run with no clock at all."""
    first: dict[ProcessKind, set[date | None]] = {}
    for process in all_processes():
        first.setdefault(process.kind, set()).add(process.first_receipt_day())
    assert first[ProcessKind.PETITION] == {date(2021, 11, 15)}  # P-1: TT05 in force 15/11/2021
    assert first[ProcessKind.DENUNCIATION] == {date(2019, 1, 1)}  # T-1: LTC 2018 from 1/1/2019
    assert first[ProcessKind.COMPLAINT] == {date(2016, 1, 1)}  # P-5 and D-3, every variant
    assert first[ProcessKind.RECOMMENDATION] == {date(2021, 11, 15)}  # K-1


def test_a_reference_is_written_in_ascii_digits() -> None:
    """A fullwidth or Arabic-Indic spelling is not the same reference (\\d would take it)."""
    assert parse_reference("kn-2026-000042") is not None
    assert parse_reference("KN-\uff12\uff10\uff12\uff16-000042") is None
    assert parse_reference("KN-2026-00004\u0662") is None
