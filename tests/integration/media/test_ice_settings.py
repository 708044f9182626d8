"""ICE settings: ICE_SERVERS parsing, coturn REST credentials, loopback-only candidates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reception.adapters.media import IceServer, parse_ice_servers, turn_rest_credentials
from reception.adapters.media.forwarding.ice import keep_loopback_candidates


def test_turn_credentials_follow_the_coturn_shared_secret_scheme() -> None:
    # Expected value from: printf '%s' "1700003600:citizen-42" |
    #   openssl dgst -sha1 -hmac "coturn-static-secret" -binary | base64
    username, credential = turn_rest_credentials(
        "coturn-static-secret",
        "citizen-42",
        now=datetime.fromtimestamp(1_700_000_000, UTC),
        valid_for=timedelta(hours=1),
    )
    assert username == "1700003600:citizen-42"
    assert credential == "AD/p7fxuz/ywbwvAb7JhCA7hZlQ="


def test_ice_servers_parse_from_a_json_list_with_single_or_many_urls() -> None:
    servers = parse_ice_servers(
        '[{"urls": "stun:stun.example.vn:3478"},'
        ' {"urls": ["turn:turn.example.vn:3478?transport=udp", "turns:turn.example.vn:5349"],'
        '  "username": "u", "credential": "s3cret-pass"}]'
    )
    assert servers == (
        IceServer(("stun:stun.example.vn:3478",)),
        IceServer(
            ("turn:turn.example.vn:3478?transport=udp", "turns:turn.example.vn:5349"), "u", "s3cret-pass"
        ),
    )
    assert "s3cret-pass" not in repr(servers[1])
    assert servers[1].as_browser_dict()["credential"] == "s3cret-pass"
    assert parse_ice_servers("") == ()


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("{not json", "not JSON"),
        ('{"urls": "stun:x"}', "must be a JSON list"),
        ('[{"url": "stun:x"}]', "has no 'urls'"),
        ('[{"urls": "turn:turn.example.vn"}]', "needs username and credential"),
    ],
)
def test_malformed_ice_servers_are_refused_naming_the_problem(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_ice_servers(text)


def test_loopback_mode_drops_every_candidate_not_on_a_loopback_address() -> None:
    offer = "\r\n".join(
        [
            "v=0",
            "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host",
            "a=candidate:2 1 udp 2130706431 192.168.1.20 50001 typ host",
            "a=candidate:3 1 udp 2130706431 0c5b7a8e-1111.local 50002 typ host",
            "a=candidate:4 1 udp 1694498815 203.0.113.9 50003 typ srflx raddr 0.0.0.0 rport 0",
            "a=end-of-candidates",
        ]
    )
    kept = keep_loopback_candidates(offer).splitlines()
    assert [line for line in kept if line.startswith("a=candidate")] == [
        "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"
    ]
    assert kept[-1] == "a=end-of-candidates"
