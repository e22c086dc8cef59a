"""Settings of the web service, from `COMPLIANCE_*` environment variables (or flags).

The CLI turns its flags into the same environment variables, so one `Settings()` call is the
single place where configuration is read, whether uvicorn runs the app directly or reloads it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1 << 20
#: where the generated secret is kept when `COMPLIANCE_SECRET_KEY` is not set
SECRET_FILE = "secret_key"
#: shorter secrets are refused: the CSRF and admin-session signatures are only as strong as it
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Everything an operator may set; defaults suit one officer's machine on loopback."""

    model_config = SettingsConfigDict(env_prefix="COMPLIANCE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path("data")
    #: any SQLAlchemy URL; empty means an SQLite file in `data_dir`
    db_url: str = ""
    #: listing stored checks needs this token; empty disables the listing altogether
    admin_token: str = ""
    #: signs CSRF tokens and admin sessions; empty: generated once and kept in `data_dir`
    secret_key: str = Field(default="", repr=False)
    #: proxies whose X-Forwarded-For is believed (uvicorn's `forwarded_allow_ips`, comma
    #: separated); empty: none, the client address is the connection's own
    trusted_proxies: str = ""
    engine: Literal["durable", "python"] = "durable"
    #: the issuing body printed at the top of downloaded reports (e.g. 安阳市发展和改革委员会)
    report_issuer: str = Field(default="", max_length=100)
    max_form_bytes: int = Field(default=MIB, ge=1024)
    max_upload_bytes: int = Field(default=50 * MIB, ge=1024)
    #: check requests per client and minute; 0 switches rate limiting off (benchmarks)
    rate_limit_per_minute: int = Field(default=120, ge=0)
    rate_limit_burst: int = Field(default=30, ge=1)
    #: wrong admin tokens (header or login form) a client may send a minute, and at once
    admin_failures_per_minute: int = Field(default=10, ge=1)
    batch_max_rows: int = Field(default=200_000, ge=1)
    #: days a finished batch job (its upload and results) is kept before it is removed
    batch_retention_days: float = Field(default=7, gt=0)
    #: checks in the service at once before it answers 503 + Retry-After; 0: no limit
    max_pending_checks: int = Field(default=32, ge=0)
    #: serve on a database whose stored checks cannot be made unchangeable (not SQLite or
    #: PostgreSQL): the hash chain still shows a change, nothing prevents it
    allow_mutable_audit: bool = False

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < MIN_SECRET_LENGTH:
            raise ValueError(f"过短，至少 {MIN_SECRET_LENGTH} 个字符")
        return value

    def database_url(self) -> str:
        """The configured URL, else `sqlite:///<data_dir>/compliance.sqlite3`."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.data_dir / 'compliance.sqlite3').resolve()}"

    def batch_dir(self) -> Path:
        return self.data_dir / "batch"

    def secret(self) -> bytes:
        """The configured secret, else the one generated on first start and kept (mode 0600)
        in the data directory, so tokens handed out survive a restart."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / SECRET_FILE
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f"{SECRET_FILE}.{secrets.token_hex(4)}")
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(48))
            try:  # a link never replaces: two servers starting at once keep the first secret
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return path.read_text().strip().encode()
