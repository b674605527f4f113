"""Baseline: Python XlsxWriter in constant-memory mode writes the same cells as the bare
rust_xlsxwriter baseline (read from a JSON file of sheets; reading it is not timed).

Usage: write_xlsxwriter.py CELLS.json OUT.xlsx RUNS. Prints one JSON line: the median seconds.
The cells file is {"sheets": [{"name": ..., "header": [...], "rows": [[...], ...]}]} where a
cell is a string, a number, a boolean, {"date": "YYYY-MM-DD"} or {"serial": n} (an Excel date).
"""
import datetime
import json
import statistics
import sys
import time

import xlsxwriter


def write(sheets, out):
    start = time.perf_counter()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    for s in sheets:
        ws = wb.add_worksheet(s["name"])
        ws.write_row(0, 0, s["header"], bold)
        money_cols = set(s.get("money_columns", []))
        for r, row in enumerate(s["rows"], start=1):
            for c, v in enumerate(row):
                if isinstance(v, dict) and "serial" in v:
                    ws.write_number(r, c, v["serial"], date)
                elif isinstance(v, dict):
                    ws.write_datetime(r, c, v["date"], date)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                elif c in money_cols:
                    ws.write_number(r, c, v, money)
                else:
                    ws.write_number(r, c, v)
    wb.close()
    return time.perf_counter() - start


def main():
    cells, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(cells) as f:
        sheets = json.load(f)["sheets"]
    for s in sheets:
        for row in s["rows"]:
            for i, v in enumerate(row):
                if isinstance(v, dict) and "date" in v:
                    row[i] = {"date": datetime.datetime.strptime(v["date"], "%Y-%m-%d")}
    times = [write(sheets, out) for _ in range(runs)]
    print(json.dumps({"median_secs": statistics.median(times)}))


main()
