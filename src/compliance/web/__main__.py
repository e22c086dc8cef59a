"""`python -m compliance.web`: the serve command on its own (what `compliance serve` runs)."""

import typer

from compliance.web.cli import serve_command

typer.run(serve_command)
