"""A demo PKI made once per test session (its root key takes a moment) and signers on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pyhanko.sign.signers import SimpleSigner

from reception.adapters.forms_pdf.layout import FormContent, render
from reception.adapters.signing.demo_pki import DemoPki, Issued
from reception.adapters.signing.keys import DemoKeys
from reception.adapters.signing.pades import PadesSigner, SigningOptions
from reception.adapters.signing.timestamps import demo_timestamper
from reception.adapters.signing.trust import TrustSettings
from reception.adapters.signing.validation import PadesVerifier
from reception.services.signing.ports import SigningRequest

CODE = "ABCDEFGH2345"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    made = DemoPki(tmp_path_factory.mktemp("pki"), "http://127.0.0.1:9/pki/demo-root.crl")
    made.ensure()
    return made


def trust_of(pki: DemoPki) -> TrustSettings:
    return TrustSettings(roots=(pki.root_path,), crls=lambda: [pki.crl()], allow_fetching=False,
                         other_certs=(pki.folder / "demo-tsa.pem",))


@pytest.fixture(scope="session")
def verifier(pki: DemoPki) -> PadesVerifier:
    return PadesVerifier(trust_of(pki))


@pytest.fixture(scope="session")
def make_signer(pki: DemoPki) -> Callable[..., PadesSigner]:
    def make(*, ltv: bool = True, timestamped: bool = True,
             issued: Issued | None = None) -> PadesSigner:
        keys = DemoKeys(pki) if issued is None else OneKey(pki, issued)
        return PadesSigner(keys, trust_of(pki), SigningOptions(ltv=ltv),
                           lambda: demo_timestamper(pki) if timestamped else None)
    return make


@dataclass
class OneKey:
    """A key source that signs with one given certificate (expired, revoked …)."""

    pki: DemoPki
    issued: Issued
    demo: bool = True

    def signer_for(self, agency_code: str, agency_name: str) -> SimpleSigner:
        path = self.pki.folder / f"one-{self.issued.certificate.serial_number}.p12"
        self.pki.write_p12(path, self.issued, agency_name)
        signer = SimpleSigner.load_pkcs12_data(path.read_bytes(), [],
                                               passphrase=self.pki.passphrase())
        assert signer is not None
        return signer


def request(code: str = CODE) -> SigningRequest:
    return SigningRequest("TTT", "Thanh tra tỉnh Demo", "Nguyễn Văn Thủ", "Thủ trưởng cơ quan",
                          "Ban hành: Giấy biên nhận", code, f"http://127.0.0.1:8000/verify/{code}")


def form_pdf() -> bytes:
    return render(FormContent("Mẫu 02/TCD", "Nghị định 154/2026/NĐ-CP", "Thanh tra tỉnh Demo",
                              "KN-2026-000001", date(2026, 7, 1),
                              "Giấy biên nhận thông tin, tài liệu, bằng chứng",
                              fields=[("Người cung cấp", "Nguyễn Văn An")]))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
