"""Configuration: one frozen, typed object built from the environment (or a mapping in tests)."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from reception.i18n import SUPPORTED_LOCALES


class Settings(BaseSettings):
    """Every setting the server reads; names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)

    # Without DATABASE_URL the server starts its own PostgreSQL under data_dir/pgdata.
    database_url: SecretStr | None = None
    data_dir: Path = Path("var")
    secret_key: SecretStr | None = Field(
        default=None, description="Signs cookies and CSRF tokens; generated under data_dir if unset."
    )
    # Pooled connections per web process, and the age after which a connection is replaced
    # (no pre-ping; see docs/deployment.md "Database connections" for sizing).
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_pool_recycle_seconds: int = Field(default=1800, ge=30)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool = True
    default_locale: str = "vi"
    # Cookies are Secure by default; browsers treat http://127.0.0.1 as a secure context.
    cookie_secure: bool = True
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    # Staff sessions (server-side): signed out after this many idle minutes, and at the latest
    # this many hours after login whatever they do.
    session_idle_minutes: int = Field(default=15, ge=1, le=15)
    session_max_hours: int = Field(default=12, ge=1, le=24)
    # Proxies whose X-Forwarded-For is believed (comma-separated CIDRs, e.g. "10.0.0.5/32").
    # Empty: no proxy is trusted and the client address is the direct peer's.
    trusted_proxies: str = ""
    # Strict-Transport-Security max-age, when the app itself should send it (normally the
    # TLS proxy does; see README "Behind a proxy"). 0: not sent.
    hsts_seconds: int = Field(default=0, ge=0)
    # Reception scheduling. Links in e-mails, the .ics and pages point at PUBLIC_URL; unset,
    # the address actually served (http://HOST:PORT).
    public_url: str | None = None
    # Without SMTP_HOST, e-mails are written to the log instead of sent (the outbox keeps them).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "tiepdan@localhost"
    smtp_tls: bool = True  # STARTTLS; set false only for a local relay
    outbox_poll_seconds: float = Field(default=5.0, gt=0)
    upload_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    uploads_per_booking: int = Field(default=5, ge=1)
    # The join link works until this many days after the slot (then the citizen calls the office).
    join_link_days_after_slot: int = Field(default=30, ge=1)
    # Video hearings. ICE_SERVERS: JSON list of {"urls", "username"?, "credential"?}
    # for browsers and the server (STUN, or TURN with fixed credentials).
    ice_servers: str = ""
    # TURN with coturn's shared secret (use-auth-secret): browsers get credentials that expire.
    turn_urls: str = ""  # comma-separated turn:/turns: URLs
    turn_secret: SecretStr | None = None
    turn_credential_seconds: int = Field(default=3600, ge=60)
    # Test-only: ICE on 127.0.0.1 only (browsers and server on one machine). Never in production.
    ice_loopback_only: bool = False
    # Test-only: a file holding seconds added to the server's clock (browser tests move a
    # running server days ahead). Honoured only with ICE_LOOPBACK_ONLY (bootstrap/clock.py).
    test_clock_file: Path | None = None
    recordings_dir: Path | None = None  # default: data_dir/recordings
    # Media nodes (docs/deployment.md "Media nodes"). MEDIA_EMBEDDED: this web process is also
    # a media node (development and tests); `reception serve --media N` and production turn it
    # off and run `reception media` processes. A node's internal API listens on
    # MEDIA_NODE_HOST (web processes must reach it; never a public address) and is named
    # MEDIA_NODE_NAME (default: host name and process id).
    media_embedded: bool = True
    media_node_host: str = "127.0.0.1"
    media_node_port: int = Field(default=0, ge=0, le=65535)  # 0: any free port
    media_node_name: str | None = Field(default=None, max_length=200)
    # A node whose heartbeat (every 2 s) is older than this is taken for dead and its hearings
    # are adopted. Every process of a deployment must use the same value; shorter only in tests.
    media_dead_after_seconds: float = Field(default=15.0, ge=4.0, le=300.0)
    # Camera size asked of browsers and size of recorded video; 320x240 halves the server's cost.
    hearing_video_size: str = Field(default="640x480", pattern=r"^[0-9]{3,4}x[0-9]{3,4}$")
    # Case files. VAULT_KEY seals denouncer identities (LTC Art. 47); it never enters
    # the database. Unset: generated once under data_dir like the secret key.
    vault_key: SecretStr | None = None
    # The audit log's HMAC key (docs/evidence.md): outside the database, like VAULT_KEY.
    # Unset: generated once under data_dir. AUDIT_ANCHOR_FILE: where the chain's head is
    # anchored (default data_dir/audit_anchor); keep a copy off this machine.
    audit_key: SecretStr | None = None
    audit_anchor_file: Path | None = None
    # When workers check every recording, document and the audit log (procrastinate cron;
    # a sixth field counts seconds). Default: every day at 02:15.
    integrity_check_cron: str = "15 2 * * *"
    case_document_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    # Transcription. `reception serve` runs one worker in-process unless
    # WORKER_IN_PROCESS=false (then run `reception worker` processes, on any machine).
    worker_in_process: bool = True
    whisper_model: str | None = None  # override: a built-in name or a CTranslate2 directory
    whisper_cpu_threads: int = Field(default=2, ge=1, le=64)
    worker_heartbeat_seconds: float = Field(default=10.0, gt=0)
    worker_stalled_seconds: float = Field(default=60.0, gt=0)  # then a dead worker's job reruns
    worker_poll_seconds: float = Field(default=5.0, gt=0)
    # Digital signatures (PAdES) on the official documents. SIGNING_P12: the agency's
    # certificate as PKCS#12 — one file for every agency, or a directory of <agency-code>.p12.
    # Unset: a demo CA under data_dir/pki issues per-agency DEMO certificates (no legal value).
    signing_p12: Path | None = None
    signing_p12_password: SecretStr | None = None
    # PEM files (comma-separated) of the roots signatures are validated against (e.g. the
    # national root CA); with SIGNING_P12 the chain in the PKCS#12 file is added to them.
    signing_trust_roots: str = ""
    # RFC 3161 timestamp authority: the signing time comes from it when set.
    tsa_url: str | None = None
    tsa_timeout_seconds: float = Field(default=10.0, gt=0)
    # Embed validation data (PAdES B-LT; B-LTA when a TSA is available).
    signing_ltv: bool = True

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {SUPPORTED_LOCALES}, not {value!r}")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        import ipaddress

        for item in filter(None, (v.strip() for v in value.split(","))):
            ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    def proxy_networks(self) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.trusted_proxies.split(",") if v.strip())

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql", "postgres")):
            raise ValueError("DATABASE_URL must be a postgresql:// URL")
        return value

    def base_url(self) -> str:
        """Where citizens reach the server: PUBLIC_URL, or the address it serves on."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from an explicit mapping (tests) instead of os.environ."""
        # Any: the values are strings that pydantic parses into each field's type.
        values: dict[str, Any] = {k.lower(): v for k, v in env.items()}
        return _MappingOnly(**values)

    def signing_key(self) -> str:
        """The configured secret, or one generated once and kept under data_dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return generated_once(self.data_dir / "secret_key", lambda: secrets.token_urlsafe(48))

    def media_node_key(self) -> str:
        """The key of media nodes' internal API, derived from the secret every process shares."""
        return hmac.new(self.signing_key().encode(), b"media-node-api", hashlib.sha256).hexdigest()

    def denouncer_vault_key(self) -> bytes:
        """32 bytes for AES-256-GCM: VAULT_KEY (base64url) or a key kept under data_dir."""
        import base64

        if self.vault_key is not None:
            encoded = self.vault_key.get_secret_value()
        else:
            encoded = generated_once(self.data_dir / "vault_key", lambda: base64.urlsafe_b64encode(
                secrets.token_bytes(32)).decode())
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(key) != 32:
            raise ValueError("VAULT_KEY must be 32 bytes, base64url-encoded")
        return key

    def audit_chain_key(self) -> bytes:
        """32 bytes for the audit log's HMAC: AUDIT_KEY (base64url) or a key under data_dir."""
        import base64

        if self.audit_key is not None:
            encoded = self.audit_key.get_secret_value()
        else:
            encoded = generated_once(self.data_dir / "audit_key", lambda: base64.urlsafe_b64encode(
                secrets.token_bytes(32)).decode())
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(key) != 32:
            raise ValueError("AUDIT_KEY must be 32 bytes, base64url-encoded")
        return key

    def audit_anchor_path(self) -> Path:
        return self.audit_anchor_file or self.data_dir / "audit_anchor"


def generated_once(path: Path, make: Callable[[], str]) -> str:
    """The secret in `path`, made (0600) if missing. Several processes starting at once on a
    fresh data_dir agree on one value: the first creates it under an exclusive lock, the
    others wait and read it; a reader never sees a half-written file."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f".{path.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                temporary = path.with_name(f".{path.name}.{os.getpid()}")
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as out:
                    out.write(make())
                os.replace(temporary, path)
    return path.read_text().strip()


class _MappingOnly(Settings):
    """Settings that read only the mapping given, never the process environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)
