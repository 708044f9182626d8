"""Where each agency's signing key comes from: SIGNING_P12 (one PKCS#12 file for every agency,
or a directory of <agency-code>.p12), or the embedded demo CA when nothing is configured.

A USB token or an HSM (PKCS#11, as Vietnamese CAs issue them) plugs in here: a `KeySource`
that returns pyHanko's `PKCS11Signer` for the agency (or for the person, by their login)
instead of a `SimpleSigner` — see docs/signing.md."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.sign.signers import SimpleSigner

from reception.adapters.signing.demo_pki import DemoPki


class KeyUnavailable(Exception):
    """No usable key for this agency (missing file, wrong passphrase)."""


class KeySource(Protocol):
    demo: bool

    def signer_for(self, agency_code: str, agency_name: str) -> SimpleSigner: ...


@dataclass
class Pkcs12Keys:
    """PKCS#12 files: `path` is one file, or a directory of <agency-code>.p12."""

    path: Path
    passphrase: bytes | None
    chain: tuple[Path, ...] = ()  # intermediate and root certificates, if not in the files
    demo: bool = False
    _cache: dict[str, SimpleSigner] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def file_for(self, agency_code: str) -> Path:
        if self.path.is_dir():
            return self.path / f"{agency_code}.p12"
        return self.path

    def signer_for(self, agency_code: str, agency_name: str) -> SimpleSigner:
        file = self.file_for(agency_code)
        with self._lock:
            if str(file) not in self._cache:
                if not file.is_file():
                    raise KeyUnavailable(f"no PKCS#12 file for agency {agency_code}")
                others: list[asn1_x509.Certificate] = [
                    load_cert_from_pemder(str(p))  # type: ignore[no-untyped-call]
                    for p in self.chain]
                signer = SimpleSigner.load_pkcs12_data(file.read_bytes(), others,
                                                       passphrase=self.passphrase)
                if signer is None or signer.signing_cert is None:
                    raise KeyUnavailable(f"cannot open {file.name} (wrong passphrase?)")
                self._cache[str(file)] = signer
            return self._cache[str(file)]


@dataclass
class DemoKeys:
    """The demo CA's certificate per agency, issued on first use."""

    pki: DemoPki
    demo: bool = True
    _cache: dict[str, SimpleSigner] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def signer_for(self, agency_code: str, agency_name: str) -> SimpleSigner:
        with self._lock:
            if agency_code not in self._cache:
                path = self.pki.agency_p12(agency_code, agency_name)
                signer = SimpleSigner.load_pkcs12_data(path.read_bytes(), [],
                                                       passphrase=self.pki.passphrase())
                if signer is None:
                    raise KeyUnavailable(f"cannot open the demo certificate of {agency_code}")
                self._cache[agency_code] = signer
            return self._cache[agency_code]
