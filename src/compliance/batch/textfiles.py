"""CSV and JSON Lines, read as a stream in whatever encoding officers' tools wrote.

CSV exports come as UTF-8, UTF-8 with a BOM (Excel), or GBK/GB18030 (Excel and WPS on Chinese
Windows), and a list pasted together from several exports mixes them. The dominant encoding is
detected on a sample; then each line is decoded on its own, so a 1,000,000-row file costs no
more memory than a small one and a few lines in the other encoding cost nothing:

- in a UTF-8 list, a line that is not UTF-8 is read as GB18030 when it decodes cleanly and the
  result is plausible Chinese (nine in ten of its characters among the 6,763 common ones of
  GB 2312: UTF-8 bytes misread as GB18030 give about half); a line that is mostly valid UTF-8
  with a broken sequence (a damaged or truncated line) is not, since reading it as GB18030
  would turn its Chinese into other, wrong Chinese;
- in a GBK list, a line that is valid UTF-8 and not plain ASCII is read as UTF-8: GBK text
  is practically never valid UTF-8 (none of 20,000 generated GBK rows is);
- whatever still does not decode keeps U+FFFD in place of its bytes, which makes that row an
  error naming the column (`rows`), never the whole file refused.

Lines are split at LF, which neither encoding uses inside a character. A file with CR-only line
ends, UTF-16, or another encoding charset-normalizer finds is decoded as one stream instead.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import charset_normalizer

from compliance.batch.source import (
    Counting,
    SourceRow,
    Table,
    UnusableInput,
    inner_blanks,
    table_rows,
    with_header,
)

#: the form fields a JSONL row shows in the spreadsheet outputs, as (path, header)
JSONL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "项目编号"), ("name", "项目名称"), ("applicant", "建设单位"), ("industry", "所属行业"),
    ("location.province", "省份"), ("location.city", "城市"), ("location.county", "区县"),
)
SAMPLE_BYTES = 256 * 1024
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
#: share of a GB18030 line's non-ASCII characters that must be common (GB 2312) ones
_PLAUSIBLE_SHARE = 0.9


def detect_encoding(sample: bytes) -> str:
    """The dominant encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 or
    what charset-normalizer finds in the lines that are not UTF-8.

    Any GB-family answer becomes GB18030, the superset, so a rare character in a GBK export
    still decodes. A sample that is (almost all) valid UTF-8 is UTF-8: GB18030 would decode it
    too, wrongly. Otherwise the lines that are not UTF-8 decide: GB18030 when most of them read
    as plausible GB18030 (see `_gb_text`), else charset-normalizer's guess on them alone (the
    UTF-8 lines of a mixed list would confuse it into finding nothing).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _mostly_utf8(sample):
        return "utf-8"
    foreign = [line for line in sample.split(b"\n") if _utf8(line) is None]
    if 2 * sum(_gb_text(line) is not None for line in foreign) > len(foreign):
        return "gb18030"
    matches = list(charset_normalizer.from_bytes(b"\n".join(foreign)))
    if any(match.encoding in _GB_FAMILY for match in matches):
        return "gb18030"
    if not matches:
        raise UnusableInput("无法识别文件编码（请另存为 UTF-8 或 GBK 编码的 CSV）")
    return matches[0].encoding


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8, or at least ten valid non-ASCII characters per broken sequence.

    Text in another encoding read as UTF-8 breaks at almost every non-ASCII character.
    """
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data, final=False)
    broken = text.count("\ufffd")
    wide = sum(1 for char in text if char > "\x7f") - broken
    return broken == 0 or wide >= 10 * broken


def _utf8(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _gb_line(line: bytes) -> str | None:
    """A line of a UTF-8 list read as GB18030, when it plainly is (see the module's rules)."""
    damaged = line.decode("utf-8", errors="replace")
    broken = damaged.count("\ufffd")
    if sum("\u4e00" <= char <= "\u9fff" for char in damaged) >= broken:
        return None  # mostly UTF-8 Chinese with a broken sequence: damaged, not GBK
    return _gb_text(line)


def _gb_text(line: bytes) -> str | None:
    """The line as GB18030 when it decodes cleanly to plausible Chinese, else None."""
    try:
        text = line.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [char for char in text if char > "\x7f"]
    common = sum(1 for char in wide if _in_gb2312(char))
    return text if common >= _PLAUSIBLE_SHARE * len(wide) else None


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _line_decoder(encoding: str) -> Callable[[bytes], str]:
    """Decodes one line of a list whose dominant encoding is `encoding` (utf-8 or gb18030)."""
    if encoding == "gb18030":
        def decode(line: bytes) -> str:
            if not line.isascii():
                text = _utf8(line)
                if text is not None:
                    return text
            return line.decode("gb18030", errors="replace")
    else:
        def decode(line: bytes) -> str:
            text = _utf8(line)
            if text is None:
                text = _gb_line(line) or line.decode("utf-8", errors="replace")
            return text
    return decode


def _text_lines(raw: io.BufferedReader, encoding: str, sample: bytes) -> Iterable[str]:
    """The file's lines as text: decoded line by line where that is safe, else as a stream."""
    per_line = encoding in ("utf-8", "utf-8-sig", "gb18030") and (
        b"\n" in sample or b"\r" not in sample)
    if not per_line:
        return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    if encoding == "utf-8-sig":
        raw.read(len(codecs.BOM_UTF8))
    decode = _line_decoder("gb18030" if encoding == "gb18030" else "utf-8")
    return (decode(line) for line in raw)


def _delimiter(text: str) -> str:
    """The separator of a CSV: the most frequent of `,` tab `;` `|` in the first lines."""
    head = "\n".join(text.splitlines()[:20])
    counts = {sep: head.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    while True:
        number += 1
        try:
            yield number, next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield number, [_CsvError(str(error))]


class _CsvError(str):
    """A record the csv module refused (e.g. a field over the size limit): that row's error."""


def open_csv(path: Path) -> Table:
    raw = path.open("rb")
    sample = raw.read(SAMPLE_BYTES)
    raw.seek(0)
    try:
        encoding = detect_encoding(sample)
    except UnusableInput:
        raw.close()
        raise
    counting = Counting(raw)
    buffered = io.BufferedReader(counting)
    lines = _text_lines(buffered, encoding, sample)
    csv.field_size_limit(1 << 20)
    delimiter = _delimiter(sample.decode(encoding, errors="replace"))
    header, numbered = with_header(_csv_records(csv.reader(lines, delimiter=delimiter)))
    size = path.stat().st_size
    return Table(header.cells, _csv_rows(numbered), lambda: (counting.count, size or None),
                 buffered.close, header_row=header.number, title_rows=header.above)


def _csv_rows(numbered: Iterator[tuple[int, list[Any]]]) -> Iterator[SourceRow]:
    for row in inner_blanks(table_rows(numbered)):
        if row.cells and isinstance(row.cells[0], _CsvError):
            yield SourceRow(row.number, error=f"第 {row.number} 行：无法读取（{row.cells[0]}）")
        else:
            yield row


def _jsonl_row(number: int, line: bytes) -> SourceRow:
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8").strip()
    except UnicodeDecodeError:
        return SourceRow(number, error=f"第 {number} 行：不是 UTF-8 编码的文本")
    if not text:
        return SourceRow(number, blank=True)
    try:
        form = json.loads(text)
    except json.JSONDecodeError as error:
        return SourceRow(number, error=f"第 {number} 行：不是有效的 JSON（{error.msg}，第 "
                                       f"{error.colno} 个字符）")
    except (ValueError, RecursionError):  # nesting too deep, a number too long
        return SourceRow(number, error=f"第 {number} 行：JSON 嵌套过深或数值过长")
    if not isinstance(form, dict):
        return SourceRow(number, error=f"第 {number} 行：须为一个 JSON 对象（项目表单）")
    if "\\u" in text and _lone_surrogate(form):  # only an escape can write one
        return SourceRow(number, error=f"第 {number} 行：含无效字符（单独的 UTF-16 代理码位，如 "
                                       "\\ud800），请检查文本的编码")
    return SourceRow(number, [_shown(form, path) for path, _ in JSONL_COLUMNS], form=form)


def _lone_surrogate(form: dict[str, Any]) -> bool:
    """Whether the form holds text that is not text (no output could write it out)."""
    try:
        json.dumps(form, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(form: dict[str, Any], path: str) -> Any:
    value: Any = form
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return value if isinstance(value, str | int | float) else None


def open_jsonl(path: Path) -> Table:
    raw = path.open("rb")
    counting = Counting(raw)
    buffered = io.BufferedReader(counting)
    size = path.stat().st_size

    rows = inner_blanks(_jsonl_row(number, line) for number, line in enumerate(buffered, 1))
    header = [name for _, name in JSONL_COLUMNS]
    return Table(header, rows, lambda: (counting.count, size or None), buffered.close,
                 forms=True)
