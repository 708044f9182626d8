"""Wiring of video hearings (called from bootstrap and app): the hearing service on the booking
scheduling services, ICE configuration for browsers, and the media hub opened at serving start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from reception.adapters.media import IceServer, MediaHub, parse_ice_servers, turn_rest_credentials
from reception.adapters.media.rooms import HubRooms
from reception.domain.booking import Booking, Participant
from reception.domain.organisation import StaffMember
from reception.services.booking.agenda import AgendaService
from reception.services.booking.waiting_room import WaitingRoomService
from reception.services.hearings.events import RoomEvents
from reception.services.hearings.hearings import HearingService
from reception.services.hearings.node import MediaNodeService
from reception.services.hearings.ports import MediaNodes
from reception.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from reception.settings import Settings


@dataclass(frozen=True)
class BookingStepsAdapter:
    agenda: AgendaService
    waiting_room: WaitingRoomService

    async def open_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                      now: datetime) -> Booking:
        return await self.agenda.open_in(uow, actor, booking, now)

    async def admit_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking,
                       participant: Participant, now: datetime) -> Participant:
        return await self.waiting_room.admit_in(uow, actor, booking, participant, now)

    async def complete_in(self, uow: UnitOfWork, actor: StaffMember, booking: Booking) -> Booking:
        return await self.agenda.complete_in(uow, actor, booking)


def recordings_dir(settings: Settings) -> Path:
    return settings.recordings_dir or settings.data_dir / "recordings"


def dead_after(settings: Settings) -> timedelta:
    """How long a silent media node is taken for alive (the same in every process)."""
    return timedelta(seconds=settings.media_dead_after_seconds)


def video_size(settings: Settings) -> tuple[int, int]:
    width, height = settings.hearing_video_size.split("x")
    return int(width), int(height)


def ice_servers(settings: Settings) -> tuple[IceServer, ...]:
    return () if settings.ice_loopback_only else parse_ice_servers(settings.ice_servers)


def browser_ice(settings: Settings, clock: Clock) -> Any:
    servers = ice_servers(settings)  # parsed now: a bad ICE_SERVERS stops the server at start
    turn_urls = tuple(u.strip() for u in settings.turn_urls.split(",") if u.strip())

    def ice_for(user: str) -> list[dict[str, Any]]:
        entries = [s.as_browser_dict() for s in servers]
        if turn_urls and settings.turn_secret and not settings.ice_loopback_only:
            name, credential = turn_rest_credentials(
                settings.turn_secret.get_secret_value(), user, now=clock.now(),
                valid_for=timedelta(seconds=settings.turn_credential_seconds))
            entries.append({"urls": list(turn_urls), "username": name, "credential": credential})
        return entries

    return ice_for


def build_hearing_service(settings: Settings, uow: UnitOfWorkFactory, clock: Clock,
                          agenda: AgendaService, waiting_room: WaitingRoomService,
                          events: RoomEvents, nodes: MediaNodes) -> HearingService:
    return HearingService(uow, clock, BookingStepsAdapter(agenda, waiting_room), events,
                          browser_ice(settings, clock), nodes, dead_after(settings))


def open_media_rooms(settings: Settings, node: MediaNodeService) -> HubRooms:
    """The media hub of this node; created when serving starts (it needs the event loop)."""
    directory = recordings_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    hub = MediaHub(directory, ice_servers=ice_servers(settings),
                   loopback_only=settings.ice_loopback_only, video_size=video_size(settings),
                   on_connection_state=node.connection_changed,
                   on_recorder_state=node.recorder_changed)
    return HubRooms(hub, directory)

