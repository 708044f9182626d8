"""The recording's timeline: received packets placed by RTP timestamp, nothing encoded.

A backlog delivered late (an event-loop stall) keeps its place; a real pause (mute, network
drop) becomes constant silence frames listed as a gap; a reconnect continues the same file.
"""

from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np
import pytest

from reception.adapters.media.forwarding.frames import SILENCE_FRAMES, EncodedFrame, Generation, SenderSync
from reception.adapters.media.recording.manifest import Manifest
from reception.adapters.media.recording.muxer import RecordingFiles
from reception.adapters.media.recording.recorder import ParticipantRecorder
from reception.adapters.media.recording.timeline import anchor
from reception.adapters.media.recording.tracks import AudioTrack, VideoTrack

START = 100.0  # server monotonic seconds at which the recording started
VOICE = bytes([0x78]) + bytes(range(1, 60))  # TOC 0x78: SILK wideband 20 ms, one frame
FILLERS = {packet for _, packet in SILENCE_FRAMES}


class Sender:
    """One connection's audio as the Source hands it on: RTP timestamps and arrival times."""

    def __init__(self, first_timestamp: int = 5_000) -> None:
        self.generation = Generation("audio", "citizen", SenderSync())
        self.first_timestamp = first_timestamp

    def frame(self, index: int, arrival: float, data: bytes = VOICE) -> EncodedFrame:
        timestamp = self.first_timestamp + index * 960
        self.generation.clock.add(timestamp, arrival)
        return EncodedFrame(data + bytes([index % 256]), timestamp, arrival, True, self.generation, 0)


def record_audio(tmp_path: Path, frames: list[EncodedFrame],
                 until: float | None = None) -> tuple[AudioTrack, Path]:
    files = RecordingFiles(tmp_path / "a.audio.webm", tmp_path / "a.av.webm", (320, 240))
    track = AudioTrack(files, START)
    for frame in frames:
        track.write(frame, frame.arrival)
    track.finish(frames[-1].arrival - START if until is None else until)
    files.close()
    return track, tmp_path / "a.audio.webm"


def packets(path: Path) -> list[tuple[int, bytes]]:
    """(pts in ms, payload) of every audio packet of the file."""
    with av.open(str(path)) as container:
        return [(int(p.pts or 0), bytes(p)) for p in container.demux(audio=0) if p.dts is not None]


def test_a_backlog_after_a_stall_keeps_every_packet_at_its_rtp_time(tmp_path: Path) -> None:
    sender = Sender()
    # 1 s on time (each 20 ms frame arrives 30 ms after its time), then the loop stalls for
    # 1 s and the next second of frames arrives at once, then on time again.
    frames = [sender.frame(i, START + 0.03 + 0.02 * i) for i in range(50)]
    frames += [sender.frame(i, START + 2.03 + 0.0001 * (i - 50)) for i in range(50, 100)]
    frames += [sender.frame(i, START + 0.03 + 0.02 * i) for i in range(100, 150)]
    track, path = record_audio(tmp_path, frames)
    found = packets(path)
    received = [(pts, data) for pts, data in found if data not in FILLERS]
    assert [data for _, data in received] == [f.data for f in frames]  # all of them, in order
    assert [pts for pts, _ in received] == [30 + 20 * i for i in range(150)]  # at RTP spacing
    assert track.gaps_ms() == [[0, 30]] and track.packets == 150  # only the lead-in is filled


def test_a_pause_becomes_silence_listed_as_a_gap_and_the_timeline_holds(tmp_path: Path) -> None:
    sender = Sender()
    frames = [sender.frame(i, START + 0.02 * i) for i in range(50)]  # 0-1 s
    frames += [sender.frame(i, START + 0.02 * i) for i in range(100, 150)]  # 2-3 s: 1 s unsent
    track, path = record_audio(tmp_path, frames)
    found = packets(path)
    assert track.gaps_ms() == [[1000, 2000]] and track.filled == 48_000
    filler = [pts for pts, data in found if data == b"\xf8\xff\xfe"]
    assert filler == list(range(1000, 2000, 20))
    assert [pts for pts, data in found if data not in FILLERS][50] == 2000
    with av.open(str(path)) as container:
        pcm = np.concatenate([f.to_ndarray().ravel() for f in container.decode(audio=0)])
    assert np.abs(pcm[int(1.1 * 96_000):int(1.9 * 96_000)]).max() == 0  # stereo at 48 kHz


def test_the_first_packet_lies_exactly_where_it_was_placed_no_pre_skip(tmp_path: Path) -> None:
    sender = Sender()
    frames = [sender.frame(i, START + 0.5 + 0.02 * i) for i in range(30)]
    track, path = record_audio(tmp_path, frames)
    assert packets(path)[0][0] == 0  # the lead-in silence starts the file at 0...
    with av.open(str(path)) as container:
        first = next(container.decode(audio=0))
        assert first.pts == 0 and container.streams.audio[0].codec_context.extradata[10:12] == b"\0\0"
    assert [pts for pts, data in packets(path) if data not in FILLERS][0] == 500  # ...audio at 0.5 s


