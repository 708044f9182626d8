"""The database a benchmark runs against: DATABASE_URL, or an embedded PostgreSQL under
var/bench (kept between runs, separate from the app's and the tests' data)."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@asynccontextmanager
async def bench_database() -> AsyncIterator[str]:
    """A migrated database's URL for the duration of the block."""
    from reception.adapters.db.embedded import EmbeddedPostgres, ensure_database
    from reception.adapters.db.migrate import upgrade

    url = os.environ.get("DATABASE_URL")
    server = None
    if url is None:
        server = EmbeddedPostgres(ROOT / "var" / "bench")
        await ensure_database(server.url("postgres"), "reception_bench")
        url = server.url("reception_bench")
    await upgrade(url)
    try:
        yield url
    finally:
        if server is not None:
            server.stop()


def sizes_main(doc: str | None, run: Callable[..., Awaitable[None]], *,
               flags: dict[str, str] | None = None) -> None:
    """Command line shared by the seeding benchmarks: `--sizes N ...`, `--no-plans`, and the
    benchmark's own on/off `flags` (passed to `run` as keywords: `--check-paths` ->
    check_paths)."""
    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--no-plans", action="store_true")
    for flag, help_text in (flags or {}).items():
        parser.add_argument(flag, action="store_true", help=help_text)
    args = parser.parse_args()
    extra = {flag.lstrip("-").replace("-", "_"): getattr(args, flag.lstrip("-").replace("-", "_"))
             for flag in flags or {}}

    async def go() -> None:
        async with bench_database() as url:
            await run(url, args.sizes, show_plans=not args.no_plans, **extra)

    asyncio.run(go())


async def grow_and_measure(sizes: list[int], unit: str,
                           seed: Callable[[int, int], Awaitable[float]],
                           measure: Callable[[], Awaitable[None]]) -> None:
    """Seed up to each size in turn (seed(start, count) -> seconds), measuring at each."""
    seeded = 0
    for size in sorted(sizes):
        seconds = await seed(seeded, size - seeded)
        seeded = size
        print(f"\n{size:,} {unit} (seeded {seconds:.1f} s)")
        await measure()
