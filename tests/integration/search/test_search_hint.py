"""The search page's hint explains the OR keyword in Vietnamese: the keyword stands as code, the
way it is typed, and no English "or" is left in the sentence."""

from __future__ import annotations

from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import client_for, staff
from tests.integration.labels.checker import foreign_words, visible_text


async def test_the_search_hint_explains_the_or_keyword_in_vietnamese(app: Quart) -> None:
    await staff(app, "canbo", StaffRole.RECEPTIONIST)
    client = await client_for(app, "canbo")
    page = await (await client.get("/search")).get_data(as_text=True)
    hint = page.split('id="q-hint"', 1)[1].split("</p>", 1)[0]
    assert "<code>OR</code> giữa hai từ" in hint
    assert foreign_words(visible_text(hint.split(">", 1)[1])) == []
