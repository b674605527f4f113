"""Makes the corpus of registers in fixtures/registers/: the shapes boroughs really keep, written
by writers that are not ours, with the mess of real files. Each register has a test in
crates/city-core/tests/it/corpus.rs saying what the importer's default path (suggested columns
and answers, nothing edited) imports from it.

Run from the repository root (LibreOffice is needed for the .xls, .ods and LibreOffice-written
.xlsx files; the committed ones were made with it):

    .venv/bin/python tests/python/make_registers.py

Deterministic: every value comes from one seeded random generator per register, and openpyxl's
document dates are fixed (LibreOffice stamps its own, so its files differ in bytes, not in
cells). Every name, number and amount is made up.

The registers:

| file | writer | what |
|---|---|---|
| contracts_180.xlsx | openpyxl | Transparency Code contracts register, 180 rows: title rows, merged title, hidden column, totals, notes, blank rows, `N/A` company numbers |
| contracts_420.xlsx | LibreOffice (xlsx) | the same shape, 420 rows, other headers |
| contracts_quarterly.ods | LibreOffice (ods) | a quarterly contracts return, 150 rows |
| contracts_1252.csv | CSV, Windows-1252 | contracts exported by a finance system, 200 rows, `£` in money |
| contracts_semicolon.csv | CSV, UTF-8, `;` | contracts, 100 rows, a European export |
| applications_260.xlsx | openpyxl | application register, 260 rows: council service words, `all staff`, `Criticality (H/M/L)`, `Supported?`, `Annual Cost`, `Department`, `Contract End` |
| applications_bom.csv | CSV, UTF-8 with BOM | application register, 260 rows (Excel's "CSV UTF-8") |
| applications.ods | LibreOffice (ods) | application register, 150 rows |
| applications_lo.xlsx | LibreOffice (xlsx) | application register, 120 rows, title rows and a hidden column |
| software_renewals.xls | LibreOffice (xls) | a list of software renewals with `Renewal Date`, 80 rows |
| asset_list.tsv | TSV, UTF-8 | a software asset list, 120 rows |

Some rows are wrong on purpose (a missing title, a reference given twice with different values):
the importer must leave them out and say which cell and why; they are under 3% of each file.
"""

import csv
import datetime as dt
import io
import os
import random
import shutil
import subprocess
import tempfile

import openpyxl
from openpyxl.styles import Alignment, Font

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "registers")
FIXED = dt.datetime(2026, 11, 1, 9, 0, 0)

SUPPLIERS = [
    ("Civica UK Ltd", "01628868"),
    ("Capita Business Services Ltd", "02299747"),
    ("Northgate Public Services (UK) Ltd", "00968498"),
    ("Agilisys Limited", "04445291"),
    ("Idox Software Ltd", "02933889"),
    ("Servelec Group Limited", "07996232"),
    ("Liquidlogic Ltd", "04379416"),
    ("Microsoft Limited", "01624297"),
    ("Softcat plc", "02174990"),
    ("Computacenter (UK) Ltd", "01584718"),
    ("Bytes Software Services Ltd", "01616977"),
    ("Jadu Ltd", "04305454"),
    ("Granicus-Firmstep Ltd", "05290893"),
    ("Netcall Technology Ltd", "01812912"),
    ("Xerox (UK) Ltd", "00330754"),
    ("Arcus Global Ltd", "06960213"),
    ("Unit4 Business Software Ltd", "01762412"),
    ("Midland HR", "01546372"),
    ("Access UK Ltd", "02343760"),
    ("Zellis UK Ltd", "02847079"),
    ("Oxford Computer Group Ltd", "SC297163"),
    ("Taranto Systems Ltd", "03046925"),
    ("Mears Group PLC", "03232863"),
    ("Kier Highways Ltd", "04187596"),
]

