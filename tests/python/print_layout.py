"""Second reader of a workbook's print set-up: opens FILE with openpyxl and prints, as JSON, per
sheet: orientation, paper size, fit to pages (wide, tall), the rows repeated on each page, the
print area, the header and footer, the last row and column, the first row's values, and each
chart's anchor (first and last row and column, zero-based).

Usage: print_layout.py FILE
"""

import json
import sys

import openpyxl


def anchor(chart):
    a = chart.anchor
    first = a._from
    last = getattr(a, "to", None)
    return {
        "first_row": first.row,
        "first_col": first.col,
        "last_row": None if last is None else last.row,
        "last_col": None if last is None else last.col,
    }


def side(hf):
    return {
        "left": hf.left.text,
        "center": hf.center.text,
        "right": hf.right.text,
    }


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    sheets = []
    for ws in wb.worksheets:
        setup = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr
        sheets.append(
            {
                "name": ws.title,
                "orientation": setup.orientation,
                "paper_size": setup.paperSize,
                "fit_to_page": bool(fit and fit.fitToPage),
                "fit_width": setup.fitToWidth,
                "fit_height": setup.fitToHeight,
                "print_title_rows": ws.print_title_rows,
                "print_area": ws.print_area,
                "header": side(ws.oddHeader),
                "footer": side(ws.oddFooter),
                "max_row": ws.max_row,
                "max_column": ws.max_column,
                "first_row": [
                    None if c.value is None else str(c.value)
                    for c in next(ws.iter_rows(min_row=1, max_row=1))
                ],
                "charts": [anchor(c) for c in ws._charts],
            }
        )
    print(json.dumps(sheets, indent=1))


if __name__ == "__main__":
    main()
