"""Each stored check sealed in a hash chain (`compliance.web.audit`); REPLACE refused.

The records already stored are sealed in the order they were made (by time, then id): the
append-only triggers are lifted for that one pass and put back. On SQLite a BEFORE INSERT
trigger now refuses an insert over an existing id: `REPLACE INTO` deleted the old row without
firing the DELETE trigger.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import context, op

from compliance.web.audit import GENESIS, SEALED, TEXTS, record_hash

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEVER_MODIFIED = "stored checks are never modified"
COLUMNS = (*SEALED, *TEXTS)


def upgrade() -> None:
    op.add_column("checks", sa.Column("seq", sa.Integer, nullable=True))
    op.add_column("checks", sa.Column("previous_hash", sa.String(64), nullable=True))
    op.add_column("checks", sa.Column("record_hash", sa.String(64), nullable=True))
    op.create_index("ix_checks_seq", "checks", ["seq"], unique=True)
    dialect = op.get_context().dialect.name
    if not context.is_offline_mode():
        _seal_stored(dialect)
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER IF NOT EXISTS checks_no_replace BEFORE INSERT ON checks "
                   "WHEN EXISTS (SELECT 1 FROM checks WHERE id = NEW.id) "
                   f"BEGIN SELECT RAISE(ABORT, '{NEVER_MODIFIED}'); END")


def _seal_stored(dialect: str) -> None:
    types = {"created_at": sa.DateTime(timezone=True), "as_of": sa.Date(), "form": sa.JSON(),
             "seq": sa.Integer(),
             "verdict": sa.JSON()}
    checks = sa.table("checks", *(sa.column(name, types.get(name, sa.String())) for name in (
        *COLUMNS, "seq", "previous_hash", "record_hash")))
    bind = op.get_bind()
    rows = bind.execute(sa.select(
        *(checks.c[name] for name in SEALED),
        *(sa.cast(checks.c[name], sa.Text).label(f"{name}_text") for name in TEXTS),
    ).order_by(checks.c.created_at, checks.c.id)).mappings().all()
    if not rows:
        return
    _lift(dialect)
    previous = GENESIS
    for seq, row in enumerate(rows, start=1):
        sealed = record_hash(row, seq, previous)
        bind.execute(checks.update().where(checks.c.id == row["id"]).values(
            seq=seq, previous_hash=previous, record_hash=sealed))
        previous = sealed
    _restore(dialect)


def _lift(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS checks_no_update")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE checks DISABLE TRIGGER checks_never_modified")


def _restore(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER checks_no_update BEFORE UPDATE ON checks "
                   f"BEGIN SELECT RAISE(ABORT, '{NEVER_MODIFIED}'); END")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE checks ENABLE TRIGGER checks_never_modified")


def downgrade() -> None:
    raise NotImplementedError("the audit trail is never migrated down")
