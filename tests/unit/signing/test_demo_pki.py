"""The demo CA and the generated secrets are made once even when several processes start at
once on a fresh DATA_DIR, with private keys readable by the owner only, and marked DEMO."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from reception.adapters.signing.demo_pki import DEMO_MARK, DemoPki
from reception.settings import generated_once


def _make_pki(folder: str) -> str:
    pki = DemoPki(Path(folder), "http://127.0.0.1:9/pki/demo-root.crl")
    path = pki.agency_p12("TTT", "Thanh tra tỉnh")
    return hashlib.sha256(pki.root_path.read_bytes() + path.read_bytes()).hexdigest()


def _make_secret(path: str) -> str:
    import secrets

    return generated_once(Path(path), lambda: secrets.token_urlsafe(16))


def test_processes_starting_together_agree_on_one_demo_ca(tmp_path: Path) -> None:
    folder = tmp_path / "pki"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        fingerprints = pool.map(_make_pki, [str(folder)] * 4)
    assert len(set(fingerprints)) == 1
    for key in (folder / "demo-root.key.pem", folder / "demo-tsa.key.pem",
                folder / "agencies" / "TTT.p12", folder / "agencies" / "passphrase"):
        assert key.stat().st_mode & 0o077 == 0, key
    root = x509.load_pem_x509_certificate((folder / "demo-root.pem").read_bytes())
    assert "DEMO" in root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert root.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == DEMO_MARK


def test_processes_starting_together_agree_on_one_generated_secret(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "secret_key"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        values = pool.map(_make_secret, [str(path)] * 8)
    assert len(set(values)) == 1 and path.stat().st_mode & 0o077 == 0


def test_an_agency_certificate_names_the_agency_and_says_demo(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    pki = DemoPki(tmp_path, "http://127.0.0.1:9/pki/demo-root.crl")
    bundle = pkcs12.load_pkcs12(pki.agency_p12("SO-TP", "Sở Tư pháp").read_bytes(),
                                pki.passphrase())
    assert bundle.cert is not None
    subject = bundle.cert.certificate.subject
    assert subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "SO-TP"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == DEMO_MARK
    crl = x509.load_der_x509_crl(pki.crl())
    assert crl.issuer == pki.root().subject and crl.is_signature_valid(pki.root().public_key())
