"""bench/search.py works end to end at a small size (the real run is 1M and 10M lines, by
hand): it times every term class for our search and for the ILIKE baseline, and every path of
the search finds the same lines."""

from __future__ import annotations

import time

import pytest

from bench.search import CLASSES, run


async def test_the_bench_times_every_term_class_and_every_search_path_agrees(
        clean_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    began = time.perf_counter()
    await run(clean_db, [2_000], check_paths=True, repeats=2)
    out = capsys.readouterr().out
    assert "2,000 transcript lines" in out and "COPY through the triggers" in out
    assert "fts_transcript_segment_recent" in out and "ILIKE p50" in out
    for name in CLASSES:
        assert f"\n  {name} " in out
    # A few seconds on an idle machine; the bound only catches a search gone quadratic.
    assert time.perf_counter() - began < 60
