"""Second reader for the xlsx files City Tools writes: opens FILE with openpyxl and prints, as
JSON, what a test needs to check: sheets, tables, frozen panes, conditional formats, cell values
with their data types and number formats, the zip parts (charts), and which NEEDLE strings
occur anywhere in the decompressed parts.

Usage: inspect_xlsx.py FILE [NEEDLE ...]
"""

import json
import sys
import zipfile

import openpyxl


def main():
    path, needles = sys.argv[1], sys.argv[2:]
    with zipfile.ZipFile(path) as z:
        parts = z.namelist()
        raw = b"".join(z.read(n) for n in parts)
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        rules = []
        for rng, cf_rules in ws.conditional_formatting._cf_rules.items():
            for r in cf_rules:
                rules.append(
                    {
                        "range": str(rng.sqref),
                        "type": r.type,
                        "operator": r.operator,
                        "text": r.text,
                        "formula": list(r.formula or []),
                    }
                )
        cells = []
        for row in ws.iter_rows(max_row=min(ws.max_row, 200)):
            cells.append(
                [
                    {
                        "v": None if c.value is None else str(c.value),
                        "t": c.data_type,
                        "fmt": c.number_format,
                        "date": bool(c.is_date),
                    }
                    for c in row
                ]
            )
        sheets[ws.title] = {
            "freeze": ws.freeze_panes,
            "tables": [{"name": t.name, "ref": t.ref} for t in ws.tables.values()],
            "conditional_formats": rules,
            "widths": {
                k: v.width for k, v in ws.column_dimensions.items() if v.width
            },
            "max_row": ws.max_row,
            "cells": cells,
        }
    print(
        json.dumps(
            {
                "sheet_names": wb.sheetnames,
                "sheets": sheets,
                "parts": parts,
                "found": [n for n in needles if n.encode("utf-8") in raw],
            }
        )
    )


if __name__ == "__main__":
    main()
