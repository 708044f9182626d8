"""A hearing process killed with SIGKILL: its recordings are repaired and lose at most ~1 s;
the repaired files and the as-recorded originals both verify against their chains."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from media_peers import decoded_video_frames

from reception.adapters.media import chain, probe_duration, recover_directory

CHILD = Path(__file__).with_name("crashing_hearing.py")
RECORD_SECONDS = 8.0


@pytest.mark.slow
def test_recordings_of_a_killed_process_are_repaired_and_hold_all_but_the_last_second(
    tmp_path: Path,
) -> None:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "recording"
        time.sleep(RECORD_SECONDS)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        killed_at = datetime.now(UTC)
        child.wait()

    (recovered,) = recover_directory(tmp_path / "crash")
    wall = (killed_at - recovered.manifest.started_at).total_seconds()
    assert wall >= RECORD_SECONDS
    assert recovered.manifest.first_audio_at is not None
    assert recovered.audio.duration_seconds >= wall - 1.5
    assert probe_duration(recovered.evidence.path) >= wall - 1.5
    assert decoded_video_frames(recovered.evidence.path) > 5 * (wall - 1.5)
    assert recovered.audio.crashed_copy.exists()
    assert recover_directory(tmp_path / "crash") == []  # repaired once, not again
    for repaired in (recovered.audio, recovered.evidence):  # chained as written, then sealed
        assert chain.verify(repaired.path) == []
        assert chain.verify(repaired.crashed_copy) == []
        assert chain.check(repaired.crashed_copy).chunks > RECORD_SECONDS


NO_PACKET_YET = """
import os, sys
from datetime import UTC, datetime
from pathlib import Path
from reception.adapters.media.recording.manifest import Manifest
from reception.adapters.media.recording.muxer import RecordingFiles
directory = Path(sys.argv[1])
RecordingFiles(directory / "m.audio.webm", directory / "m.av.webm", (640, 480))
Manifest("m", "m.audio.webm", "m.av.webm", datetime.now(UTC)).write(directory)
os.kill(os.getpid(), 9)
"""


def test_a_recording_killed_before_its_first_packet_is_recovered_as_empty(tmp_path: Path) -> None:
    child = subprocess.run([sys.executable, "-c", NO_PACKET_YET, str(tmp_path)], check=False)
    assert child.returncode == -signal.SIGKILL

    (recovered,) = recover_directory(tmp_path)
    assert recovered.manifest.state == "empty"
    assert recovered.audio.packets == recovered.evidence.packets == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # nothing to report
        "m.audio.crashed.webm", "m.audio.crashed.webm.chain", "m.av.crashed.webm",
        "m.av.crashed.webm.chain", "m.manifest.json"]
    for kind in ("audio", "av"):  # the header written before the kill is chained and sealed
        assert chain.verify(tmp_path / f"m.{kind}.crashed.webm") == []
