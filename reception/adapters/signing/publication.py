"""The root certificate(s) and the demo CRL, as the server publishes them (/pki/…)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reception.adapters.signing.demo_pki import DemoPki


@dataclass(frozen=True)
class DemoPublication:
    pki: DemoPki

    def root_certificates_pem(self) -> bytes:
        self.pki.ensure()
        return self.pki.root_path.read_bytes()

    def revocation_list(self) -> bytes | None:
        return self.pki.crl()


@dataclass(frozen=True)
class ConfiguredRoots:
    roots: tuple[Path, ...]

    def root_certificates_pem(self) -> bytes:
        return b"".join(path.read_bytes() for path in self.roots)

    def revocation_list(self) -> bytes | None:
        return None  # the CA publishes its own, at the address in its certificates