PRODUCTS = [
    ("Civica", ["Civica Financials", "Civica Cx", "Civica APP", "Spydus", "Civica Pay", "Civica Electoral"]),
    ("Capita", ["Capita One", "Capita Academy", "Capita Pay360", "Capita ECM"]),
    ("Northgate", ["Northgate Revenues", "Northgate Housing", "Northgate M3", "iWorld"]),
    ("Agilisys", ["Agilisys Digital", "Agilisys Arc", "Agilisys Contact Centre"]),
    ("Idox", ["Uniform", "Idox Elections", "Idox Document Management", "CAFS"]),
    ("Servelec", ["Mosaic", "Rio"]),
    ("Liquidlogic", ["LCS", "LAS", "EHM", "ContrOCC"]),
    ("Microsoft", ["Microsoft 365", "Dynamics 365", "Azure Virtual Desktop", "Power BI"]),
    ("Jadu", ["Jadu CXM", "Jadu Continuum"]),
    ("Granicus-Firmstep", ["Firmstep Achieve", "GovDelivery"]),
    ("Netcall", ["Liberty Create", "Liberty Contact"]),
    ("Arcus", ["Arcus Built Environment", "Arcus Registrars"]),
    ("Unit4", ["Unit4 ERP", "Unit4 Business World"]),
    ("Midland HR", ["iTrent"]),
    ("Access", ["Access Dimensions", "Access Workspace"]),
    ("Zellis", ["ResourceLink"]),
    ("Taranto", ["Taranto Parking", "PermitSmarti"]),
    ("Oxford Computer Group", ["Identity Manager"]),
]

SUPPLIER_OF_VENDOR = {
    "Civica": "Civica UK Ltd",
    "Capita": "Capita Business Services Ltd",
    "Northgate": "Northgate Public Services (UK) Ltd",
    "Agilisys": "Agilisys Limited",
    "Idox": "Idox Software Ltd",
    "Servelec": "Servelec Group Limited",
    "Liquidlogic": "Liquidlogic Ltd",
    "Microsoft": "Microsoft Limited",
    "Jadu": "Jadu Ltd",
    "Granicus-Firmstep": "Granicus-Firmstep Ltd",
    "Netcall": "Netcall Technology Ltd",
    "Arcus": "Arcus Global Ltd",
    "Unit4": "Unit4 Business Software Ltd",
    "Midland HR": "Midland HR",
    "Access": "Access UK Ltd",
    "Zellis": "Zellis UK Ltd",
    "Taranto": "Taranto Systems Ltd",
    "Oxford Computer Group": "Oxford Computer Group Ltd",
}

DEPARTMENTS = [
    "Revenues & Benefits", "Children's Social Care", "Adults' Social Care", "HR/Payroll", "ICT",
    "Elections", "Waste", "Parking", "Council Tax", "Libraries", "Finance", "Customer Services",
    "Public Health", "Highways", "Regeneration", "Planning", "Housing", "Legal", "Licensing",
    "Environmental Health", "Schools", "Registrars", "Corporate",
]

ROUTES = [
    "G-Cloud 13", "G Cloud 14 call-off", "Quotes", "Restricted procedure", "Direct Award (waiver)",
    "Further competition", "CCS RM6100 TS3", "ESPO framework 664", "Open tender", "Open",
    "Mini competition", "RFQ", "Waiver", "YPO framework", "DOS 6", "Call-off", "Competitive",
    "Exemption", "LPP framework", "Crown Commercial Service", "Three quotes",
]

WORK = ["licences", "support and maintenance", "hosting", "managed service", "implementation",
        "subscription", "upgrade", "professional services"]

SUPPORTED = ["Yes", "Y", "Yes", "yes", "No", "No - EOL 2024", "Extended support", "Y", "Yes",
             "In house", "N", "Partially"]
CRITICALITY = ["H", "M", "L", "H", "M", "High", "Med", "Low", "M", "L"]
HOSTING = ["On-prem", "SaaS", "Cloud", "Hosted", "Azure", "On premise", "In house", "Supplier hosted",
           "AWS", "Data centre", "SaaS"]
USERS = ["all staff", "c. 200", "~50", "200+", "TBC", "All staff", "1,200"]


def seeded(name):
    return random.Random(f"city-tools-registers:{name}")


def date_between(rng, y0, y1):
    start = dt.date(y0, 1, 1).toordinal()
    end = dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def add_years(d, years):
    return month_end(d.replace(day=1, year=d.year + years)) if d.month == 2 and d.day == 29 else d.replace(year=d.year + years)


