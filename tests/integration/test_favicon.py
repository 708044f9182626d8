"""Every page names its icon, and /favicon.ico (which browsers ask for on their own) answers:
no page load logs a 404 any more."""

from __future__ import annotations

from quart import Quart

from reception.app import CSP


async def test_every_page_has_an_icon_and_favicon_ico_answers(app: Quart) -> None:
    client = app.test_client()
    page = await (await client.get("/")).get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    for path in ("/static/favicon.svg", "/favicon.ico"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.content_type.startswith("image/svg+xml")
        assert (await response.get_data()).startswith(b"<svg")
    assert "no-store" not in response.headers.get("Cache-Control", "")  # an icon may be cached
    assert "img-src 'self'" in CSP  # served from this site: the policy lets the page show it
