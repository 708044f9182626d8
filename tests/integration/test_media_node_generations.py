"""The registry of media nodes fences each registration by its generation (the real
PostgreSQL): adoption moves a hearing to the adopter's generation and ends the old one; the
old registration's heartbeat, and its claim on the hearing, are refused from then on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from reception.bootstrap.container import Container
from reception.services.hearings.ports import NodeRegistration
from tests.integration.conftest import make_settings
from tests.integration.hearings.factory import make_official, seed_booking

DEAD_AFTER = timedelta(seconds=15)


async def test_adoption_ends_the_old_generation_and_moves_the_hearing(
    tmp_path: Path, clean_db: str
) -> None:
    container = Container(make_settings(tmp_path, clean_db), clean_db)
    try:
        official = await make_official(container.staff, "canbo-gen")
        seeded = await seed_booking(container.uow_factory, official)
        async with container.uow_factory() as uow:
            a = await uow.media_nodes.register("a", "http://a", "host", 1)
            b = await uow.media_nodes.register("b", "http://b", "host", 2)
            await uow.commit()
        hearing = await container.hearings.open(official, seeded.booking.id)  # pinned to "a"

        async with container.uow_factory() as uow:
            assert await uow.media_nodes.holds(hearing.id, a)
            assert not await uow.media_nodes.holds(hearing.id, b)
            assert not await uow.media_nodes.claim(b, DEAD_AFTER)  # "a" is alive
            # "a" stalls: its heartbeat grows old.
            await uow.session.execute(text(  # type: ignore[attr-defined]
                "UPDATE media_node SET heartbeat_at = now() - interval '1 minute' "
                "WHERE name = 'a'"))
            assert await uow.media_nodes.claim(b, DEAD_AFTER) == [hearing.id]
            await uow.commit()

        async with container.uow_factory() as uow:
            assert not await uow.media_nodes.beat(a)  # woken: its registration is over
            assert not await uow.media_nodes.holds(hearing.id, a, lock=True)
            assert await uow.media_nodes.holds(hearing.id, b, lock=True)
            again = await uow.media_nodes.register("a", "http://a", "host", 1)
            assert again.generation > b.generation > a.generation
            assert not await uow.media_nodes.claim(again, DEAD_AFTER)  # "b" holds it, alive
            assert not await uow.media_nodes.holds(hearing.id, again)
            node = await uow.media_nodes.of_hearing(hearing.id, DEAD_AFTER)
            assert node is not None and node.name == "b" and node.alive
            # "b" restarts under its name: a new generation, its previous run's hearing adopted.
            restarted = await uow.media_nodes.register("b", "http://b2", "host", 3)
            node = await uow.media_nodes.of_hearing(hearing.id, DEAD_AFTER)
            assert node is not None and not node.alive  # pinned to a registration that ended
            assert await uow.media_nodes.claim(restarted, DEAD_AFTER) == [hearing.id]
            assert await uow.media_nodes.holds(hearing.id, restarted)
            assert not await uow.media_nodes.holds(hearing.id, NodeRegistration("b", b.generation))
            await uow.commit()
    finally:
        await container.close()
