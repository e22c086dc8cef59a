"""The OpenAPI page, served offline: Swagger UI's files come from the `fastapi-offline` package.

FastAPI's own `/docs` loads Swagger UI from a CDN, which an intranet cannot reach (DESIGN.md
principle 8). Its one inline script is allowed by hash, so the strict CSP otherwise stands.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from compliance.form import ProjectForm

DOCS_URL = "/api/docs"
ASSETS_URL = "/api/docs-assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _csp(html: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")


def install_form_schema(app: FastAPI) -> None:
    """Put the form's JSON Schema (and its sub-models) under `components.schemas`.

    `POST /check` reads its body itself, to answer with the core's Chinese field messages, so
    FastAPI cannot see the model; the schema is added to the generated document instead.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            form = ProjectForm.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(form.pop("$defs", {}))
            components["ProjectForm"] = form
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI) -> None:
    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount(ASSETS_URL, StaticFiles(directory=assets), name="docs-assets")
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "", title="合规审查 API",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg")
    html = page.body.decode()
    csp = _csp(html)

    @app.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(html, headers={"content-security-policy": csp})
