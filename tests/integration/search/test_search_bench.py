"""bench/search.py works end to end at a small size (the real run is 1M lines, by hand), and
its plans show the GIN index answering the match."""

from __future__ import annotations

import time

import pytest

from bench.search import run


async def test_the_bench_seeds_with_copy_and_every_search_uses_the_gin_index(
        clean_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    began = time.perf_counter()
    await run(clean_db, [2_000])
    out = capsys.readouterr().out
    assert "2,000 transcript lines" in out and "nothing matches" in out
    assert out.count("Bitmap Index Scan on fts_transcript_segment_document") >= 6
    assert "Seq Scan on transcript_segment" not in out
    assert time.perf_counter() - began < 5
