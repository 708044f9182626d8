"""Child process of the crash test: records one participant until it is killed.

Run as `python crashing_hearing.py <recordings dir>`; prints "recording" once recording runs.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # bench/ (media_peers uses its clip)
from media_peers import Client  # noqa: E402

from reception.adapters.media import MediaHub


async def main(directory: Path) -> None:
    hub = MediaHub(directory, loopback_only=True)
    citizen = Client(speech="citizen.wav", luma=60)
    answer = await hub.handle_offer("crash", "citizen", await citizen.offer(), admitted=True)
    await citizen.accept(answer.sdp, answer.type)
    await hub.start_recording("crash", "citizen")
    print("recording", flush=True)
    await asyncio.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
