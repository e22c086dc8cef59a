"""The FastAPI application: `create_app(settings)`; uvicorn runs `create_app_from_env`.

One checker per process, built at start-up and closed at shutdown (the durable engine must not
be shared across processes; within one, its lock serialises checks of a few milliseconds).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from compliance.checker import Checker
from compliance.engine import EngineUnavailable
from compliance.warmup import freeze_heap, warm
from compliance.web import admin_pages, api, batch_pages, conformity, pages
from compliance.web.admin_auth import AdminSessions
from compliance.web.admission import Admission
from compliance.web.batch import BatchJobs, Runner, installed_runner
from compliance.web.datadir import DataDirLock
from compliance.web.db import CheckStore
from compliance.web.docs import install_docs, install_form_schema
from compliance.web.errors import install_error_handlers
from compliance.web.security import BodyLimitMiddleware, RateLimiter, SecurityHeadersMiddleware
from compliance.web.service import CheckService
from compliance.web.settings import Settings

log = logging.getLogger("compliance.web")
STATIC_DIR = Path(__file__).parent / "static"


def _checker(engine: str) -> Checker:
    try:
        return Checker(engine=engine)
    except EngineUnavailable as error:
        raise RuntimeError(f"规则引擎 {engine} 不可用（{error}）。请改用 --engine python "
                           "或设置 COMPLIANCE_ENGINE=python。") from None


def create_app(settings: Settings | None = None, runner: Runner | None = None) -> FastAPI:
    """The app; `runner` replaces the installed batch runner (tests use a small fake)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        lock = DataDirLock(settings.data_dir)  # before anything touches the jobs
        app.state.service = CheckService(_checker(settings.engine),
                                         CheckStore(settings.database_url()))
        app.state.jobs = BatchJobs(settings.batch_dir(), runner or installed_runner(settings.engine),
                                   settings.batch_max_rows,
                                   dt.timedelta(days=settings.batch_retention_days))
        warmed = warm(app.state.service.checker)
        freeze_heap()  # last: what start-up built stays out of every later collection
        log.info("ruleset %s loaded, engine %s, %d rule examples checked to warm it",
                 app.state.service.ruleset_version, settings.engine, warmed)
        try:
            yield
        finally:
            app.state.jobs.close()
            app.state.service.close()
            lock.release()

    app = FastAPI(title="建设项目产业政策合规审查 API", version="1",
                  description="项目表单进、审查结论出：每条结论注明文件、条款与原文。",
                  lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json")
    app.state.settings = settings
    app.state.secret = settings.secret()
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.state.admin_failures = RateLimiter(settings.admin_failures_per_minute,
                                           settings.admin_failures_per_minute)
    app.state.admin_sessions = AdminSessions()
    app.state.admission = Admission(settings.max_pending_checks)
    app.state.render_error = pages.render_error
    app.add_middleware(BodyLimitMiddleware, form_limit=settings.max_form_bytes,
                       upload_limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(conformity.router)
    app.include_router(admin_pages.router)
    app.include_router(pages.router)
    app.include_router(batch_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_docs(app)
    install_form_schema(app)
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn's factory: settings from `COMPLIANCE_*` variables (set by `compliance serve`)."""
    return create_app(Settings())
