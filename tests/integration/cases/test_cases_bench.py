"""bench/cases.py works end to end at a tiny size (the real run is 1M rows, by hand)."""

from __future__ import annotations

import time

import pytest

from bench.cases import run


async def test_the_bench_seeds_with_copy_and_times_every_dashboard_query(
        clean_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    began = time.perf_counter()
    await run(clean_db, [2_000])
    out = capsys.readouterr().out
    assert "2,000 case files" in out and "on-time per month" in out and "Index" in out
    assert time.perf_counter() - began < 10
