"""Baseline: python-calamine reads every cell of the register's first sheet (bare read).

Usage: read_calamine.py FILE RUNS. Prints one JSON line: the median seconds and the row count.
"""
import json
import statistics
import sys
import time

from python_calamine import CalamineWorkbook


def once(path):
    start = time.perf_counter()
    wb = CalamineWorkbook.from_path(path)
    rows = wb.get_sheet_by_index(0).to_python()
    return time.perf_counter() - start, len(rows)


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    times, n = [], 0
    for _ in range(runs):
        t, n = once(path)
        times.append(t)
    print(json.dumps({"median_secs": statistics.median(times), "rows": n}))


main()
