"""Fills in a City Tools survey template the way a person would in Excel, with a writer that is
not ours (openpyxl): used by the round-trip test in crates/city-core/tests/it/spreadsheets.rs.

    python fill_template.py TEMPLATE.xlsx OUT.xlsx

Finds columns by their header text (never by position) and answers by question text, so the
test fails if the template's headers change without the importer knowing them.
"""

import datetime as dt
import sys

import openpyxl


def columns(ws):
    return {c.value: c.column for c in ws[1] if c.value}


def add_row(ws, values):
    cols = columns(ws)
    row = ws.max_row + 1
    for header, value in values.items():
        if header not in cols:
            raise SystemExit(f"sheet {ws.title!r} has no column {header!r}: {sorted(cols)}")
        ws.cell(row=row, column=cols[header], value=value)
    return row


def answer(ws, question, value):
    for row in ws.iter_rows(min_row=2):
        if row[1].value == question:
            row[2].value = value
            return
    raise SystemExit(f"sheet {ws.title!r} has no question {question!r}")


def main(src, out):
    wb = openpyxl.load_workbook(src)
    add_row(wb["Suppliers"], {
        "Supplier name": "Northgate Public Services",
        "Companies House number": "968498",
        "Small or medium-sized enterprise": "No",
        "Other names": "NEC Software Solutions; Northgate",
    })
    add_row(wb["Suppliers"], {
        "Supplier name": "=Acme (not a formula)",
        "Has no UK identifier": "Yes",
    })
    # openpyxl would write a leading '=' as a formula: make it text, as Excel does for '=...
    ws = wb["Suppliers"]
    cell = ws.cell(row=ws.max_row, column=columns(ws)["Supplier name"])
    cell.data_type = "s"
    add_row(wb["Products"], {"Product name": "Northgate Housing", "Made by": "Northgate Public Services"})
    add_row(wb["Systems"], {
        "System name": "Housing Online",
        "What it is used for": "Tenancies, repairs\nand rent accounts",
        "Product": "Northgate Housing",
        "Supplier": "Northgate Public Services",
        "Service area": "Housing",
        "LGSL code (optional)": 1234,
        "Frontline, corporate or infrastructure": "Frontline (used to serve residents)",
        "Where it is hosted": "Software as a service",
        "Number of users": 450,
        "How critical it is": "Critical (an essential service stops without it)",
        "Support status": "Supported",
        "End of support": dt.date(2029, 3, 31),
        "Satisfaction": "4 – satisfied",
        "Holds personal data": "Yes",
        "Multi-factor authentication": "All users",
        "Lawful basis": "Public task",
        "CAF objectives B and C – B2.a Identity verification, authentication and authorisation": "Partially achieved",
    })
    add_row(wb["Systems"], {"System name": "Rent Sense", "Supplier": "Mobysoft"})
    add_row(wb["Contracts"], {
        "Contract title": "Housing system support",
        "Reference": "HSG-2024-01",
        "Supplier": "Northgate Public Services",
        "Systems it covers": "Housing Online; Rent Sense",
        "Start date": dt.date(2024, 4, 1),
        "End date": dt.date(2027, 3, 31),
        "Latest end date with all extensions": dt.date(2029, 3, 31),
        "Notice period in days": 180,
        "Renews automatically": "No",
        "Annual value": 125000.55,
        "Total value": 375001.65,
        "How it was procured": "G-Cloud call-off",
        "Framework reference": "RM1557.14",
    })
    add_row(wb["Contracts"], {"Contract title": "Rent analytics", "Rolling contract": "Yes", "Supplier": "Mobysoft"})
    add_row(wb["Skills"], {"Capability": "Cyber security", "Level": "Practitioner", "Would like support": "Yes"})
    gdpr = wb["GDPR readiness"]
    answer(gdpr, "A data protection officer is appointed", "Yes")
    answer(gdpr, "ICO registration number", "Z1234567")
    answer(gdpr, "ICO accountability framework – Breach response and monitoring", "Partially implemented or planned")
    cyber = wb["Cyber readiness"]
    answer(cyber, "Cyber Essentials", "Cyber Essentials Plus")
    answer(cyber, "Cyber Essentials certificate expires", dt.date(2027, 1, 31))
    answer(cyber, "CAF objectives A and D – A1.a Board direction", "Achieved")
    # The record that was in the store when the template was made: change its notes.
    ws = wb["Suppliers"]
    cols = columns(ws)
    for row in ws.iter_rows(min_row=2):
        if row[cols["Supplier name"] - 1].value == "Civica UK Ltd":
            row[cols["Notes"] - 1].value = "Changed in Excel"
    wb.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
