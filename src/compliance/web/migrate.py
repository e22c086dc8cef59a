"""The audit trail's schema, brought up to date by alembic migrations (`migrations/versions`).

Every schema change is a numbered migration from now on: a database of any age is upgraded
the same way at start-up, and an operator can read the SQL first (`offline_sql`). A database
made before migrations began (by `create_all`, with or without the `lang` column added later)
gets the column it may lack, then the baseline makes only what it does not have yet.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None, url: str = "",
            output: StringIO | None = None) -> Config:
    config = Config(output_buffer=output)
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, in one transaction where the database allows."""
    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if "checks" in tables and "alembic_version" not in tables:
            _complete_legacy(connection)
        command.upgrade(_config(connection), "head")


def _complete_legacy(connection: Connection) -> None:
    """What the baseline has that a database from before migrations may lack. Adding a column
    changes no stored row (older checks were all Chinese: the default)."""
    columns = {column["name"] for column in inspect(connection).get_columns("checks")}
    if "lang" not in columns:
        connection.execute(text(
            "ALTER TABLE checks ADD COLUMN lang VARCHAR(2) DEFAULT 'zh' NOT NULL"))


def head_revision() -> str:
    """The newest migration's revision."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations"
    return head


def offline_sql(url: str) -> str:
    """The SQL the migrations would run on an empty database of this URL's dialect."""
    output = StringIO()
    command.upgrade(_config(url=url, output=output), "head", sql=True)
    return output.getvalue()
