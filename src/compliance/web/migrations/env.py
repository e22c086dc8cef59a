"""Alembic's entry: the audit trail's schema migrations, run by `compliance.web.migrate`.

Online, on the connection the store hands over (`config.attributes["connection"]`); offline
(`sql=True`), as SQL text for a dialect, which is how the PostgreSQL DDL is tested without a
server and how an operator can review a migration before it runs.
"""

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      dialect_opts={"paramstyle": "named"})
else:
    context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
