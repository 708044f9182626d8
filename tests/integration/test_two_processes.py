"""Two server processes started at the same moment on a fresh data directory agree on every key
they make there: the session secret (a sign-in made on one is honoured by the other, its CSRF
tokens too), the denouncer vault's key (an identity sealed by one is opened by the other) and
the signing certificates (a PDF signed by one is valid at the other's /verify)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import free_port

PASSWORD = "mật-khẩu-đủ-dài-2026"
DENOUNCER = "Hoàng Thị Thu Trang"


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def two_servers(clean_db: str, tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    data_dir = tmp_path / "data"  # fresh: no key exists yet
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "VAULT_KEY", "AUDIT_KEY", "SIGNING_P12")}
    # Plain http: the client sends the cookies only when they are not marked Secure.
    env.update(DATABASE_URL=clean_db, DATA_DIR=str(data_dir), WORKER_IN_PROCESS="false",
               COOKIE_SECURE="false")
    processes, urls = [], []
    for name in ("a", "b"):  # both started before either has made anything
        port = free_port()
        log = (tmp_path / f"{name}.log").open("wb")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "reception.cli", "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 180  # importing the media stack is slow on a busy machine
        while not all(_healthy(u) for u in urls):
            for p, name in zip(processes, "ab", strict=True):
                assert p.poll() is None, (tmp_path / f"{name}.log").read_text()
            assert time.monotonic() < deadline, "the servers did not start"
            time.sleep(0.2)
        yield urls[0], urls[1], env
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()


def _sign_in(http: requests.Session, url: str, login: str) -> str:
    page = http.get(f"{url}/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = http.post(f"{url}/login", data={"login": login, "password": PASSWORD,
                                                "csrf_token": token}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return token


def test_two_processes_on_a_fresh_data_dir_sign_and_verify_with_the_same_keys(
    two_servers: tuple[str, str, dict[str, str]],
) -> None:
    first, second, env = two_servers
    created = subprocess.run(
        [sys.executable, "-m", "reception.cli", "create-user", "--login", "thutruong",
         "--full-name", "Phạm Văn Hùng", "--agency-code", "HN-TT",
         "--agency-name", "Thanh tra thành phố Hà Nội", "--agency-level", "province",
         "--role", "head", "--role", "case_manager", "--password-stdin"],
        env=env, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120, check=False)
    assert created.returncode == 0, created.stderr

    # Signed in on the first; the cookies (one host, two ports) go to the second as they are.
    http = requests.Session()
    csrf = _sign_in(http, first, "thutruong")
    assert http.get(f"{second}/api/v1/me", timeout=30).status_code == 200

    # A denunciation registered on the second (its CSRF token was minted by the first) ...
    registered = http.post(f"{second}/api/v1/cases", headers={"X-CSRF-Token": csrf}, timeout=30,
                           json={"kind": "denunciation", "channel": "post",
                                 "summary": "Tố cáo cán bộ địa chính nhận tiền",
                                 "parties": [{"role": "denouncer", "full_name": DENOUNCER,
                                              "address": "45 Lý Thường Kiệt, Hà Nội",
                                              "id_number": "001185012345"}]})
    assert registered.status_code == 201, registered.text
    case = registered.json()
    # ... whose sealed identity the first opens.
    detail = http.get(f"{first}/api/v1/cases/{case['id']}", timeout=30).json()
    denouncer = next(p for p in detail["parties"] if p["role"] == "denouncer")
    revealed = http.post(f"{first}/api/v1/cases/{case['id']}/parties/{denouncer['id']}/reveal",
                         headers={"X-CSRF-Token": csrf}, json={"reason": "Cần liên hệ để xác minh"},
                         timeout=30)
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["full_name"] == DENOUNCER

    # A form signed by the first is valid at the second's public verification page.
    document = http.post(f"{first}/api/v1/cases/{case['id']}/forms/receipt_02",
                         headers={"X-CSRF-Token": csrf}, json={}, timeout=60)
    assert document.status_code == 201, document.text
    pdf = http.get(f"{first}/api/v1/cases/{case['id']}/documents/{document.json()['id']}",
                   timeout=30).content
    verdict = requests.post(f"{second}/verify", files={"file": ("don.pdf", pdf, "application/pdf")},
                            timeout=60)
    assert verdict.status_code == 200 and 'data-verdict="valid"' in verdict.text
