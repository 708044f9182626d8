"""Format check of the 12-digit personal identification number (số định danh cá nhân, printed
on the căn cước card; Circular 07/2016/TT-BCA Art. 7): 3 digits of the province of birth
registration, 1 digit of sex and century, 2 digits of the year of birth, 6 random digits.

Only the format is checked: the number's owner is confirmed by the official at the hearing
(ND154 Art. 12). Province codes stay valid after the 2025 merger of provinces.
"""

from __future__ import annotations

import re
from datetime import date

PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
})
# ASCII only: \d also matches fullwidth, Arabic-Indic, Devanagari... digits, which NFC does not
# fold, so one number could be written many ways (and slip past the per-number booking limit).
_DIGITS = re.compile(r"[0-9]{12}")


def birth_year(number: str) -> int:
    """Digit 4 is sex and century: 0/1 born 1900-1999, 2/3 2000-2099, 4/5 2100-2199, ..."""
    century = 1900 + 100 * (int(number[3]) // 2)
    return century + int(number[4:6])


def is_valid_id_number(number: str, *, today: date) -> bool:
    """12 digits, a known province code, and a year of birth that is not in the future."""
    if not _DIGITS.fullmatch(number) or number[:3] not in PROVINCE_CODES:
        return False
    return int(number[3]) <= 3 and birth_year(number) <= today.year
