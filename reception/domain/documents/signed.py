"""An official document as issued: who signed it, when, with which certificate, and the code
printed on it with which anyone can check it (docs/law.md §3.11).

The register keeps no party, no content and nothing sealed: what the public verification
page may show about a document is exactly what this record holds (and for a denunciation,
`sealed` narrows it to the reference and the kind)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from reception.domain.hearings.model import HearingId
from reception.domain.organisation import AgencyId, StaffId

# Crockford's base32 without I, L, O, U: nothing a person can misread on paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: not guessable at the verification page's rate limit
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


class DocumentKind(enum.StrEnum):
    CASE_FORM = "case_form"  # a form generated from a case file
    HEARING_RECORD = "hearing_record"  # the approved record of an online hearing


@dataclass(frozen=True)
class SignedDocument:
    id: uuid.UUID
    code: str  # normalised, without dashes
    kind: DocumentKind
    title: str  # the form's name, e.g. "Giấy biên nhận … (Mẫu 02/TCD)"
    reference: str  # case reference, or booking reference for a hearing record
    agency_id: AgencyId
    sha256: str  # of the signed file as stored
    digest: str  # what the signature covers (hex SHA-256 of the signed byte ranges)
    signer_id: StaffId
    signer_name: str
    signer_role: str
    certificate_subject: str
    certificate_serial: str
    signed_at: datetime
    timestamped: bool
    ltv: bool
    demo: bool
    sealed: bool  # a denunciation: the public sees only the reference and the kind
    case_id: uuid.UUID | None = None
    document_id: uuid.UUID | None = None  # the case document that holds the file
    hearing_id: HearingId | None = None
    countersigned_at: datetime | None = None  # the citizen's acknowledgement
    countersigned_by: str | None = None


def make_code(random_bytes: bytes) -> str:
    """A verification code from at least 8 random bytes (the caller's randomness)."""
    number = int.from_bytes(random_bytes[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(chars)


def display_code(code: str) -> str:
    """XXXX-XXXX-XXXX, as printed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """What a person typed (dashes, spaces, lower case, O for 0) → the code, or None."""
    cleaned = "".join(c for c in text.upper() if c.isalnum()).translate(CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
