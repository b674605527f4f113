"""Baseline: openpyxl in read-only mode reads every cell value of the register's first sheet.

Usage: read_openpyxl.py FILE RUNS. Prints one JSON line: the median seconds and the row count.
"""
import json
import statistics
import sys
import time

from openpyxl import load_workbook


def once(path):
    start = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        n += 1
    wb.close()
    return time.perf_counter() - start, n


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    times, n = [], 0
    for _ in range(runs):
        t, n = once(path)
        times.append(t)
    print(json.dumps({"median_secs": statistics.median(times), "rows": n}))


main()
