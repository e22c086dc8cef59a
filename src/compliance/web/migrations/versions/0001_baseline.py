"""The audit trail as it stood when migrations began: checks, rulesets, no changes allowed.

A database made before migrations (by `create_all`) already has some of it: what exists is
kept, what is missing is made.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NEVER_MODIFIED = "stored checks are never modified"


def upgrade() -> None:
    existing = set() if context.is_offline_mode() else set(
        sa.inspect(op.get_bind()).get_table_names())
    if "checks" not in existing:
        _checks()
    if "rulesets" not in existing:
        op.create_table(
            "rulesets",
            sa.Column("version", sa.String(64), primary_key=True),
            sa.Column("first_used", sa.DateTime(timezone=True), nullable=False),
            sa.Column("digest", sa.JSON, nullable=False),
        )
    if op.get_context().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER IF NOT EXISTS checks_no_{action.lower()} BEFORE {action} "
                       f"ON checks BEGIN SELECT RAISE(ABORT, '{NEVER_MODIFIED}'); END")
    elif op.get_context().dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION checks_never_modified() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{NEVER_MODIFIED}'; END $$")
        op.execute("DROP TRIGGER IF EXISTS checks_never_modified ON checks")
        op.execute("CREATE TRIGGER checks_never_modified BEFORE UPDATE OR DELETE OR TRUNCATE "
                   "ON checks FOR EACH STATEMENT EXECUTE FUNCTION checks_never_modified()")


def _checks() -> None:
    op.create_table(
        "checks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("project", sa.String(500), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("ruleset_version", sa.String(64), nullable=False),
        sa.Column("recheck_of", sa.String(36), nullable=True),
        sa.Column("form", sa.JSON, nullable=False),
        sa.Column("verdict", sa.JSON, nullable=False),
        sa.Column("lang", sa.String(2), nullable=False, server_default="zh"),
    )
    op.create_index("ix_checks_created_at", "checks", ["created_at"])
    op.create_index("ix_checks_recheck_of", "checks", ["recheck_of"])


def downgrade() -> None:
    raise NotImplementedError("the audit trail is never migrated down")