def month_end(d):
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def date_as(rng, d, kinds):
    """A date written the way some registers write it."""
    kind = rng.choice(kinds)
    if kind == "cell":
        return d
    if kind == "uk":
        return d.strftime("%d/%m/%Y")
    if kind == "short":
        return d.strftime("%d-%b-%y")
    if kind == "long":
        return f"{d.day} {d.strftime('%B %Y')}"
    if kind == "iso":
        return d.isoformat()
    return d.strftime("%d.%m.%Y")


def money_as(rng, pounds, kinds):
    """Money written the way some registers write it."""
    kind = rng.choice(kinds)
    if kind == "number":
        return round(pounds, 2)
    if kind == "pounds":
        return f"£{pounds:,.2f}"
    if kind == "plain":
        return f"{pounds:.1f}".rstrip("0").rstrip(".") if pounds != int(pounds) else f"{int(pounds)}"
    if kind == "short":
        if pounds >= 1_000_000:
            return f"£{pounds / 1_000_000:.1f}m"
        return f"£{round(pounds / 1000)}k"
    return f"£{int(round(pounds)):,}"


def supplier_spelling(rng, name):
    """Mostly as the supplier writes itself; sometimes in capitals or without Ltd's full stop."""
    r = rng.random()
    if r < 0.12:
        return name.upper()
    if r < 0.17:
        return name.replace("Ltd", "Limited")
    return name


def company_number(rng, number):
    r = rng.random()
    if r < 0.06:
        return rng.choice(["N/A", "n/a", "Not known", "-"])
    if r < 0.10:
        return ""
    if r < 0.16 and number.isdigit():
        return int(number)  # a number cell: the leading zeros are lost
    return number


def contract_rows(rng, n, prefix):
    """`n` rows of a contracts register as dicts; a few wrong on purpose (returned apart)."""
    rows = []
    for i in range(n):
        vendor, products = rng.choice(PRODUCTS)
        supplier = SUPPLIER_OF_VENDOR[vendor]
        number = dict(SUPPLIERS)[supplier]
        product = rng.choice(products)
        start = date_between(rng, 2018, 2026)
        years = rng.randint(1, 6)
        end = month_end(add_years(start, years) - dt.timedelta(days=1))
        annual = rng.choice([4_500, 12_000, 18_750.5, 24_000, 36_500, 55_000, 120_000, 240_000, 1_234.5])
        annual = round(annual * rng.uniform(0.6, 1.8), 2)
        rows.append({
            "ref": f"{prefix}-{2018 + i % 9}-{i + 1:04d}",
            "title": f"{product} {rng.choice(WORK)}",
            "description": f"{rng.choice(WORK).capitalize()} for {product}",
            "department": rng.choice(DEPARTMENTS),
            "supplier": supplier_spelling(rng, supplier),
            "crn": company_number(rng, number),
            "sme": rng.choice(["Y", "N", "No", "Yes", "N"]),
            "start": start,
            "end": end,
            "extension": month_end(add_years(end.replace(day=1), rng.choice([0, 1, 2]))),
            "total": round(annual * years, 2),
            "annual": annual,
            "route": rng.choice(ROUTES),
            "product": product,
        })
    return rows


def break_some(rows, rng, how_many):
    """Rows wrong on purpose: a missing title; a reference repeated with other values."""
    broken = []
    for k in range(how_many):
        i = rng.randrange(5, len(rows) - 5)
        if k % 2 == 0:
            rows[i]["title"] = ""
            broken.append(("no title", i))
        else:
            j = i - 1
            rows[i]["ref"] = rows[j]["ref"]
            broken.append(("duplicate reference", i))
    return broken


