"""Settings come from one mapping, fail fast naming the bad key, and never print secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from reception.settings import Settings


def test_defaults_need_no_configuration() -> None:
    settings = Settings.from_mapping({})
    assert settings.database_url is None  # the embedded PostgreSQL is used
    assert (settings.host, settings.port, settings.default_locale) == ("127.0.0.1", 8000, "vi")


def test_database_url_is_read_and_masked() -> None:
    settings = Settings.from_mapping({"DATABASE_URL": "postgresql://u:s3cret@db/x"})
    assert settings.database_url is not None
    assert settings.database_url.get_secret_value() == "postgresql://u:s3cret@db/x"
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(("key", "value", "named"), [
    ("PORT", "eighty", "port"),
    ("PORT", "70000", "port"),
    ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE"),
    ("DATABASE_URL", "sqlite:///x.db", "DATABASE_URL"),
])
def test_a_bad_value_is_refused_naming_the_setting(key: str, value: str, named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings.from_mapping({key: value})


def test_settings_are_frozen() -> None:
    settings = Settings.from_mapping({})
    with pytest.raises(ValidationError):
        settings.port = 1  # type: ignore[misc]


def test_a_signing_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = Settings.from_mapping({"DATA_DIR": str(tmp_path)})
    first = settings.signing_key()
    assert len(first) > 40
    assert Settings.from_mapping({"DATA_DIR": str(tmp_path)}).signing_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings.from_mapping({"SECRET_KEY": "given"}).signing_key() == "given"


def test_links_default_to_the_address_actually_served() -> None:
    assert Settings.from_mapping({"PORT": "8123"}).base_url() == "http://127.0.0.1:8123"
    assert Settings.from_mapping({"HOST": "0.0.0.0", "PORT": "9000"}).base_url() == "http://127.0.0.1:9000"
    given = Settings.from_mapping({"PORT": "8123", "PUBLIC_URL": "https://tiepdan.gov.vn/"})
    assert given.base_url() == "https://tiepdan.gov.vn"


def test_the_movable_test_clock_is_refused_outside_test_mode(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from reception.adapters.clock import OffsetClock, SystemClock
    from reception.bootstrap.clock import clock_for

    offset = tmp_path / "offset"
    assert isinstance(clock_for(Settings.from_mapping({})), SystemClock)
    with pytest.raises(ValueError, match="ICE_LOOPBACK_ONLY"):
        clock_for(Settings.from_mapping({"TEST_CLOCK_FILE": str(offset)}))
    clock = clock_for(Settings.from_mapping({"TEST_CLOCK_FILE": str(offset),
                                             "ICE_LOOPBACK_ONLY": "true"}))
    assert isinstance(clock, OffsetClock)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)  # no file: no offset
    offset.write_text(str(7 * 86400))
    assert clock.now() - datetime.now(UTC) > timedelta(days=6, hours=23)
