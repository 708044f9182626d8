"""MediaHub: the server as media hub. Owns rooms, their peer connections and recorders.

This is the port implementation services call; its signatures hold only str, bool and
the dataclasses of `results`, never aiortc types. Every participant's media goes through
the server (parties never learn each other's addresses), forwarded as received: nothing is
decoded or encoded (`aiortc_hooks`, `source`, `forward`). Everyone negotiates VP8 and Opus.
Recording of a participant starts only when the service calls `start_recording` (after
storing that participant's consent). Media is forwarded between parties only while everyone
who sends is recorded (`Room.media_may_flow`); a recorder that cannot start or dies is
reported, once, through `on_recorder_state`, and the next `start_recording` continues in new
files (docs/media.md pitfall 11).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from aiortc import RTCPeerConnection, RTCRtpTransceiver, RTCSessionDescription
from aiortc import sdp as aiortc_sdp

from reception.adapters.media.forwarding.aiortc_hooks import (
    enlarge_receive_buffers,
    hook_sender,
    prefer_codecs,
    tap_receiver,
)
from reception.adapters.media.forwarding.forward import ForwardTrack
from reception.adapters.media.forwarding.frames import SenderSync
from reception.adapters.media.forwarding.ice import (
    IceServer,
    keep_loopback_candidates,
    restrict_to_loopback,
    rtc_configuration,
)
from reception.adapters.media.recording.recorder import ParticipantRecorder
from reception.adapters.media.recording.supervision import problem_of, salvage, stem_for
from reception.adapters.media.results import (
    NotAdmitted,
    ParticipantView,
    RecorderFailed,
    RecordingResult,
    RoomEnded,
    SessionDescription,
    UnknownParticipant,
    UnknownRoom,
)
from reception.adapters.media.room import Participant, Room, Slot

logger = logging.getLogger(__name__)
ConnectionListener = Callable[[str, str, str], None]  # (room_id, participant_id, state)
# (room_id, participant_id, "recording" | "failed" | "close_failed", what failed); "close_failed":
# a recorder being stopped could not close or finish its files (they were salvaged).
RecorderListener = Callable[[str, str, str, str | None], None]
RECEIVE_BUFFER_BYTES = 2 << 20  # ~1 s of a few hearings' packets through an event-loop stall


class MediaHub:
    def __init__(
        self,
        recordings_dir: Path,
        *,
        ice_servers: tuple[IceServer, ...] = (),
        loopback_only: bool = False,
        video_size: tuple[int, int] = (640, 480),
        on_connection_state: ConnectionListener | None = None,
        on_recorder_state: RecorderListener | None = None,
    ) -> None:
        self._recordings_dir = recordings_dir
        self._ice_servers = ice_servers
        self._loopback_only = loopback_only
        self._video_size = video_size
        self._on_connection_state = on_connection_state
        self._on_recorder_state = on_recorder_state
        self._rooms: dict[str, Room] = {}
        self._ended: set[str] = set()
        self._closing: set[asyncio.Task[None]] = set()
        self._closed = False
        if loopback_only:
            restrict_to_loopback(True)

    async def handle_offer(
        self,
        room_id: str,
        participant_id: str,
        sdp: str,
        type: str = "offer",
        *,
        admitted: bool = False,
        receive_only: bool = False,
        audio_only: bool = False,
    ) -> SessionDescription:
        """Answer a participant's offer (all candidates included: docs/media.md pitfall 10);
        a later offer replaces its earlier connection."""
        if room_id in self._ended or self._closed:
            raise RoomEnded(room_id)
        if self._loopback_only:
            sdp = keep_loopback_candidates(sdp)
        room = self._rooms.setdefault(room_id, Room(room_id))
        participant = room.join(participant_id)
        participant.set_state("receive_only", receive_only)
        participant.set_state("audio_only", audio_only)
        if admitted:
            participant.set_state("admitted", True)
        participant.apply_gates()

        pc = RTCPeerConnection(rtc_configuration(self._ice_servers))
        previous, participant.pc = participant.pc, pc
        participant.stop_slots()
        self._watch(pc, participant)
        try:
            transceivers = self._prepare(pc, sdp)
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=type))
            self._wire(participant, transceivers)
            await pc.setLocalDescription(await pc.createAnswer())
            enlarge_receive_buffers(pc, RECEIVE_BUFFER_BYTES)
        except Exception:
            participant.pc = None
            await pc.close()
            raise
        room.rewire()
        if previous is not None:
            logger.info("Participant(%s) connection replaced by a new offer", participant.label)
            await previous.close()
        return SessionDescription(pc.localDescription.sdp, pc.localDescription.type)

    def admit(self, room_id: str, participant_id: str) -> None:
        participant = self._participant(room_id, participant_id)
        participant.set_state("admitted", True)
        participant.apply_gates()
        self._rooms[room_id].rewire()

    def set_muted(self, room_id: str, participant_id: str, muted: bool) -> None:
        """Muted audio reaches nobody, the recorder included (a filled, listed gap in the file)."""
        participant = self._participant(room_id, participant_id)
        participant.set_state("muted", muted)
        participant.apply_gates()

    async def start_recording(self, room_id: str, participant_id: str) -> bool:
        """Start recording one participant; call only once their consent is stored.

        Returns False for a receive-only participant (nothing to record), and when the
        recorder could not start: that is reported as "failed" and the room's media stays
        paused until a later call succeeds. A recorder that died is closed first and a new
        one continues in new files. Idempotent while the recorder runs.
        """
        participant = self._participant(room_id, participant_id)
        if not participant.admitted:
            raise NotAdmitted(room_id, participant_id)
        if participant.receive_only:
            return False
        async with participant.recording_lock:  # two starts never race for the same files
            if participant.recording:
                return True
            if participant.recorder is not None:  # died: keep what it recorded
                participant.finished += await self._stop_recording(participant, finished=False)
            recorder = ParticipantRecorder(
                self._recordings_dir / room_id, participant_id, participant.sources,
                video_size=self._video_size,
                stem=stem_for(participant_id, participant.recorders_started),
                on_failure=lambda problem: self._recorder_died(participant, problem))
            try:
                await recorder.start()  # a failed start leaves no file and no recorder
            except Exception as error:
                logger.error("Participant(%s) recorder could not start: %r", participant.label, error)
                self._recorder_changed(participant, "failed", problem_of(error))
                return False
            participant.recorder = recorder
            participant.recorders_started += 1
        logger.info("Participant(%s) recording False -> True", participant.label)
        self._recorder_changed(participant, "recording", None)
        return True

    async def stop_recording(self, room_id: str, participant_id: str) -> list[RecordingResult]:
        return await self._stop_recording(self._participant(room_id, participant_id))

    async def remove(self, room_id: str, participant_id: str) -> list[RecordingResult]:
        """Disconnect a participant for good; returns their closed recordings. Nothing of
        theirs is forwarded once this starts (they leave the room before their recorder
        stops), and they are disconnected whatever their recorder does."""
        participant = self._participant(room_id, participant_id)
        self._rooms[room_id].leave(participant_id)  # nobody sees or hears them any more
        participant.stop_slots()  # and they nobody
        try:
            return await self._stop_recording(participant)
        finally:
            await self._disconnect(participant)

    async def end_room(self, room_id: str) -> list[RecordingResult]:
        """End the hearing: close every recording and connection. Idempotent. Forwarding
        stops first, and every connection closes whatever the recorders do: a recorder that
        cannot close is salvaged and reported, never raised (docs/media.md pitfall 11)."""
        room = self._rooms.pop(room_id, None)
        self._ended.add(room_id)
        if room is None:
            return []
        participants = list(room.participants.values())
        for participant in participants:
            participant.stop_slots()  # the room is gone: nothing re-points these
        try:
            results = await asyncio.gather(*(self._stop_recording(p) for p in participants),
                                           return_exceptions=True)
        finally:
            closed = await asyncio.gather(*(self._disconnect(p) for p in participants),
                                          return_exceptions=True)
        for participant, stopped, disconnected in zip(participants, results, closed, strict=True):
            for outcome in (stopped, disconnected):
                if isinstance(outcome, BaseException):  # not expected: _stop_recording salvages
                    logger.error("Participant(%s) not closed cleanly: %r", participant.label,
                                 outcome)
        logger.info("Room(%s) state open -> ended", room_id)
        return [result for each in results if isinstance(each, list) for result in each]

    async def abandon_room(self, room_id: str) -> None:
        """Drop a room whose hearing another node has adopted: its recorders stop without
        writing to their files or manifests again, its connections close. Idempotent."""
        room = self._rooms.pop(room_id, None)
        self._ended.add(room_id)
        if room is None:
            return
        participants = list(room.participants.values())
        for participant in participants:
            recorder, participant.recorder = participant.recorder, None
            participant.finished = []
            if recorder is not None:
                await recorder.abandon()
        await asyncio.gather(*(self._disconnect(p) for p in participants))
        logger.warning("Room(%s) state open -> abandoned", room_id)

    async def close(self) -> None:
        """Stop serving: end all rooms (closing recordings). Idempotent."""
        if self._closed:
            return
        self._closed = True
        for room_id in list(self._rooms):
            await self.end_room(room_id)
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
        if self._loopback_only:
            restrict_to_loopback(False)

    def rooms(self) -> list[str]:
        """Rooms open now."""
        return list(self._rooms)

    def participants(self, room_id: str) -> list[ParticipantView]:
        room = self._room(room_id)
        return [
            ParticipantView(
                p.participant_id,
                p.connection_state,
                p.admitted,
                p.recording,
                p.muted,
                p.receive_only,
                p.audio_only,
                p.recorder_state,
                p.recorder_problem,
                p.recorder.started_at if p.recorder is not None else None,
            )
            for p in room.participants.values()
        ]

    def media_flowing(self, room_id: str) -> bool:
        """Does media flow between the room's parties now (everyone who sends is recorded)?"""
        return self._room(room_id).media_may_flow()

    def slots(self, room_id: str, participant_id: str) -> list[Slot]:
        self._participant(room_id, participant_id)
        return self._rooms[room_id].slots_of(participant_id)

    @staticmethod
    def _prepare(pc: RTCPeerConnection, offer: str) -> list[tuple[RTCRtpTransceiver, str | None, int | None]]:
        """One transceiver per offered audio/video m-line, made before the offer is applied:
        aiortc negotiates codecs while applying it, so VP8/Opus preferences must be set first,
        and the receivers are tapped before they could start decoding."""
        prepared = []
        for media in aiortc_sdp.SessionDescription.parse(offer).media:
            if media.kind not in ("audio", "video"):
                continue
            transceiver = pc.addTransceiver(media.kind, direction="sendrecv")
            prefer_codecs(transceiver)
            ssrc = media.ssrc[0].ssrc if media.ssrc else None
            prepared.append((transceiver, media.direction, ssrc))
        return prepared

    def _wire(self, participant: Participant,
              prepared: list[tuple[RTCRtpTransceiver, str | None, int | None]]) -> None:
        """Decide each m-line's direction, tap what we receive, attach what we may send: every
        m-line we may send on gets its track now, shown or not (docs/media.md pitfall 9)."""
        sync = SenderSync()  # sender reports of this connection: audio/video sync of recordings
        attached: set[str] = set()
        for transceiver, offered, ssrc in prepared:
            kind = transceiver.kind
            tap = tap_receiver(transceiver.receiver, kind)  # every receiver: none ever decodes
            skip_video = kind == "video" and participant.audio_only
            receive = not participant.receive_only and not skip_video
            send = not skip_video and offered in ("sendrecv", "recvonly")
            # Only the first m-line of each kind carries the participant's own media.
            if receive and offered in ("sendrecv", "sendonly") and kind not in attached:
                attached.add(kind)
                tap.media_ssrc = ssrc
                participant.sources[kind].attach(tap, sync)
            if send:
                track = ForwardTrack(kind)
                hook_sender(transceiver.sender, track.keyframe_requested, track.remote_bitrate)
                transceiver.sender.replaceTrack(track)
                participant.slots.append((str(transceiver.mid), track))
            transceiver.direction = (
                ("sendrecv" if receive else "sendonly") if send else ("recvonly" if receive else "inactive")
            )

    def _watch(self, pc: RTCPeerConnection, participant: Participant) -> None:
        @pc.on("connectionstatechange")
        def on_state() -> None:
            state = pc.connectionState
            if state == "failed":
                transports = {t.sender.transport for t in pc.getTransceivers()}
                logger.warning("Participant(%s) connection failed: ice %s, dtls %s", participant.label,
                               pc.iceConnectionState, sorted(t.state for t in transports))
            if participant.pc is pc:
                participant.set_state("connection_state", state)
                room = self._rooms.get(participant.room_id)
                if room is not None:
                    room.rewire()  # someone connected unrecorded pauses everyone's media
                if self._on_connection_state is not None:
                    self._on_connection_state(participant.room_id, participant.participant_id, state)
            if state in ("failed", "closed"):
                task = asyncio.ensure_future(pc.close())
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)

    async def _stop_recording(self, participant: Participant, *,
                              finished: bool = True) -> list[RecordingResult]:
        """Close the participant's recorder (and, with `finished`, hand over the recordings of
        earlier recorders that died). A recorder that cannot close is repaired like a crash."""
        recorder, participant.recorder = participant.recorder, None
        results = participant.finished if finished else []
        if finished:
            participant.finished = []
        if recorder is None:
            return results
        try:
            results = [*results, await recorder.stop()]
        except Exception as error:  # RecorderFailed, or anything else: never raised from here
            logger.warning("Participant(%s) recorder could not close (%r); repairing its files",
                           participant.label, error)
            results = [*results, *await asyncio.to_thread(salvage, recorder)]
            cause = error.__cause__ if isinstance(error, RecorderFailed) else None
            self._recorder_changed(participant, "close_failed",
                                   problem_of(cause if isinstance(cause, Exception) else error))
        finally:
            logger.info("Participant(%s) recording True -> False", participant.label)
        return results

    def _recorder_died(self, participant: Participant, problem: str) -> None:
        if participant.recorder is not None and not participant.recorder.running:
            self._recorder_changed(participant, "failed", problem)

    def _recorder_changed(self, participant: Participant, state: str, problem: str | None) -> None:
        participant.recorder_problem = problem
        room = self._rooms.get(participant.room_id)
        if room is not None:
            room.rewire()
        if self._on_recorder_state is not None:
            self._on_recorder_state(participant.room_id, participant.participant_id, state, problem)

    async def _disconnect(self, participant: Participant) -> None:
        participant.stop_slots()
        for source in participant.sources.values():
            source.close()
        pc, participant.pc = participant.pc, None
        if pc is not None:
            await pc.close()
        participant.set_state("connection_state", "closed")

    def _room(self, room_id: str) -> Room:
        room = self._rooms.get(room_id)
        if room is None:
            raise RoomEnded(room_id) if room_id in self._ended else UnknownRoom(room_id)
        return room

    def _participant(self, room_id: str, participant_id: str) -> Participant:
        participant = self._room(room_id).participant(participant_id)
        if participant is None:
            raise UnknownParticipant(room_id, participant_id)
        return participant
