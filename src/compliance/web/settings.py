"""Settings of the web service, from `COMPLIANCE_*` environment variables (or flags).

The CLI turns its flags into the same environment variables, so one `Settings()` call is the
single place where configuration is read, whether uvicorn runs the app directly or reloads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1 << 20


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
    engine: Literal["durable", "python"] = "durable"
    max_form_bytes: int = Field(default=MIB, ge=1024)
    max_upload_bytes: int = Field(default=50 * MIB, ge=1024)
    #: check requests per client and minute; 0 switches rate limiting off (benchmarks)
    rate_limit_per_minute: int = Field(default=120, ge=0)
    rate_limit_burst: int = Field(default=30, ge=1)
    batch_max_rows: int = Field(default=200_000, ge=1)

    def database_url(self) -> str:
        """The configured URL, else `sqlite:///<data_dir>/compliance.sqlite3`."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.data_dir / 'compliance.sqlite3').resolve()}"

    def batch_dir(self) -> Path:
        return self.data_dir / "batch"
