"""Every row of the named sheets of a workbook, as JSON: {sheet: [[cell, …], …]}, each cell as
text (dates as ISO `YYYY-MM-DD`) or null; the first row is the header row.

Usage: sheet_rows.py FILE SHEET [SHEET …]
"""

import datetime
import json
import sys

import openpyxl


def text(v):
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    return str(v)


def main():
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
    out = {}
    for name in sys.argv[2:]:
        out[name] = [[text(v) for v in row] for row in wb[name].iter_rows(values_only=True)]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
