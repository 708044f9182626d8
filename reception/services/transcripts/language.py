"""Which language an agency's hearings are transcribed in: Vietnamese by default,
English (the small English-only model serves it) or automatic detection."""

from __future__ import annotations

from dataclasses import replace

from reception.domain.organisation import Agency, AgencyId, StaffMember, StaffRole
from reception.i18n_marker import N_
from reception.services import audit
from reception.services.errors import Forbidden, Invalid, NotFound
from reception.services.ports import Clock, UnitOfWorkFactory

LANGUAGES = ("vi", "en", "auto")


class TranscriptionLanguageService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def set(self, actor: StaffMember, agency_id: AgencyId, language: str) -> Agency:
        if StaffRole.ADMINISTRATOR not in actor.roles:
            raise Forbidden(N_("Only administrators may change this."))
        if language not in LANGUAGES:
            raise Invalid(N_("Choose Vietnamese, English or automatic detection."))
        async with self._uow() as uow:
            agency = await uow.agencies.get(agency_id)
            if agency is None:
                raise NotFound(N_("This agency does not exist."))
            changed = replace(agency, transcription_language=language)
            await uow.agencies.update(changed)
            await uow.audit.append(audit.record(
                self._clock.now(), actor, "agency.transcription_language", "agency", agency.id,
                agency_id=agency.id, details={"from": agency.transcription_language,
                                              "to": language}))
            await uow.commit()
        return changed