def app_rows(rng, n):
    rows = []
    seen = set()
    for i in range(n):
        vendor, products = rng.choice(PRODUCTS)
        product = rng.choice(products)
        department = rng.choice(DEPARTMENTS)
        name = product
        k = 2
        while name.lower() in seen:
            name = f"{product} ({department})" if k == 2 else f"{product} {k}"
            k += 1
        seen.add(name.lower())
        has_contract = rng.random() < 0.75
        end = month_end(date_between(rng, 2025, 2031))
        rows.append({
            "ref": f"APP{i + 1:03d}",
            "name": name,
            "description": f"{product} used by {department}",
            "supplier": supplier_spelling(rng, SUPPLIER_OF_VENDOR[vendor]),
            "department": department,
            "owner": rng.choice(["Head of Service", "IT Business Partner", "Service Manager", ""]),
            "users": rng.choice(USERS) if rng.random() < 0.3 else rng.choice([5, 12, 40, 85, 150, 400, 1200, 3000]),
            "hosting": rng.choice(HOSTING),
            "criticality": rng.choice(CRITICALITY),
            "supported": rng.choice(SUPPORTED),
            "annual": round(rng.uniform(2_000, 250_000), 2) if has_contract else "",
            "end": end if has_contract else rng.choice(["", "N/A", "Rolling", "TBC"]),
            "notes": rng.choice(["", "", "Replacement being scoped", "Contract in negotiation", "See ICT strategy"]),
        })
    return rows


def workbook():
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "London Borough of Anytown"
    return wb


def title_rows(ws, width, lines):
    """Title lines above the table, the first merged across it and bold."""
    for line in lines:
        ws.append([line])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])


def save(wb, name):
    wb.save(os.path.join(OUT, name))