def test_a_reconnect_continues_the_file_at_the_new_connection_s_time(tmp_path: Path) -> None:
    before, after = Sender(first_timestamp=5_000), Sender(first_timestamp=3_000_000_000)
    frames = [before.frame(i, START + 0.02 * i) for i in range(50)]
    frames += [after.frame(i, START + 3.0 + 0.02 * i) for i in range(50)]  # back 2 s later
    track, path = record_audio(tmp_path, frames)
    received = [pts for pts, data in packets(path) if data not in FILLERS]
    assert received[49] == 980 and received[50] == 3000 and track.gaps_ms() == [[1000, 3000]]


def test_frames_placed_before_the_recording_started_are_not_in_it(tmp_path: Path) -> None:
    sender = Sender()
    frames = [sender.frame(i, START - 0.2 + 0.02 * i) for i in range(30)]
    track, path = record_audio(tmp_path, frames)
    assert track.early == 10 and packets(path)[0][0] == 0 and track.gaps_ms() == []


def test_video_starts_on_a_keyframe_and_waits_for_one_after_a_loss(tmp_path: Path) -> None:
    files = RecordingFiles(tmp_path / "v.audio.webm", tmp_path / "v.av.webm", (320, 240))
    track = VideoTrack(files, START)
    generation = Generation("video", "citizen", SenderSync())
    key = bytes([0x10, 0, 0, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00]) + b"key"
    written = []
    for index in range(12):
        is_key = index in (2, 9)
        epoch = 1 if index >= 6 else 0  # a loss before frame 6
        timestamp = 90_000 + index * 3000
        generation.clock.add(timestamp, START + index / 30)
        data = key + bytes([index]) if is_key else bytes([0x31, index])
        frame = EncodedFrame(data, timestamp, START + index / 30, is_key, generation, epoch)
        track.write(frame, START + 2)
        written.append(index)
    track.finish()
    files.close()
    with av.open(str(tmp_path / "v.av.webm")) as container:
        stream = container.streams.video[0]
        found = [(bytes(p)[-1], p.is_keyframe) for p in container.demux(stream) if p.dts is not None]
    assert [index for index, _ in found] == [2, 3, 4, 5, 9, 10, 11]
    assert found[0][1] and found[4][1] and track.dropped == 5


def test_audio_that_stops_before_the_recording_does_runs_to_its_end_as_listed_silence(
    tmp_path: Path,
) -> None:
    sender = Sender()
    frames = [sender.frame(i, START + 0.02 * i) for i in range(50)]  # 1 s, then the line dies
    track, path = record_audio(tmp_path, frames, until=4.0)
    assert track.gaps_ms() == [[1000, 4000]] and track.end == 4 * 48_000
    assert packets(path)[-1][0] == 3980


def test_sender_reports_align_audio_with_video_but_a_wild_one_is_not_believed() -> None:
    sync = SenderSync()
    audio, video = Generation("audio", "citizen", sync), Generation("video", "citizen", sync)
    # The sender's clock: audio RTP 0 and video RTP 0 were both captured at sender time 50.0 s.
    sync.report("audio", int(50.0 * (1 << 32)), 0)
    sync.report("video", int(50.0 * (1 << 32)), 0)
    # Video reaches the recorder 20 ms after capture, audio 100 ms (the audio jitter buffer).
    for index in range(40):
        audio.clock.add(index * 960, START + 0.100 + index * 0.02)
        video.clock.add(index * 3000, START + 0.020 + index / 30)
    assert anchor(audio).first_time == pytest.approx(START + 0.020)  # moved onto video's delay
    assert anchor(video).first_time == pytest.approx(START + 0.020) and anchor(video).by_sender_reports

    wild = SenderSync()
    late = Generation("audio", "citizen", wild)
    other = Generation("video", "citizen", wild)
    wild.report("video", int(50.0 * (1 << 32)), 0)
    wild.report("audio", int(47.0 * (1 << 32)), 0)  # claims audio was captured 3 s earlier
    for index in range(40):
        late.clock.add(index * 960, START + 0.100 + index * 0.02)
        other.clock.add(index * 3000, START + 0.020 + index / 30)
    assert anchor(other).by_sender_reports
    placed = anchor(late)
    assert not placed.by_sender_reports and placed.first_time == pytest.approx(START + 0.100)


async def test_the_result_and_the_manifest_count_the_audio_timed_before_the_start(
        tmp_path: Path) -> None:
    """Frames of the connection's first moments, placed before the recorder started, are not
    in the file: the manifest and the result say how many (they were counted, never shown)."""
    before = time.monotonic()
    recorder = ParticipantRecorder(tmp_path, "citizen", {})
    await recorder.start()
    sender = Sender()
    for i in range(30):  # 0.3 s before `before` to 0.3 s after: the first 15 are early
        recorder.receive("audio", sender.frame(i, before - 0.3 + 0.02 * i))
    result = await recorder.stop()
    manifest = Manifest.read(Manifest.path_for(tmp_path, "citizen"))
    assert result.audio_before_start >= 15
    assert result.audio_before_start + result.audio_packets == 30
    assert manifest.audio_before_start == result.audio_before_start
