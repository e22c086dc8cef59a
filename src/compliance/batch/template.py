"""The empty input workbook (`compliance batch --template OUT.xlsx`).

One column per form field, headed with its Chinese label (and unit: `焦炉炭化室高度（米）`), so
a list filled in from it maps without a mapping file; enum and yes/no columns carry a dropdown
of the accepted values, so they are filled the way the checker reads them. A second sheet
explains every column.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from compliance.batch.columns import input_fields
from compliance.batch.writers.common import AtomicFile
from compliance.fields import FieldSpec

#: rows of the input sheet that carry the dropdowns
VALIDATED_ROWS = 5000
KIND_ZH = {"number": "数值", "bool": "是/否", "enum": "选项", "text": "文字", "date": "日期",
           "list": "多项，用、分隔"}


def template_header(spec: FieldSpec) -> str:
    """`焦炉炭化室高度（米）`: the label, and the unit bare numbers are read in."""
    return f"{spec.label_zh}（{spec.unit_zh()}）" if spec.unit else spec.label_zh


def choices(spec: FieldSpec) -> list[str]:
    """The values a dropdown offers: the Chinese labels, or 是/否."""
    if spec.kind == "bool":
        return ["是", "否"]
    if spec.kind == "enum" and spec.enum is not None:
        return [spec.enum.label_zh(value) for value in spec.choices]
    return []


def write_template(target: Path) -> None:
    """Write the template atomically (a crash leaves no half-written workbook)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "项目清单"
    specs = list(input_fields().values())
    for index, spec in enumerate(specs, start=1):
        cell = sheet.cell(row=1, column=index, value=template_header(spec))
        cell.font = Font(bold=True, color="B42318" if spec.required else None)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(12, 2 * len(cell.value) + 2), 36)
        options = choices(spec)
        if options:
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle="无效选项", error="请从下拉列表中选择")
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    _notes(book.create_sheet("填写说明"), specs)
    output = AtomicFile(target)
    try:
        book.save(output.path)
        output.commit()
    except BaseException:
        output.discard()
        raise


def _notes(sheet: Worksheet, specs: list[FieldSpec]) -> None:
    sheet.append(["列名", "字段", "类型", "单位", "可填", "必填"])
    for spec in specs:
        sheet.append([template_header(spec), spec.path, KIND_ZH[spec.kind], spec.unit_zh(),
                      "、".join(choices(spec)), "是" if spec.required else ""])
    sheet.append([])
    sheet.append(["说明", "所在地可改为一列「建设地点」（如 河南省安阳市龙安区…）；数值可带单位"
                  "（6.0米、150万吨/年）；未知的信息请留空，不要填 0。"])
