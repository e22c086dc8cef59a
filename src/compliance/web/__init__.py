"""The web service: JSON API, Chinese pages and the audit trail of stored checks (issue 5).

A presenter like the CLI: it depends on the core (`compliance.checker`), the core never on it.
`compliance.web.app.create_app(settings)` builds the FastAPI application; `compliance serve`
(`compliance.web.cli.serve_command`) runs it under uvicorn. Nothing is imported here, so the
CLI can register `serve` without loading FastAPI for every other command.
"""
