"""`compliance serve`: run the web service under uvicorn.

Flags become `COMPLIANCE_*` environment variables and uvicorn builds the app through the
factory, so `--reload` (which re-imports the app in a child process) sees the same settings.
A flag left out keeps the environment's value, else the default. The database is opened once
before uvicorn starts, so a bad URL or a missing driver is a one-line message, not a traceback.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from compliance.commandline import Engine, fail_usage, say


def serve_command(
    host: Annotated[str | None, typer.Option(help="监听地址（默认 127.0.0.1）")] = None,
    port: Annotated[int | None, typer.Option(help="端口（默认 8000）")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="SQLAlchemy 数据库 URL；默认数据目录中的 SQLite 文件")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="数据目录（默认 ./data）")] = None,
    engine: Annotated[Engine | None, typer.Option(help="规则引擎")] = None,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        help="可信反向代理的地址（逗号分隔）；只采信它们转发的 X-Forwarded-For。默认不采信任何代理")
    ] = None,
    reload: Annotated[bool, typer.Option(help="代码变化时自动重启（开发用）")] = False,
    allow_mutable_audit: Annotated[bool, typer.Option(
        "--allow-mutable-audit", help="允许使用无法禁止改动审查记录的数据库（非 SQLite/PostgreSQL）")
    ] = False,
) -> None:
    """启动网页与 API 服务 / run the web service and the JSON API.

    每个选项也可用环境变量设置：COMPLIANCE_HOST、COMPLIANCE_PORT、COMPLIANCE_DB_URL、
    COMPLIANCE_DATA_DIR、COMPLIANCE_ENGINE、COMPLIANCE_TRUSTED_PROXIES、
    COMPLIANCE_ADMIN_TOKEN（管理员令牌）、COMPLIANCE_SECRET_KEY 等，详见 docs/web.md。
    """
    # imported here, not at module level: the main CLI imports this module for every command
    import uvicorn
    from pydantic import ValidationError

    from compliance.web.datadir import DataDirBusy, DataDirLock
    from compliance.web.db import CheckStore, DatabaseUnavailable, database_url
    from compliance.web.settings import Settings

    flags = {"HOST": host, "PORT": port, "DB_URL": db, "DATA_DIR": data_dir, "ENGINE": engine,
             "TRUSTED_PROXIES": forwarded_allow_ips,
             "ALLOW_MUTABLE_AUDIT": "true" if allow_mutable_audit else None}
    os.environ.update({f"COMPLIANCE_{name}": str(value) for name, value in flags.items()
                       if value is not None})
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(f"COMPLIANCE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                             for e in error.errors())
        raise fail_usage(f"设置有误：{problems}") from None
    try:
        DataDirLock(settings.data_dir).release()  # said here in one line, held by the app
        _refuse_mutable_audit(settings.database_url(), settings.allow_mutable_audit)
        CheckStore(settings.database_url()).close()
    except (DataDirBusy, DatabaseUnavailable) as error:
        raise fail_usage(str(error)) from None
    database = database_url(settings.database_url()).render_as_string(hide_password=True)
    typer.echo(f"合规审查服务：http://{settings.host}:{settings.port}/  数据库：{database}")
    trusted = settings.trusted_proxies.strip()
    # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: any local client
    # could then pick its own address (and so its own rate limit and audit-trail entry)
    uvicorn.run("compliance.web.app:create_app_from_env", factory=True, host=settings.host,
                port=settings.port, reload=reload, log_level="info", log_config=_log_config(),
                proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None)


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, with the service's own messages beside its (admin logins and wrong
    tokens, failed batch jobs, unexpected errors): without a handler they went nowhere."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["compliance"] = {"handlers": ["default"], "level": "INFO",
                                       "propagate": False}
    return config


#: the databases whose migrations install the triggers that refuse changes to stored checks
APPEND_ONLY_DATABASES = ("sqlite", "postgresql")


def _refuse_mutable_audit(url: str, allowed: bool) -> None:
    """Exit 2 on a database where stored checks could be changed, unless the operator said so."""
    from sqlalchemy.exc import NoSuchModuleError

    from compliance.web.db import database_url

    parsed = database_url(url)
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        return  # not a database at all: the store says so
    backend = parsed.get_backend_name()
    if backend not in APPEND_ONLY_DATABASES and not allowed:
        raise fail_usage(
            f"数据库类型「{backend}」上无法安装禁止改动审查记录的触发器（仅支持 SQLite 和 "
            "PostgreSQL）：存档的审查结论可能被改写而不留痕迹（哈希链只能事后发现）。确需使用请加 "
            "--allow-mutable-audit（或设置 COMPLIANCE_ALLOW_MUTABLE_AUDIT=true）")


def audit_verify_command(
    db: Annotated[str | None, typer.Option(
        "--db", help="SQLAlchemy 数据库 URL；默认数据目录中的 SQLite 文件")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="数据目录（默认 ./data）")] = None,
) -> None:
    """核验审查记录的哈希链 / verify the audit trail's hash chain.

    退出码：0 完整；1 断开（指出第一条有问题的记录）；2 无法打开数据库。
    """
    from pydantic import ValidationError

    from compliance.web.db import CheckStore, DatabaseUnavailable, database_url
    from compliance.web.settings import Settings

    overrides = {"DB_URL": db, "DATA_DIR": data_dir}
    os.environ.update({f"COMPLIANCE_{name}": str(value) for name, value in overrides.items()
                       if value is not None})
    try:
        url = Settings().database_url()
        parsed = database_url(url)
        if parsed.get_backend_name() == "sqlite" and not Path(str(parsed.database)).is_file():
            raise fail_usage(f"数据库文件不存在：{parsed.database}（用 --db 或 --data-dir 指定）")
        store = CheckStore(url)
    except (ValidationError, DatabaseUnavailable) as error:
        raise fail_usage(str(error).splitlines()[0]) from None
    try:
        result = store.verify_chain()
    finally:
        store.close()
    if result.broken is None:
        say("[green]审计链完整[/green]：", f"共 {result.records:,} 条记录，末条哈希 {result.last_hash}")
        return
    broken = result.broken
    say("[red]审计链断开[/red]：", f"第 {broken.seq if broken.seq is not None else '?'} 条记录"
        f"（{broken.check_id}）{broken.reason}；其前 {result.records:,} 条记录完好")
    raise typer.Exit(1)
