"""The media hub as the hearing service's `MediaRooms` port: hub results become plain
`ClosedFile`s and the hub's refusals become service conflicts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from reception.adapters.media import MediaError, MediaHub, RecordingResult, recover_directory
from reception.adapters.media.recording.chain import read_chain
from reception.adapters.media.recording.manifest import CLOSED, REPAIRED, Manifest, sha256_of
from reception.adapters.media.recording.repair import crashed_copy_of, probe_duration
from reception.i18n_marker import N_
from reception.services.errors import Conflict
from reception.services.hearings.ports import Answer, ClosedFile, MediaFlags, RecorderStatus

T = TypeVar("T")
REFUSED = N_("This hearing has ended or you are no longer in it.")


def _conflict(error: MediaError) -> Conflict:
    return Conflict(REFUSED, reason=type(error).__name__)


class HubRooms:
    def __init__(self, hub: MediaHub, recordings_dir: Path) -> None:
        self.hub = hub
        self._dir = recordings_dir

    async def answer(self, room: str, member: str, sdp: str, flags: MediaFlags) -> Answer:
        try:
            answer = await self.hub.handle_offer(
                room, member, sdp, "offer", admitted=flags.admitted,
                receive_only=flags.receive_only, audio_only=flags.audio_only)
        except MediaError as error:
            raise _conflict(error) from None
        return Answer(answer.sdp, answer.type)

    def admit(self, room: str, member: str) -> None:
        self._call(lambda: self.hub.admit(room, member))

    def set_muted(self, room: str, member: str, muted: bool) -> None:
        self._call(lambda: self.hub.set_muted(room, member, muted))

    async def start_recording(self, room: str, member: str) -> bool:
        return await self._await(lambda: self.hub.start_recording(room, member))

    async def remove(self, room: str, member: str) -> list[ClosedFile]:
        return self._files(room, await self._await(lambda: self.hub.remove(room, member)))

    async def end(self, room: str) -> list[ClosedFile]:
        return self._files(room, await self.hub.end_room(room))

    def rooms(self) -> list[str]:
        return self.hub.rooms()

    def connection_states(self, room: str) -> dict[str, str]:
        try:
            return {v.participant_id: v.connection_state for v in self.hub.participants(room)}
        except MediaError:
            return {}

    def recorders(self, room: str) -> dict[str, RecorderStatus]:
        try:
            views = self.hub.participants(room)
        except MediaError:
            return {}
        return {v.participant_id: RecorderStatus(
            "recording" if v.recording else "failed" if v.recorder_problem else "none",
            v.recording_since if v.recording else None, v.recorder_problem) for v in views}

    def media_flowing(self, room: str) -> bool:
        try:
            return self.hub.media_flowing(room)
        except MediaError:
            return False

    def slots(self, room: str, member: str) -> list[tuple[str, str, str | None]]:
        try:
            return [(s.mid, s.kind, s.source_participant_id) for s in self.hub.slots(room, member)]
        except MediaError:
            return []

    async def close(self) -> None:
        await self.hub.close()

    async def abandon(self, room: str) -> None:
        await self.hub.abandon_room(room)

    async def recover(self, room: str) -> list[ClosedFile]:
        return await asyncio.to_thread(self._recover, room)

    def _recover(self, room: str) -> list[ClosedFile]:
        directory = self._dir / room
        if not directory.is_dir():
            return []
        recover_directory(directory)
        files = []
        for path in sorted(directory.glob("*.manifest.json")):
            manifest = Manifest.read(path)
            if manifest.state not in (CLOSED, REPAIRED):
                continue
            for kind, name in (("audio", manifest.audio_file), ("evidence", manifest.evidence_file)):
                file = directory / name
                if not file.is_file():  # no packet of this kind ever arrived: no file kept
                    continue
                files.append(ClosedFile(
                    manifest.participant_id, kind, file.relative_to(self._dir), sha256_of(file),
                    file.stat().st_size, manifest.state, manifest.started_at, manifest.stopped_at,
                    manifest.first_audio_at, manifest.first_video_at, probe_duration(file), None,
                    *self._chains(file, manifest.state == REPAIRED)))
        return files

    def _chains(self, file: Path, repaired: bool) -> tuple[str | None, Path | None, str | None]:
        """The file's chain, and for a repaired file its as-recorded original and that chain."""
        if not repaired:
            return read_chain(file), None, None
        original = crashed_copy_of(file)
        return read_chain(file), original.relative_to(self._dir), read_chain(original)

    def _files(self, room: str, results: list[RecordingResult]) -> list[ClosedFile]:
        files = []
        for r in results:
            for kind, recorded, packets in (("audio", r.audio, r.audio_packets),
                                            ("evidence", r.evidence, r.audio_packets + r.video_frames)):
                if recorded is None:  # no media of this member arrived: nothing to store
                    continue
                files.append(ClosedFile(
                    r.participant_id, kind, recorded.path.relative_to(self._dir), recorded.sha256,
                    recorded.size_bytes, REPAIRED if r.repaired else CLOSED, r.started_at,
                    r.stopped_at, r.first_audio_at, r.first_video_at, r.audio_seconds,
                    r.video_frames if kind == "evidence" else None,
                    *self._chains(recorded.path, r.repaired), packets=packets))
        return files

    @staticmethod
    def _call(action: Callable[[], None]) -> None:
        try:
            action()
        except MediaError as error:
            raise _conflict(error) from None

    @staticmethod
    async def _await(action: Callable[[], Awaitable[T]]) -> T:
        try:
            return await action()
        except MediaError as error:
            raise _conflict(error) from None
