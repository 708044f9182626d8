"""Configuration: one frozen, typed object built from the environment (or a mapping in tests)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("vi", "en")


class Settings(BaseSettings):
    """Every setting the server reads; names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)

    # Without DATABASE_URL the server starts its own PostgreSQL under data_dir/pgdata.
    database_url: SecretStr | None = None
    data_dir: Path = Path("var")
    secret_key: SecretStr | None = Field(
        default=None, description="Signs cookies and CSRF tokens; generated under data_dir if unset."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool = True
    default_locale: str = "vi"
    # Cookies are Secure by default; browsers treat http://127.0.0.1 as a secure context.
    cookie_secure: bool = True
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {SUPPORTED_LOCALES}, not {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql", "postgres")):
            raise ValueError("DATABASE_URL must be a postgresql:// URL")
        return value

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from an explicit mapping (tests) instead of os.environ."""
        return cls.model_validate({k.lower(): v for k, v in env.items()})

    def signing_key(self) -> str:
        """The configured secret, or one generated once and kept under data_dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
