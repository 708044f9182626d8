"""An anonymous HTTP flood, run as its own process: `python -m tests.integration.flood URL
SECONDS CONCURRENCY` posts the public status form as fast as it can and prints a JSON count of
the answers by status code."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter

import aiohttp


async def flood(url: str, seconds: float, concurrency: int) -> Counter[int]:
    answers: Counter[int] = Counter()
    stop = time.monotonic() + seconds
    async with aiohttp.ClientSession() as http:
        async def one_client() -> None:
            while time.monotonic() < stop:
                try:
                    async with http.post(f"{url}/status", data={
                            "reference": "TD-2026-000001", "secret": "đoán-mò"}) as response:
                        await response.read()
                        answers[response.status] += 1
                except aiohttp.ClientError:
                    answers[0] += 1
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
    return answers


if __name__ == "__main__":
    counted = asyncio.run(flood(sys.argv[1], float(sys.argv[2]), int(sys.argv[3])))
    print(json.dumps({str(k): v for k, v in counted.items()}))
