"""Reads an xlsx we wrote with openpyxl (a second reader) and prints what the Rust tests check,
as JSON: each sheet's state, hidden columns, data validations, cell types and fills.

    python check_xlsx.py FILE.xlsx
"""

import json
import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": []}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and (c.fill is None or c.fill.fgColor.rgb in (None, "00000000")):
                    continue
                fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
                cells[c.coordinate] = {
                    "value": c.value if isinstance(c.value, (str, int, float, bool)) or c.value is None else str(c.value),
                    "type": c.data_type,
                    "fill": fill if isinstance(fill, str) else None,
                    "note": c.comment.text if c.comment else None,
                    "format": c.number_format,
                }
        out["sheets"].append({
            "name": ws.title,
            "state": ws.sheet_state,
            "hidden_columns": sorted(k for k, d in ws.column_dimensions.items() if d.hidden),
            "validations": [
                {"range": str(v.sqref), "type": v.type, "formula": v.formula1}
                for v in ws.data_validations.dataValidation
            ],
            "freeze": ws.freeze_panes,
            "cells": cells,
        })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
