"""Recordings are chained as they are written: the recorder's own files verify, and a flipped
byte, a chunk cut out, a truncated tail and a rewritten chain are each named by chunk and byte
offset, also in a file repaired after a crash and in the as-recorded original kept beside it."""

from __future__ import annotations

import functools
import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import av
import pytest

from bench.clip import Clip, encode_clip, load_clip
from reception.adapters.media import chain, probe_duration, repair_recording
from reception.adapters.media.recording.muxer import RecordingFiles

SECONDS = 6


@functools.cache
def clip() -> Clip:
    """A browser-like VP8 + Opus clip, as packets (encoded once per test run)."""
    path = Path(tempfile.mkdtemp()) / "clip.webm"
    encode_clip(path, seconds=SECONDS, size=(320, 240), keyframe_every=30, bit_rate=300_000)
    return load_clip(path)


def record(directory: Path, *, close: bool = True, share: tuple[int, int] = (1, 1)
           ) -> RecordingFiles:
    """The clip's packets muxed through the recorder's own files, in arrival order (`share`
    (n, d): the first n/d of them)."""
    files = RecordingFiles(directory / "m.audio.webm", directory / "m.av.webm", (320, 240))
    write(files, packets()[:len(packets()) * share[0] // share[1]])
    if close:
        files.close()
    return files


def packets() -> list[tuple[float, str, Any]]:
    return sorted([(p.pts / 48_000, "audio", p) for p in clip().audio]
                  + [(p.pts / 90_000, "video", p) for p in clip().video], key=lambda item: item[0])


def write(files: RecordingFiles, some: list[tuple[float, str, Any]]) -> None:
    for seconds, kind, packet in some:
        if kind == "audio":
            files.write_audio(packet.pts, packet.data)
        else:
            files.write_video(round(seconds * 1000), packet.data, packet.keyframe)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("recorded")
    record(directory)
    return directory / "m.av.webm"


def copy_of(recorded: Path, directory: Path) -> Path:
    target = directory / recorded.name
    shutil.copy(recorded, target)
    shutil.copy(chain.sidecar_of(recorded), chain.sidecar_of(target))
    return target


def records(path: Path) -> list[list[str]]:
    text = chain.read_chain(path)
    assert text is not None
    return [line.split(" ") for line in text.splitlines()[1:]]


def test_the_recorders_files_are_chained_chunk_by_chunk_and_verify(recorded: Path) -> None:
    lines = records(recorded)
    assert lines[-1][0] == "c" and int(lines[-1][2]) == recorded.stat().st_size
    assert len([r for r in lines if r[0] == "a"]) >= 2 * SECONDS  # flushed at least twice a second
    assert [r[0] for r in lines].count("p") == 1  # the header's duration, filled in at close
    assert chain.verify(recorded) == []
    assert chain.verify(recorded.with_name("m.audio.webm")) == []
    checked = chain.check(recorded)  # the whole file's hash comes out of the same pass
    assert checked.sha256 == hashlib.sha256(recorded.read_bytes()).hexdigest()
    assert abs(probe_duration(recorded) - SECONDS) < 0.5
    with av.open(str(recorded)) as container:
        assert container.duration is not None  # a seekable file: duration and cues as before
        assert sum(1 for _ in container.decode(video=0)) >= SECONDS * 20


def chunk_at(path: Path, offset: int) -> tuple[int, int]:
    """(sequence number, start) of the appended chunk holding byte `offset`."""
    for kind, seq, start, length, *_ in records(path):
        if kind == "a" and int(start) <= offset < int(start) + int(length):
            return int(seq), int(start)
    raise AssertionError(offset)


def test_a_flipped_byte_is_named_by_its_chunk_and_offset(recorded: Path, tmp_path: Path) -> None:
    file = copy_of(recorded, tmp_path)
    data = bytearray(file.read_bytes())
    where = len(data) // 2
    data[where] ^= 0x01
    file.write_bytes(data)
    seq, start = chunk_at(file, where)
    (failure,) = chain.verify(file)
    assert (failure.chunk, failure.offset) == (seq, start)
    assert "not what was recorded" in failure.problem


def test_a_chunk_cut_out_is_named(recorded: Path, tmp_path: Path) -> None:
    file = copy_of(recorded, tmp_path)
    kind, seq, start, length, *_ = records(file)[3]
    assert kind == "a"
    data = file.read_bytes()
    file.write_bytes(data[:int(start)] + data[int(start) + int(length):])
    failures = chain.verify(file)
    assert (failures[0].chunk, failures[0].offset) == (int(seq), int(start))
    assert any("closed at" in f.problem for f in failures)


def test_a_truncated_tail_is_named(recorded: Path, tmp_path: Path) -> None:
    file = copy_of(recorded, tmp_path)
    size = file.stat().st_size
    with file.open("r+b") as handle:
        handle.truncate(size - 300)
    checked = chain.check(file)
    assert any("truncated" in f.problem and f.offset == size - 300 for f in checked.failures)
    assert checked.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()


def test_a_chain_rewritten_to_match_a_tampered_file_differs_from_the_database_copy(
    recorded: Path, tmp_path: Path
) -> None:
    file = copy_of(recorded, tmp_path)
    stored = chain.read_chain(file)  # what the hearing service keeps in the database
    data = bytearray(file.read_bytes())
    data[len(data) // 3] ^= 0xFF
    file.write_bytes(data)
    chain.sidecar_of(file).unlink()
    chain.seal(file)  # the tamperer chains the file anew, as if recorded so
    assert chain.verify(file) == []  # the sidecar alone is fooled
    problems = [f.problem for f in chain.verify(file, stored)]
    assert problems[0] == "the chain beside the file differs from the copy in the database"
    assert any("not what was recorded" in p for p in problems)


def test_a_crashed_recording_is_repaired_and_both_copies_stay_verifiable(tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    writer = record(live, close=False)  # still open: a copy now is what a crash leaves behind
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    file = copy_of(live / "m.av.webm", crashed)
    with file.open("ab") as handle:  # and the cluster being written when the process died
        handle.write(b"\x1f\x43\xb6\x75half a cluster")
    writer.close()

    repaired = repair_recording(file)
    assert repaired.path == file and repaired.crashed_copy.exists()
    assert chain.verify(repaired.path) == []
    assert chain.verify(repaired.crashed_copy) == []
    sealed = records(repaired.crashed_copy)
    assert [r[0] for r in sealed[-2:]] == ["t", "c"]  # the unrecorded tail, chained as such

    for target in (repaired.path, repaired.crashed_copy):
        pristine = target.read_bytes()
        flipped = bytearray(pristine)
        flipped[len(flipped) // 2] ^= 0x01
        target.write_bytes(flipped)
        assert [f.kind for f in chain.verify(target)] == ["altered"]
        target.write_bytes(pristine[:4000] + pristine[5000:])  # a chunk's worth cut out
        assert {"altered", "size"} <= {f.kind for f in chain.verify(target)}
        target.write_bytes(pristine[:-200])  # the tail cut off
        assert "size" in {f.kind for f in chain.verify(target)}
        target.write_bytes(pristine)
        assert chain.verify(target) == []


@pytest.mark.parametrize("woken", ["closes", "is fenced"])
def test_a_writer_taken_for_dead_writes_on_into_neither_the_repair_nor_the_original(
    tmp_path: Path, woken: str
) -> None:
    """A media node taken for dead may only have been stalled: the adopter repairs the files it
    still holds open. Whatever the writer does when it wakes up — writes more packets, then
    closes (trailer, closing record) or is fenced and drops the files — the repaired file and
    the as-recorded original kept beside it stay exactly as the adopter stored them."""
    writer = record(tmp_path, close=False, share=(1, 2))
    repaired = repair_recording(tmp_path / "m.av.webm")
    stored = {p: (p.read_bytes(), chain.read_chain(p)) for p in (repaired.path,
                                                                repaired.crashed_copy)}
    write(writer, packets()[len(packets()) // 2:])  # it wakes up and writes on
    if woken == "closes":
        writer.close()
    else:
        writer.abandon()
    for path, (data, text) in stored.items():
        assert (path.read_bytes(), chain.read_chain(path)) == (data, text), path.name
        assert chain.verify(path) == [], path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "m.audio.webm", "m.audio.webm.chain", "m.av.crashed.webm", "m.av.crashed.webm.chain",
        "m.av.webm", "m.av.webm.chain"]


def test_a_recording_killed_before_its_first_cluster_is_repaired_into_nothing(
    tmp_path: Path,
) -> None:
    file = tmp_path / "m.av.webm"
    output = chain.open_output(file)
    output.write(b"\x1aE\xdf")  # the first bytes of a header, then the process died
    repaired = repair_recording(file)
    assert repaired.packets == 0 and repaired.duration_seconds == 0.0
    assert not repaired.path.exists() and not chain.sidecar_of(repaired.path).exists()
    assert chain.verify(repaired.crashed_copy) == []  # repaired into nothing; the original kept
    assert [r[0] for r in records(repaired.crashed_copy)] == ["a", "c"]


def test_files_that_cannot_all_open_leave_nothing_and_never_touch_an_existing_recording(
    tmp_path: Path,
) -> None:
    existing = tmp_path / "m.av.webm"
    existing.write_bytes(b"an earlier recording")
    with pytest.raises(FileExistsError):  # a recording is never overwritten
        RecordingFiles(tmp_path / "m.audio.webm", existing, (320, 240))
    assert existing.read_bytes() == b"an earlier recording"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.av.webm"]  # the audio file it made
