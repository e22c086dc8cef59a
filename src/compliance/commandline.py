"""What every command shares: its options, its messages on stderr, how it fails.

`check`, `batch`, `generate`, `serve`, `extract` and the rules commands used to keep their own
copies of these and the copies drifted. Text from users or files (a city 「[/x]」, a file named
`[b]x.yaml`) is never read as rich markup: a message is our own markup around escaped text
(`say`). An error nobody foresaw ends the command with exit 2 and one Chinese line (`run`),
not a traceback and never exit 1, which means "rejected" (DESIGN.md).
Light to import: every command imports it, and the checker only when it opens one.
"""

from __future__ import annotations

import errno
import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from compliance.checker import Checker
    from compliance.rulebook import Rulebook

EXIT_BAD_INPUT = 2
#: set to see the traceback of an unexpected error instead of its one line
DEBUG_VARIABLE = "COMPLIANCE_DEBUG"
#: an unexpected error's message is cut to this (its text may be a whole file)
MAX_MESSAGE_CHARS = 300


class Engine(StrEnum):
    durable = "durable"
    python = "python"


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(label: str, text: str, console: Console | None = None) -> None:
    """`label` (our markup, e.g. `[red]错误[/red]：`) then `text` as it is, markup or not."""
    (console or stderr()).print(f"{label}{escape(text)}")


def fail_usage(message: str) -> typer.Exit:
    """Say what is wrong; the caller raises the returned exit (2)."""
    say("[red]错误[/red]：", message)
    return typer.Exit(EXIT_BAD_INPUT)


def load_rules() -> Rulebook:
    from compliance.rulebook import RulebookError, load_rulebook

    try:
        return load_rulebook()
    except RulebookError as error:
        raise fail_usage(f"规则文件有误：{error}") from None


def open_checker(engine: str) -> Checker:
    """A checker on the rule files, or exit 2 saying why not (and what to use instead)."""
    from compliance.checker import Checker
    from compliance.engine import EngineUnavailable

    rulebook = load_rules()
    try:
        return Checker(rulebook, engine=engine)
    except EngineUnavailable as error:
        raise fail_usage(f"引擎 durable_rules 在此 Python {sys.version.split()[0]} 上不可用："
                         f"{error}。请使用 --engine python") from None


def written_problem(error: OSError) -> str:
    """Why a file could not be written, in Chinese for the usual reasons."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "磁盘空间不足"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限"
    return error.strerror or str(error)


def run(app: typer.Typer) -> None:
    """Run the command line; an unexpected error is one line on stderr and exit 2."""
    try:
        app()
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        what = " ".join(f"{type(error).__name__}: {error}".split())[:MAX_MESSAGE_CHARS]
        say("[red]内部错误[/red]：", f"{what}（请报告此问题；设置环境变量 {DEBUG_VARIABLE}=1 可显示详情）")
        sys.exit(EXIT_BAD_INPUT)
