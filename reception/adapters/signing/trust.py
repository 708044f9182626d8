"""Which certificates signatures are checked against: the configured trust roots
(SIGNING_TRUST_ROOTS, the Vietnamese root CA in production) and, with no certificate
configured, the demo root and its CRL. Production validators may fetch CRLs and OCSP answers
from the CA; the demo never leaves the machine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko_certvalidator import ValidationContext


@dataclass(frozen=True)
class TrustSettings:
    roots: tuple[Path, ...]
    crls: Callable[[], list[bytes]] = field(default=lambda: [])  # DER CRLs known locally
    allow_fetching: bool = True  # fetch CRLs/OCSP from the CAs (production)
    other_certs: tuple[Path, ...] = ()  # intermediates, the TSA's certificate
    prepare: Callable[[], None] = field(default=lambda: None)  # makes the demo CA on first use

    def root_certificates(self) -> list[asn1_x509.Certificate]:
        self.prepare()
        return list(load_certs_from_pemder(  # type: ignore[no-untyped-call]
            [str(p) for p in self.roots]))

    def other_certificates(self) -> list[asn1_x509.Certificate]:
        self.prepare()
        return list(load_certs_from_pemder(  # type: ignore[no-untyped-call]
            [str(p) for p in self.other_certs]))

    def crl_objects(self) -> list[asn1_crl.CertificateList]:
        return [asn1_crl.CertificateList.load(c) for c in self.crls()]

    def context(self, **overrides: object) -> ValidationContext:
        """A fresh validation context (they cache what they learn: one per operation)."""
        options: dict[str, object] = dict(
            trust_roots=self.root_certificates(),
            other_certs=self.other_certificates(), crls=self.crl_objects(),
            allow_fetching=self.allow_fetching, revocation_mode="hard-fail")
        options.update(overrides)
        return ValidationContext(**options)  # type: ignore[arg-type]
