"""Signing cost per document: median time (ms) and file growth (bytes, %) for an official form
and for a hearing record, with and without long-term validation data (PAdES B-LTA with the
demo TSA, and B-B), on the embedded demo CA in a temporary folder.

    .venv/bin/python -m bench.signing --runs 15
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reception.adapters.forms_pdf.hearing_record import HearingRecordPdf
from reception.adapters.forms_pdf.layout import FormContent, render
from reception.adapters.signing.demo_pki import DemoPki
from reception.adapters.signing.keys import DemoKeys
from reception.adapters.signing.pades import PadesSigner, SigningOptions
from reception.adapters.signing.timestamps import demo_timestamper
from reception.adapters.signing.trust import TrustSettings
from reception.services.signing.ports import SigningRequest
from reception.services.transcripts.review_ports import (
    HearingRecordData,
    RecordFile,
    RecordLine,
    RecordParty,
)


def form() -> bytes:
    return render(FormContent(
        "Mẫu 02/TCD", "Nghị định 154/2026/NĐ-CP", "Thanh tra tỉnh", "KN-2026-000001",
        date(2026, 7, 1), "Giấy biên nhận thông tin, tài liệu, bằng chứng",
        fields=[("Người cung cấp", "Nguyễn Văn An, CCCD số 001090000001"),
                ("Tóm tắt nội dung", "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND")]))


def hearing_record(lines: int) -> bytes:
    t0 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
    return HearingRecordPdf().render(HearingRecordData(
        agency="Thanh tra tỉnh", session_id="5f1c", booking_reference="TD-2026-000001",
        subject="complaint", summary="Khiếu nại quyết định thu hồi đất", opened_at=t0,
        ended_at=t0 + timedelta(minutes=30), central_point="Thanh tra tỉnh",
        parties=[RecordParty("official", "Lê Văn Cán", True),
                 RecordParty("citizen", "Nguyễn Văn An", False, "001090000001", "Huế")],
        notified_at=t0 - timedelta(days=7), device_checked_at=t0 - timedelta(days=1),
        connected_at=t0, denunciation_waiver=None,
        files=[RecordFile("Nguyễn Văn An", "evidence", "a/b.webm", "a" * 64, 10_000_000, 1800.0)],
        lines=[RecordLine(i * 4.0, "Nguyễn Văn An", "citizen",
                          "Tôi trình bày nội dung khiếu nại về quyết định thu hồi đất.")
               for i in range(lines)],
        approved_at=t0 + timedelta(hours=2), approved_by="Lê Văn Cán", approved_hash="c" * 64,
        citizen_ack_at=None, storage="/srv/recordings"))


async def measure(signer: PadesSigner, pdf: bytes, runs: int) -> tuple[float, int]:
    request = SigningRequest("TTT", "Thanh tra tỉnh", "Lê Văn Cán", "Thanh tra viên",
                             "Ban hành", "ABCDEFGH2345", "http://127.0.0.1:8000/verify/ABCDEFGH2345")
    await signer.sign(pdf, request)  # warm-up: the agency certificate is issued and cached
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len((await signer.sign(pdf, request)).data)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pki = DemoPki(Path(folder), "http://127.0.0.1:8000/pki/demo-root.crl")
        trust = TrustSettings((pki.root_path,), crls=lambda: [pki.crl()], allow_fetching=False,
                              other_certs=(pki.folder / "demo-tsa.pem",), prepare=pki.ensure)
        documents = {"form (Mẫu 02)": form(), "hearing record (200 lines)": hearing_record(200)}
        profiles = {"B-LTA (LTV, TSA)": (True, True), "B-T (TSA, no LTV)": (False, True),
                    "B-B (no TSA, no LTV)": (False, False)}
        print(f"{'document':28} {'profile':22} {'median ms':>9} {'before':>8} {'after':>8} "
              f"{'growth':>8} {'%':>6}")
        for name, pdf in documents.items():
            for profile, (ltv, tsa) in profiles.items():
                signer = PadesSigner(DemoKeys(pki), trust, SigningOptions(ltv=ltv),
                                     (lambda: demo_timestamper(pki)) if tsa else (lambda: None))
                ms, size = await measure(signer, pdf, runs)
                print(f"{name:28} {profile:22} {ms:9.0f} {len(pdf):8d} {size:8d} "
                      f"{size - len(pdf):8d} {100 * (size - len(pdf)) / len(pdf):6.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    asyncio.run(main(parser.parse_args().runs))
