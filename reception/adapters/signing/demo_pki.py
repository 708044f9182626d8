"""The embedded demo PKI: with no signing certificate configured, a local root CA, a demo
timestamp authority and one certificate per agency are created under DATA_DIR/pki, so signing
works out of the box. Every subject says DEMO and "không có giá trị pháp lý" (no legal value);
the root is trusted by this installation alone, never by an operating system or a reader.

Creation is idempotent and safe when several processes start at once on a fresh DATA_DIR:
everything is made under one exclusive file lock, and files appear atomically (0600 keys)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "DEMO — không có giá trị pháp lý"
ROOT_NAME = "DEMO Root CA — không có giá trị pháp lý"
TSA_NAME = "DEMO TSA — không có giá trị pháp lý"
PRODUCT = "Tiếp dân trực tuyến (DEMO)"
CRL_LIFETIME = timedelta(days=7)
CRL_REFRESH_BEFORE = timedelta(days=2)  # reissue when fewer days than this remain


def _fit(text: str) -> str:
    """At most 64 bytes of UTF-8 (the X.520 upper bound), cut at a character."""
    return text.encode()[:64].decode(errors="ignore") or "?"


def _name(common: str, organisation: str, uid: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
                  x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
                  x509.NameAttribute(NameOID.COMMON_NAME, _fit(common))]
    if uid:  # the agency code, as Vietnamese CAs put an organisation's identifier in UID
        attributes.append(x509.NameAttribute(NameOID.USER_ID, _fit(uid)))
    return x509.Name(attributes)


def _write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


class DemoPki:
    """The demo CA in `folder` (DATA_DIR/pki). `crl_url` is written into every certificate
    so that validators know where revocation is published; the CRL is also embedded in each
    signed document (PAdES B-LT), so nothing needs to be fetched to validate offline."""

    def __init__(self, folder: Path, crl_url: str) -> None:
        self.folder = folder
        self._crl_url = crl_url

    # -- files ----------------------------------------------------------------------------
    @property
    def root_path(self) -> Path:
        return self.folder / "demo-root.pem"

    @property
    def crl_path(self) -> Path:
        return self.folder / "demo-root.crl"

    @property
    def agencies(self) -> Path:
        return self.folder / "agencies"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.folder / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def ensure(self) -> None:
        """The root, the TSA and a fresh CRL exist (made once, under the lock)."""
        with self._locked():
            if not self.root_path.exists():
                self._make_root()
            if not (self.folder / "demo-tsa.pem").exists():
                self._make_tsa()
            if not (self.agencies / "passphrase").exists():
                self.agencies.mkdir(exist_ok=True, mode=0o700)
                _write_atomically(self.agencies / "passphrase",
                                  secrets.token_urlsafe(24).encode(), 0o600)
            self._refresh_crl(force=False)

    def root(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.root_path.read_bytes())

    def crl(self) -> bytes:
        """The current CRL (DER), reissued first when it is about to expire."""
        self.ensure()
        return self.crl_path.read_bytes()

    def tsa(self) -> Issued:
        self.ensure()
        return self._load("demo-tsa")

    def passphrase(self) -> bytes:
        self.ensure()
        return (self.agencies / "passphrase").read_bytes().strip()

    def agency_p12(self, code: str, name: str) -> Path:
        """The agency's PKCS#12 (certificate, key, chain), issued on first need."""
        self.ensure()
        path = self.agencies / f"{code}.p12"
        with self._locked():
            if not path.exists():
                issued = self.issue(name, code)
                self._write_p12(path, issued, name)
        return path

    def issue(self, name: str, code: str, *, not_before: datetime | None = None,
              not_after: datetime | None = None) -> Issued:
        """A signing certificate of the demo CA (tests choose the validity period)."""
        root = self._load("demo-root")
        start = not_before or datetime.now(UTC) - timedelta(minutes=5)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = (
            self._builder(_name(name, name, code), key, root, start,
                          not_after or start + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(root.key, hashes.SHA256()))
        return Issued(key, certificate)

    def write_p12(self, path: Path, issued: Issued, label: str) -> None:
        self._write_p12(path, issued, label)

    def revoke(self, certificate: x509.Certificate) -> None:
        """Put a certificate on the CRL (demo and tests: an official's key was lost)."""
        with self._locked():
            revoked = self._revoked()
            revoked[str(certificate.serial_number)] = datetime.now(UTC).isoformat()
            _write_atomically(self.folder / "revoked.json", json.dumps(revoked).encode())
            self._refresh_crl(force=True)

    # -- making ---------------------------------------------------------------------------
    def _builder(self, subject: x509.Name, key: rsa.RSAPrivateKey, issuer: Issued | None,
                 start: datetime, end: datetime) -> x509.CertificateBuilder:
        issuer_name = issuer.certificate.subject if issuer else subject
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                                  critical=False))
        if issuer is not None:
            builder = (builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                critical=False)
                .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(self._crl_url)], None, None, None)]),
                    critical=False))
        return builder

    def _make_root(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.now(UTC) - timedelta(minutes=5)
        certificate = (
            self._builder(_name(ROOT_NAME, PRODUCT), key, None, now, now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
        _write_atomically(self.folder / "demo-root.key.pem", _pem_key(key), 0o600)
        _write_atomically(self.root_path, certificate.public_bytes(serialization.Encoding.PEM))

    def _make_tsa(self) -> None:
        root = self._load("demo-root")
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.now(UTC) - timedelta(minutes=5)
        certificate = (
            self._builder(_name(TSA_NAME, PRODUCT), key, root, now, now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .sign(root.key, hashes.SHA256()))
        _write_atomically(self.folder / "demo-tsa.key.pem", _pem_key(key), 0o600)
        _write_atomically(self.folder / "demo-tsa.pem",
                          certificate.public_bytes(serialization.Encoding.PEM))

    def _write_p12(self, path: Path, issued: Issued, label: str) -> None:
        data = pkcs12.serialize_key_and_certificates(
            label.encode(), issued.key, issued.certificate, [self.root()],
            serialization.BestAvailableEncryption(
                (self.agencies / "passphrase").read_bytes().strip()))
        _write_atomically(path, data, 0o600)

    def _revoked(self) -> dict[str, str]:
        path = self.folder / "revoked.json"
        loaded: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
        return loaded

    def _refresh_crl(self, *, force: bool) -> None:
        now = datetime.now(UTC)
        if not force and self.crl_path.exists():
            current = x509.load_der_x509_crl(self.crl_path.read_bytes())
            if current.next_update_utc and current.next_update_utc - now > CRL_REFRESH_BEFORE:
                return
        root = self._load("demo-root")
        builder = (x509.CertificateRevocationListBuilder()
                   .issuer_name(root.certificate.subject)
                   .last_update(now - timedelta(minutes=1)).next_update(now + CRL_LIFETIME)
                   .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       root.key.public_key()), critical=False))
        for serial, when in self._revoked().items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(int(serial))
                .revocation_date(datetime.fromisoformat(when)).build())
        crl = builder.sign(root.key, hashes.SHA256())
        _write_atomically(self.crl_path, crl.public_bytes(serialization.Encoding.DER))

    def _load(self, stem: str) -> Issued:
        key = serialization.load_pem_private_key(
            (self.folder / f"{stem}.key.pem").read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        certificate = x509.load_pem_x509_certificate((self.folder / f"{stem}.pem").read_bytes())
        return Issued(key, certificate)
