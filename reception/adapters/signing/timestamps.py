"""Where the signing time comes from: an RFC 3161 timestamp authority (TSA_URL, over HTTP), or,
with the embedded demo CA only, the demo TSA in-process (pyHanko's dummy timestamper with a
certificate of the demo CA: demo and tests only, never with a real certificate)."""

from __future__ import annotations

from collections.abc import Callable

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from reception.adapters.signing.demo_pki import DemoPki


def http_timestamper(url: str, timeout: float = 10) -> TimeStamper:
    return HTTPTimeStamper(url, timeout=timeout)


def demo_timestamper(pki: DemoPki) -> TimeStamper:
    tsa = pki.tsa()
    der = serialization.Encoding.DER
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.certificate.public_bytes(der)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_x509.Certificate.load(pki.root().public_bytes(der))]))


def timestamper_for(tsa_url: str | None, timeout: float,
                    demo: DemoPki | None) -> Callable[[], TimeStamper | None]:
    """TSA_URL when set; else the demo TSA with the demo CA; else none (signer's own time).
    A factory: the demo TSA's key is read (made) only when the first document is signed."""
    if tsa_url:
        return lambda: http_timestamper(tsa_url, timeout)
    return (lambda: demo_timestamper(demo)) if demo is not None else (lambda: None)
