"""Wiring of digital signatures: the agency certificates (SIGNING_P12, or the embedded demo CA
under DATA_DIR/pki), the trust roots, the timestamp authority, the PAdES signer and verifier,
and the services on them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import structlog

from reception.adapters.signing.demo_pki import DemoPki
from reception.adapters.signing.keys import DemoKeys, KeySource, Pkcs12Keys
from reception.adapters.signing.pades import PadesSigner, SigningOptions
from reception.adapters.signing.publication import ConfiguredRoots, DemoPublication
from reception.adapters.signing.timestamps import timestamper_for
from reception.adapters.signing.trust import TrustSettings
from reception.adapters.signing.validation import PadesVerifier
from reception.bootstrap.cases import document_store
from reception.services.ports import UnitOfWorkFactory
from reception.services.registry import SigningServices
from reception.services.signing.issuing import DocumentIssuer
from reception.services.signing.ports import PublishedTrust
from reception.services.signing.verification import DocumentVerification
from reception.services.verification.signatures import SignatureAudit
from reception.settings import Settings

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Signing:
    issuer: DocumentIssuer
    verifier: PadesVerifier
    published: PublishedTrust
    demo: bool


def demo_pki(settings: Settings) -> DemoPki:
    return DemoPki(settings.data_dir / "pki", f"{settings.base_url()}/pki/demo-root.crl")


def _roots(settings: Settings) -> tuple[Path, ...]:
    return tuple(Path(p.strip()) for p in settings.signing_trust_roots.split(",") if p.strip())


def build_signing(settings: Settings) -> Signing:
    """The signer and verifier settings ask for; the demo CA when no certificate is set."""
    keys: KeySource
    if settings.signing_p12 is None:
        # Made on first use (idempotent, under a file lock); `reception serve` makes it at
        # start so that the root certificate is there to download from the first request.
        pki = demo_pki(settings)
        keys = DemoKeys(pki)
        trust = TrustSettings(roots=(pki.root_path, *_roots(settings)),
                              crls=lambda: [pki.crl()], allow_fetching=False,
                              other_certs=(pki.folder / "demo-tsa.pem",), prepare=pki.ensure)
        timestamper = timestamper_for(settings.tsa_url, settings.tsa_timeout_seconds, pki)
        published: PublishedTrust = DemoPublication(pki)
    else:
        password = settings.signing_p12_password
        keys = Pkcs12Keys(settings.signing_p12,
                          password.get_secret_value().encode() if password else None,
                          chain=_roots(settings))
        trust = TrustSettings(roots=_roots(settings), allow_fetching=True)
        timestamper = timestamper_for(settings.tsa_url, settings.tsa_timeout_seconds, None)
        published = ConfiguredRoots(_roots(settings))
        if not settings.tsa_url:
            log.warning("signing.no_timestamp_authority",
                        hint="set TSA_URL: without it the signing time is the server's claim")
    signer = PadesSigner(keys, trust, SigningOptions(ltv=settings.signing_ltv), timestamper)
    issuer = DocumentIssuer(signer, f"{settings.base_url()}/verify")
    return Signing(issuer, PadesVerifier(trust), published, keys.demo)


def build_signing_services(settings: Settings, uow: UnitOfWorkFactory,
                           signing: Signing) -> SigningServices:
    return SigningServices(
        DocumentVerification(uow, signing.verifier,  # the request limit applies first
                             min(settings.case_document_max_bytes, settings.max_body_bytes)),
        signing.published)


def signature_audit(settings: Settings, uow: UnitOfWorkFactory, signing: Signing) -> SignatureAudit:
    return SignatureAudit(uow, signing.verifier, document_store(settings))