def via_libreoffice(wb, name, fmt):
    """Writes `wb` with openpyxl to a temporary file and has LibreOffice save it as `fmt`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed for " + name)
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97", "ods": "ods"}
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "source.xlsx")
        wb.save(src)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", filters[fmt], "--outdir", out, src],
            check=True, capture_output=True, timeout=180,
        )
        shutil.copy(os.path.join(out, "source." + fmt), os.path.join(OUT, name))


CONTRACT_HEADERS_180 = [
    "Reference Number", "Title of Agreement", "Description of Goods / Services", "Department",
    "Supplier Name", "Company Registration Number", "SME (Y/N)", "Start Date", "End Date",
    "Review / Extension Date", "Total Contract Value", "Annual Value", "How it was procured",
    "Cost Centre",
]


def contracts_sheet(wb, rows, headers, money_kinds, date_kinds, rng, title, hidden="N"):
    ws = wb.active
    ws.title = "Contracts Register"
    title_rows(ws, len(headers), title)
    ws.append(headers)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    header_row = ws.max_row
    for i, r in enumerate(rows):
        if i and i % 60 == 0:
            ws.append([])  # blank rows between blocks
        ws.append([
            r["ref"], r["title"], r["description"], r["department"], r["supplier"], r["crn"],
            r["sme"], date_as(rng, r["start"], date_kinds), date_as(rng, r["end"], date_kinds),
            date_as(rng, r["extension"], date_kinds), money_as(rng, r["total"], money_kinds),
            money_as(rng, r["annual"], money_kinds), r["route"], f"CC{rng.randint(1000, 9999)}",
        ][: len(headers)])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, float):
                cell.number_format = '"£"#,##0.00'
    ws.append([])
    ws.append(["Total", None, None, None, None, None, None, None, None, None,
               f"=SUM(K{header_row + 1}:K{ws.max_row - 1})"])
    ws.append(["Note: values include VAT where it cannot be recovered. Published under the Local Government Transparency Code 2015."])
    ws.column_dimensions[hidden].hidden = True
    return ws


def contracts_180():
    rng = seeded("contracts_180")
    rows = contract_rows(rng, 180, "LBA")
    broken = break_some(rows, rng, 2)
    wb = workbook()
    contracts_sheet(
        wb, rows, CONTRACT_HEADERS_180, ["number", "pounds", "plain", "whole"],
        ["cell", "cell", "uk", "short"], rng,
        ["London Borough of Anytown", "Contracts Register – Local Government Transparency Code 2015",
         "Data as at 30 September 2026"],
    )
    save(wb, "contracts_180.xlsx")
    return broken


def contracts_420():
    rng = seeded("contracts_420")
    rows = contract_rows(rng, 420, "C")
    broken = break_some(rows, rng, 4)
    headers = [
        "Contract Ref", "Contract Title", "Description", "Service Area", "Supplier",
        "Company Registration Number", "SME", "Contract Start", "Contract End",
        "End Date Including Extensions", "Total Contract Value", "Estimated Annual Value",
        "Procurement Route", "Officer",
    ]
    wb = workbook()
    contracts_sheet(
        wb, rows, headers, ["number", "pounds", "short", "whole"],
        ["cell", "uk", "iso", "long"], rng,
        ["Anytown Council contracts over £5,000", "Quarter 2 2026/27"], hidden="C",
    )
    via_libreoffice(wb, "contracts_420.xlsx", "xlsx")
    return broken


def contracts_quarterly():
    rng = seeded("contracts_quarterly")
    rows = contract_rows(rng, 150, "Q")
    broken = break_some(rows, rng, 2)
    wb = workbook()
    ws = wb.active
    ws.title = "Q2 2026"
    ws.append(["Quarterly contracts return"])
    ws.append([])
    ws.append(["Ref", "Title", "Supplier Name", "Companies House No", "Start", "Expiry Date",
               "Value", "Procurement Method"])
    for r in rows:
        ws.append([r["ref"], r["title"], r["supplier"], r["crn"],
                   date_as(rng, r["start"], ["cell", "uk"]), date_as(rng, r["end"], ["cell", "uk", "dots"]),
                   money_as(rng, r["total"], ["number", "pounds", "short"]), r["route"]])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    via_libreoffice(wb, "contracts_quarterly.ods", "ods")
    return broken


def write_csv(name, header_lines, headers, records, encoding, delimiter=",", bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for line in header_lines:
        w.writerow([line])
    w.writerow(headers)
    for rec in records:
        w.writerow(rec)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def csv_date(rng, d, kinds):
    v = date_as(rng, d, kinds)
    return v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v


def contracts_1252():
    rng = seeded("contracts_1252")
    rows = contract_rows(rng, 200, "FIN")
    broken = break_some(rows, rng, 2)
    headers = ["Contract Reference", "Contract Title", "Supplier Name", "Company Number",
               "Start Date", "End Date", "Annual Value", "Total Value", "Procurement Route"]
    records = [[
        r["ref"], r["title"], r["supplier"], r["crn"], csv_date(rng, r["start"], ["uk"]),
        csv_date(rng, r["end"], ["uk", "short"]),
        money_as(rng, r["annual"], ["pounds", "whole"]), money_as(rng, r["total"], ["pounds", "plain"]),
        r["route"],
    ] for r in rows]
    write_csv("contracts_1252.csv", ["Contracts over £5,000 – exported from the finance system"],
              headers, records, "cp1252")
    return broken


def contracts_semicolon():
    rng = seeded("contracts_semicolon")
    rows = contract_rows(rng, 100, "S")
    broken = break_some(rows, rng, 2)
    headers = ["Reference", "Title", "Supplier", "CRN", "Start date", "End date", "Contract value",
               "Route to market"]
    records = [[
        r["ref"], r["title"], r["supplier"], r["crn"], csv_date(rng, r["start"], ["iso"]),
        csv_date(rng, r["end"], ["iso"]), money_as(rng, r["total"], ["plain"]), r["route"],
    ] for r in rows]
    write_csv("contracts_semicolon.csv", [], headers, records, "utf-8", delimiter=";")
    return broken


APP_HEADERS = [
    "Ref", "Application", "Description", "Supplier", "Department", "Business Owner",
    "Number of Users", "Hosting", "Criticality (H/M/L)", "Supported?", "Annual Cost",
    "Contract End", "Notes",
]


def app_record(rng, r, date_kinds, money_kinds):
    end = r["end"]
    if isinstance(end, dt.date):
        end = date_as(rng, end, date_kinds)
    annual = r["annual"]
    if annual != "":
        annual = money_as(rng, annual, money_kinds)
    return [r["ref"], r["name"], r["description"], r["supplier"], r["department"], r["owner"],
            r["users"], r["hosting"], r["criticality"], r["supported"], annual, end, r["notes"]]


def break_apps(rows, rng, how_many):
    broken = []
    for _ in range(how_many):
        i = rng.randrange(5, len(rows) - 5)
        rows[i]["name"] = ""
        broken.append(("no name", i))
    return broken


def app_sheet(wb, rows, rng, title, date_kinds, money_kinds, hidden=None):
    ws = wb.active
    ws.title = "Application Register"
    if title:
        title_rows(ws, len(APP_HEADERS), title)
    ws.append(APP_HEADERS)
    for i, r in enumerate(rows):
        if i and i % 90 == 0:
            ws.append([])
        ws.append(app_record(rng, r, date_kinds, money_kinds))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    if hidden:
        ws.column_dimensions[hidden].hidden = True
    return ws


def applications_260():
    rng = seeded("applications_260")
    rows = app_rows(rng, 260)
    broken = break_apps(rows, rng, 2)
    wb = workbook()
    app_sheet(wb, rows, rng, ["ICT Application Register", "Owner: Head of ICT"],
              ["cell", "uk", "short"], ["number", "pounds", "whole"])
    save(wb, "applications_260.xlsx")
    return broken


def applications_bom():
    rng = seeded("applications_bom")
    rows = app_rows(rng, 260)
    broken = break_apps(rows, rng, 2)
    records = [
        [("" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v))
         for v in app_record(rng, r, ["uk", "short"], ["pounds", "plain", "short"])]
        for r in rows
    ]
    write_csv("applications_bom.csv", [], APP_HEADERS, records, "utf-8", bom=True)
    return broken


def applications_ods():
    rng = seeded("applications_ods")
    rows = app_rows(rng, 150)
    broken = break_apps(rows, rng, 1)
    wb = workbook()
    app_sheet(wb, rows, rng, ["Systems inventory 2026"], ["cell", "uk"], ["number", "pounds"])
    via_libreoffice(wb, "applications.ods", "ods")
    return broken


def applications_lo():
    rng = seeded("applications_lo")
    rows = app_rows(rng, 120)
    broken = break_apps(rows, rng, 1)
    wb = workbook()
    app_sheet(wb, rows, rng, ["Application portfolio", "Reviewed by the Digital Board, October 2026"],
              ["cell", "long"], ["number", "short"], hidden="F")
    via_libreoffice(wb, "applications_lo.xlsx", "xlsx")
    return broken


def software_renewals():
    rng = seeded("software_renewals")
    rows = app_rows(rng, 80)
    broken = []
    wb = workbook()
    ws = wb.active
    ws.title = "Renewals"
    ws.append(["System", "Supplier", "Renewal Date", "Annual Cost", "Owner"])
    for r in rows:
        end = r["end"] if isinstance(r["end"], dt.date) else month_end(date_between(rng, 2026, 2028))
        ws.append([r["name"], r["supplier"], end, round(rng.uniform(1_000, 90_000), 2), r["owner"]])
        ws.cell(ws.max_row, 3).number_format = "dd/mm/yyyy"
    via_libreoffice(wb, "software_renewals.xls", "xls")
    return broken


def asset_list():
    rng = seeded("asset_list")
    rows = app_rows(rng, 120)
    broken = []
    headers = ["Asset Tag", "Software", "Version", "Vendor", "Licences", "Hosting", "Renewal Date",
               "Annual Cost"]
    records = []
    for i, r in enumerate(rows):
        end = r["end"] if isinstance(r["end"], dt.date) else month_end(date_between(rng, 2026, 2029))
        records.append([f"SW-{i + 1:05d}", r["name"], f"{rng.randint(1, 12)}.{rng.randint(0, 9)}",
                        r["supplier"], rng.choice([5, 25, 100, 250, "Site", "Unlimited"]), r["hosting"],
                        end.strftime("%d/%m/%Y"), money_as(rng, rng.uniform(500, 60_000), ["pounds", "plain"])])
    write_csv("asset_list.tsv", [], headers, records, "utf-8", delimiter="\t")
    return broken


def main():
    os.makedirs(OUT, exist_ok=True)
    made = {
        "contracts_180.xlsx": contracts_180(),
        "contracts_420.xlsx": contracts_420(),
        "contracts_quarterly.ods": contracts_quarterly(),
        "contracts_1252.csv": contracts_1252(),
        "contracts_semicolon.csv": contracts_semicolon(),
        "applications_260.xlsx": applications_260(),
        "applications_bom.csv": applications_bom(),
        "applications.ods": applications_ods(),
        "applications_lo.xlsx": applications_lo(),
        "software_renewals.xls": software_renewals(),
        "asset_list.tsv": asset_list(),
    }
    for name, broken in made.items():
        print(f"{name}: {len(broken)} rows wrong on purpose: {', '.join(why for why, _ in broken) or 'none'}")


if __name__ == "__main__":
    main()
