"""A second reader of the workbooks the gateway writes (openpyxl, not exceljs): prints each sheet's
cells (value, number format, bold), conditional formats, frozen panes and column widths as JSON."""
import datetime
import json
import sys

import openpyxl

workbook = openpyxl.load_workbook(sys.argv[1])
sheets = {}
for sheet in workbook.worksheets:
    cells = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            value = cell.value.isoformat() if isinstance(cell.value, datetime.datetime) else cell.value
            cells[cell.coordinate] = [value, cell.number_format, bool(cell.font.b)]
    formats = [
        {
            "ref": str(formatting.sqref),
            "type": rule.type,
            "cfvo": [point.type for point in rule.colorScale.cfvo] if rule.colorScale else None,
            "colors": [color.rgb for color in rule.colorScale.color] if rule.colorScale else None,
        }
        for formatting in sheet.conditional_formatting
        for rule in formatting.rules
    ]
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    sheets[sheet.title] = {"cells": cells, "conditionalFormats": formats, "frozen": sheet.freeze_panes, "widths": widths}
json.dump({"names": workbook.sheetnames, "sheets": sheets}, sys.stdout)
