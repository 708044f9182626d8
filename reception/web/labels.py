"""Human names (msgids) for domain enums, shown translated in pages."""

from __future__ import annotations

from reception.domain.organisation import AgencyLevel, StaffRole
from reception.i18n_marker import N_

ROLE_LABELS = {
    StaffRole.RECEPTIONIST: N_("Receptionist"),
    StaffRole.INSPECTOR: N_("Inspector / verifier"),
    StaffRole.CASE_MANAGER: N_("Case manager"),
    StaffRole.HEAD: N_("Head of agency"),
    StaffRole.ADMINISTRATOR: N_("Administrator"),
}
LEVEL_LABELS = {
    AgencyLevel.CENTRAL: N_("Central (ministry)"),
    AgencyLevel.PROVINCE: N_("Province"),
    AgencyLevel.DEPARTMENT: N_("Department"),
    AgencyLevel.COMMUNE: N_("Commune"),
}
