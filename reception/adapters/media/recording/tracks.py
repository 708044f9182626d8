"""The recording's two tracks: placed frames in, packets into the files.

Audio positions are counted in samples at 48 kHz from the recording's start. A frame due after
the current end is preceded by silence frames up to its place; one due before the end (an
anchor a few ms late, a replaced connection) follows the end directly, so nothing received is
ever dropped. Video times are milliseconds, strictly increasing, starting on a keyframe and
after any loss waiting for the next one (a frame referencing lost data would show corruption).
"""

from __future__ import annotations

from reception.adapters.media.forwarding.frames import EncodedFrame, opus_samples, silence
from reception.adapters.media.recording.muxer import RecordingFiles
from reception.adapters.media.recording.timeline import Placer

RATE = 48_000
GAP_TOLERANCE = 120  # samples (2.5 ms): a smaller hole is closed, not filled


class AudioTrack:
    def __init__(self, files: RecordingFiles, start: float) -> None:
        self._files = files
        self._placer = Placer(start)
        self.end = 0  # samples written (received and filler)
        self.packets = 0  # received packets written
        self.filled = 0  # filler samples written
        self.first_seconds = 0.0
        self._gaps: list[tuple[int, int]] = []  # filled spans, in samples
        self.early = 0  # received, timed before the recording started: not in the file

    def write(self, frame: EncodedFrame, now: float) -> None:
        for placed, seconds in self._placer.place(frame, now):
            self._write(placed, seconds)

    def finish(self, seconds: float) -> None:
        """Place what waits, then fill up to `seconds` (the recording's end), so the audio spans
        the whole recording like the wall clock does. Nothing is filled if nothing arrived."""
        for placed, at in self._placer.flush():
            self._write(placed, at)
        if self.packets:
            self._fill(round(seconds * RATE))

    def gaps_ms(self) -> list[list[int]]:
        return [[start * 1000 // RATE, end * 1000 // RATE] for start, end in self._gaps]

    def _write(self, frame: EncodedFrame, seconds: float) -> None:
        due = round(seconds * RATE)
        if self.packets == 0:
            if due < 0:
                self.early += 1
                return
            self.first_seconds = seconds
        self._fill(due)
        self._files.write_audio(self.end, frame.data)
        self.end += opus_samples(frame.data) or 960
        self.packets += 1


    def _fill(self, until: int) -> None:
        if until - self.end < GAP_TOLERANCE:
            return
        start = self.end
        for length, packet in silence(until - self.end):
            self._files.write_audio(self.end, packet)
            self.end += length
            self.filled += length
        self._gaps.append((start, self.end))


class VideoTrack:
    def __init__(self, files: RecordingFiles, start: float) -> None:
        self._files = files
        self._placer = Placer(start)
        self._last_ms = -1
        self._stream: tuple[int, int] | None = None  # (generation id, epoch) being written
        self._waiting_keyframe = True
        self.packets = 0
        self.dropped = 0  # not written: before the first keyframe or after a loss
        self.first_seconds = 0.0

    def write(self, frame: EncodedFrame, now: float) -> None:
        for placed, seconds in self._placer.place(frame, now):
            self._write(placed, seconds)

    def finish(self) -> None:
        for placed, seconds in self._placer.flush():
            self._write(placed, seconds)

    def _write(self, frame: EncodedFrame, seconds: float) -> None:
        stream = (frame.generation.id, frame.epoch)
        if stream != self._stream:
            self._stream = stream
            self._waiting_keyframe = True
        if self._waiting_keyframe and not frame.keyframe:
            self.dropped += 1
            return
        self._waiting_keyframe = False
        milliseconds = max(round(seconds * 1000), self._last_ms + 1)
        if self.packets == 0:
            if milliseconds < 0:
                self.dropped += 1
                self._waiting_keyframe = True
                return
            self.first_seconds = seconds
        self._files.write_video(milliseconds, frame.data, frame.keyframe)
        self._last_ms = milliseconds
        self.packets += 1
