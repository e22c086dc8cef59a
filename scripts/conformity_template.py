"""Build reports/templates/conformity.docx, the Word template of the 符合性分析 tables.

The template is what a consultancy restyles in Word (fonts, widths, a letterhead): the tags in
it (`{{ … }}`, `{%p … %}`, `{%tr … %}`, docxtpl's Jinja) stay, the rest is theirs. This script
is how the shipped template was made; run it again only to start over:

    .venv/bin/python scripts/conformity_template.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TARGET = Path(__file__).resolve().parents[1] / "reports" / "templates" / "conformity.docx"
HEADER = ("序号", "文件名称及文号", "条款", "文件要求", "本项目情况", "符合性")
#: `{{r …}}` renders docxtpl's RichText (the finding in bold, the note under it)
CELLS = ("{{ row.number }}", "{{ row.source }}", "{{ row.clause }}", "{{ row.requirement }}",
         "{{ row.situation }}", "{{r row.finding }}")
WIDTHS_CM = (1.0, 2.3, 1.9, 5.0, 4.6, 2.6)


def east_asian(style_or_run: object, font: str, size: float | None = None) -> None:
    """A font for Chinese text: Word reads `w:eastAsia`, not the Latin name."""
    font_spec = style_or_run.font  # type: ignore[attr-defined]
    font_spec.name = font
    if size:
        font_spec.size = Pt(size)
    properties = style_or_run.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def repeat_as_header(row: object) -> None:
    """The header row is repeated at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def tag_row(table: object, text: str) -> None:
    """A row holding only a docxtpl row tag (`{%tr for … %}`): removed when rendered."""
    cells = table.add_row().cells  # type: ignore[attr-defined]
    cells[0].merge(cells[-1]).text = text


def build() -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    east_asian(document.styles["Normal"], "仿宋", 12)
    for name in ("Heading 1", "Heading 2"):
        east_asian(document.styles[name], "黑体", 15 if name == "Heading 1" else 13)

    document.add_paragraph("{%p for c in projects %}")
    title = document.add_heading("{{ c.project }}：产业政策符合性分析", level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{%p for t in c.tables %}")
    document.add_heading("{{ t.heading }}", level=2)
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        east_asian(run, "黑体", 10.5)
    repeat_as_header(table.rows[0])
    tag_row(table, "{%tr for row in t.rows %}")
    for cell, expression in zip(table.add_row().cells, CELLS, strict=True):
        cell.text = expression
        east_asian(cell.paragraphs[0].runs[0], "宋体", 10.5)
    tag_row(table, "{%tr endfor %}")
    for column, width in zip(table.columns, WIDTHS_CM, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if c.outside %}")
    document.add_heading("不适用的文件", level=2)
    document.add_paragraph("{%p for o in c.outside %}")
    document.add_paragraph("{{ o }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
    document.add_heading("结论", level=2)
    document.add_paragraph("{{ c.conclusion }}")
    footer = document.add_paragraph("{{ c.footer }}")
    east_asian(footer.runs[0], "仿宋", 9)
    document.add_paragraph("{%p if not loop.last %}")
    document.add_page_break()
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(TARGET)


if __name__ == "__main__":
    build()
