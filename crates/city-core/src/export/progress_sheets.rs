//! The committee workbook's *since last year* sheets, from the progress analysis between the
//! cycle exported and the one before: *Progress since last year* (London's totals, then one row
//! per organisation: returns and when, records, readiness, systems, contracts, windows, skills,
//! suppliers), *Changes since last year* (each change), concentration, supplier shares and
//! skills levels then and now. An organisation without a return in one of the two cycles has
//! its returns column say so and every comparison empty. Redaction as the analysis sheets: CAF
//! columns are left out of `open` and are London's totals only unless the report was made with
//! sensitive detail (the `full` profile), which alone lists CAF changes and names systems newly
//! out of support.

use super::profile::ExportProfile;
use super::table::{Column, Highlight, Rows, Value};
use super::workbook::MakeTable;
use crate::analysis::progress::{
    CertificateMove, ContractMovement, Movement, OrgProgress, ProgressReport, RecordMovement,
    ReturnReceipt, SystemMovement,
};

fn col(header: &str, note: &str) -> Column {
    Column {
        header: header.into(),
        highlight: Highlight::None,
        note: note.into(),
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn int(n: usize) -> Value {
    i64::try_from(n).map_or(Value::Empty, Value::Int)
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> Value) -> Value {
    v.map_or(Value::Empty, f)
}

fn table<'a>(
    title: &str,
    columns: Vec<Column>,
    count: usize,
    rows: impl Iterator<Item = Vec<Value>> + 'a,
) -> Rows<'a> {
    Rows {
        title: title.into(),
        columns,
        count,
        rows: Box::new(rows),
    }
}

/// The *since last year* sheets the profile may show, in order.
pub(crate) fn progress_tables(r: &ProgressReport, profile: ExportProfile) -> Vec<MakeTable<'_>> {
    let caf = profile != ExportProfile::Open;
    vec![
        Box::new(move || progress(r, caf)),
        Box::new(move || changes(r)),
        Box::new(|| concentration(r)),
        Box::new(|| shares(r)),
        Box::new(|| skills(r)),
    ]
}

/// The columns of *Progress since last year*, with or without CAF.
pub(crate) fn progress_columns(caf: bool) -> Vec<Column> {
    let mut c = vec![
        col(
            "Organisation",
            "London's totals first, then each organisation",
        ),
        col("Organisation code", "GSS code"),
        col(
            "Returns",
            "Whether it returned both years; without a return in one year nothing is compared",
        ),
        col(
            "Received last year",
            "The day last year's first bundle was accepted",
        ),
        col("On time last year", "Received by last year's closing date"),
        col(
            "Received this year",
            "The day this year's first bundle was accepted",
        ),
        col("On time this year", "Received by this year's closing date"),
        col(
            "Records unchanged",
            "Records in both returns with the same answers",
        ),
        col(
            "Records changed",
            "Records in both returns whose answers changed",
        ),
        col("Records new", "Records only in this year's return"),
        col(
            "Records retired",
            "Last year's records retired or gone this year",
        ),
        col(
            "Still to review",
            "Records carried forward and never reviewed",
        ),
    ];
    if caf {
        for (h, n) in [
            (
                "CAF outcomes improved",
                "CAF contributing outcomes rated better than last year (per organisation only in the full profile)",
            ),
            (
                "CAF outcomes same",
                "CAF contributing outcomes rated the same",
            ),
            (
                "CAF outcomes worse",
                "CAF contributing outcomes rated worse",
            ),
        ] {
            c.push(col(h, n));
        }
    }
    for (h, n) in [
        (
            "ICO categories improved",
            "ICO accountability categories rated better than last year",
        ),
        ("ICO categories same", "ICO categories rated the same"),
        ("ICO categories worse", "ICO categories rated worse"),
        (
            "Cyber Essentials",
            "Gained, kept, lapsed or not held, judged on each year's closing date",
        ),
        (
            "PSN",
            "Gained, kept, lapsed or not held, judged on each year's closing date",
        ),
        ("Systems added", "Systems only in this year's return"),
        ("Systems retired", "Last year's systems retired or gone"),
        (
            "Newly out of support",
            "Systems out of support now that were not last year",
        ),
        (
            "Moved to cloud",
            "Systems now SaaS, PaaS or IaaS that were hosted otherwise",
        ),
        (
            "Products switched",
            "Systems in the same service area now on another product",
        ),
        (
            "Contracts ended",
            "Ended with no new contract for the same system or product",
        ),
        (
            "Contracts re-procured",
            "Ended, with a new contract for the same system or product",
        ),
        ("Contracts extended", "The end date moved later"),
        (
            "Contracts joined",
            "New contracts bought with other organisations (same supplier and start date)",
        ),
        (
            "Windows acted on",
            "Last year's joint-procurement windows acted on together",
        ),
        (
            "Windows missed",
            "Last year's windows whose decision date passed without joint action",
        ),
        ("Skills improved", "Skill areas rated higher than last year"),
        ("Skills same", "Skill areas rated the same"),
        ("Skills worse", "Skill areas rated lower"),
        (
            "Suppliers last year",
            "Distinct suppliers of its contracts last year",
        ),
        (
            "Suppliers this year",
            "Distinct suppliers of its contracts this year",
        ),
    ] {
        c.push(col(h, n));
    }
    c
}

fn receipt(r: &Option<ReturnReceipt>) -> [Value; 2] {
    match r {
        None => [Value::Empty, Value::Empty],
        Some(r) => [opt(r.received_on, Value::Date), opt(r.on_time, Value::Bool)],
    }
}

fn movement(m: Option<Movement>) -> [Value; 3] {
    match m {
        None => [Value::Empty, Value::Empty, Value::Empty],
        Some(m) => [int(m.improved), int(m.same), int(m.worse)],
    }
}

fn certificate(m: Option<CertificateMove>) -> Value {
    opt(m, |m| {
        let l = m.label();
        let mut s = l.to_string();
        if let Some(f) = s.get_mut(..1) {
            f.make_ascii_uppercase();
        }
        text(s)
    })
}

/// The cells after the returns columns, shared by London's row and each organisation's.
#[allow(clippy::too_many_arguments)]
fn figures(
    records: Option<RecordMovement>,
    caf: Option<Option<Movement>>,
    ico: Option<Movement>,
    ce: Value,
    psn: Value,
    systems: Option<SystemMovement>,
    contracts: Option<ContractMovement>,
    skills: Option<Movement>,
    suppliers: (Option<usize>, Option<usize>),
) -> Vec<Value> {
    let mut v = Vec::new();
    match records {
        Some(m) => v.extend([
            int(m.unchanged),
            int(m.changed),
            int(m.new),
            int(m.retired),
            int(m.not_reviewed),
        ]),
        None => v.extend(std::iter::repeat_n(Value::Empty, 5)),
    }
    if let Some(c) = caf {
        v.extend(movement(c));
    }
    v.extend(movement(ico));
    v.push(ce);
    v.push(psn);
    match systems {
        Some(s) => v.extend([
            int(s.added),
            int(s.retired),
            int(s.newly_out_of_support),
            int(s.moved_to_cloud),
            int(s.products_switched),
        ]),
        None => v.extend(std::iter::repeat_n(Value::Empty, 5)),
    }
    match contracts {
        Some(c) => v.extend([
            int(c.ended),
            int(c.reprocured),
            int(c.extended),
            int(c.joined),
            int(c.windows_acted_on),
            int(c.windows_missed),
        ]),
        None => v.extend(std::iter::repeat_n(Value::Empty, 6)),
    }
    v.extend(movement(skills));
    v.push(opt(suppliers.0, int));
    v.push(opt(suppliers.1, int));
    v
}

/// One organisation's row of *Progress since last year*.
pub(crate) fn org_row(o: &OrgProgress, caf: bool) -> Vec<Value> {
    let mut v = vec![
        text(o.name.clone()),
        text(
            o.organisation
                .strip_prefix("gss:")
                .unwrap_or(&o.organisation),
        ),
        text(o.returns.label()),
    ];
    v.extend(receipt(&o.then));
    v.extend(receipt(&o.now));
    v.extend(figures(
        o.records,
        caf.then_some(o.caf),
        o.ico,
        certificate(o.cyber_essentials),
        certificate(o.psn),
        o.systems,
        o.contracts,
        o.skills,
        (o.suppliers_then, o.suppliers_now),
    ));
    v
}

fn counts(c: &crate::analysis::progress::CertificateCounts) -> Value {
    text(format!(
        "{} gained, {} kept, {} lapsed, {} not held",
        c.gained, c.kept, c.lapsed, c.not_held
    ))
}

fn progress(r: &ProgressReport, caf: bool) -> Rows<'_> {
    let l = &r.london;
    let mut london = vec![
        text("London"),
        Value::Empty,
        text(format!(
            "{} compared; {} returned last year, {} this year",
            l.compared, l.returns_then, l.returns_now
        )),
        Value::Empty,
        int(l.on_time_then),
        Value::Empty,
        int(l.on_time_now),
    ];
    london.extend(figures(
        Some(l.records),
        caf.then_some(Some(l.caf)),
        Some(l.ico),
        counts(&l.cyber_essentials),
        counts(&l.psn),
        Some(l.systems),
        Some(l.contracts),
        Some(l.skills),
        (
            Some(r.market.then.supplier_count),
            Some(r.market.now.supplier_count),
        ),
    ));
    let rows = std::iter::once(london).chain(r.organisations.iter().map(move |o| org_row(o, caf)));
    table(
        "Progress since last year",
        progress_columns(caf),
        r.organisations.len() + 1,
        rows,
    )
}

fn changes(r: &ProgressReport) -> Rows<'_> {
    let columns = vec![
        col("Organisation", "The organisation"),
        col("Change", "What changed"),
        col(
            "Subject",
            "The system, contract, certificate, outcome, category or skill area",
        ),
        col("Last year", "As it was"),
        col("This year", "As it is"),
    ];
    let rows = r.changes.iter().map(|c| {
        vec![
            text(c.organisation_name.clone()),
            text(c.kind.label()),
            text(c.subject.clone()),
            opt(c.then.clone(), text),
            opt(c.now.clone(), text),
        ]
    });
    table("Changes since last year", columns, r.changes.len(), rows)
}

fn concentration(r: &ProgressReport) -> Rows<'_> {
    let columns = vec![
        col(
            "Scope",
            "Every contract, or one service area's (organisations that returned both years)",
        ),
        col("Contracts last year", "Contracts in scope last year"),
        col("Contracts this year", "Contracts in scope this year"),
        col("Suppliers last year", "Distinct suppliers"),
        col("Suppliers this year", "Distinct suppliers"),
        col(
            "Top 10 share last year (%)",
            "Share of contracts held by the 10 largest suppliers",
        ),
        col(
            "Top 10 share this year (%)",
            "Share of contracts held by the 10 largest suppliers",
        ),
        col(
            "HHI last year",
            "Herfindahl-Hirschman index on shares of contracts, 0 to 10,000",
        ),
        col(
            "HHI this year",
            "Herfindahl-Hirschman index on shares of contracts, 0 to 10,000",
        ),
        col("HHI (value) last year", "On shares of annual value"),
        col("HHI (value) this year", "On shares of annual value"),
    ];
    let m = &r.market;
    let all = std::iter::once(("All contracts".to_string(), Some(&m.then), Some(&m.now)));
    let areas = m
        .by_service_area
        .iter()
        .map(|a| (a.label.clone(), a.then.as_ref(), a.now.as_ref()));
    let rows = all.chain(areas).map(|(label, a, b)| {
        let f =
            |x: Option<&crate::analysis::progress::ConcentrationFigures>,
             g: &dyn Fn(&crate::analysis::progress::ConcentrationFigures) -> Value| {
                x.map_or(Value::Empty, g)
            };
        vec![
            text(label),
            f(a, &|x| int(x.contracts)),
            f(b, &|x| int(x.contracts)),
            f(a, &|x| int(x.supplier_count)),
            f(b, &|x| int(x.supplier_count)),
            f(a, &|x| Value::Number(x.top10_contract_share_pct)),
            f(b, &|x| Value::Number(x.top10_contract_share_pct)),
            f(a, &|x| Value::Number(x.hhi_contracts)),
            f(b, &|x| Value::Number(x.hhi_contracts)),
            f(a, &|x| Value::Number(x.hhi_value)),
            f(b, &|x| Value::Number(x.hhi_value)),
        ]
    });
    table(
        "Concentration since last year",
        columns,
        m.by_service_area.len() + 1,
        rows,
    )
}

fn shares(r: &ProgressReport) -> Rows<'_> {
    let columns = vec![
        col("Supplier", "The ten largest suppliers of either year"),
        col("Contracts last year", "Its contracts last year"),
        col("Contracts this year", "Its contracts this year"),
        col(
            "Share of contracts last year (%)",
            "Percent of contracts with a known supplier",
        ),
        col(
            "Share of contracts this year (%)",
            "Percent of contracts with a known supplier",
        ),
        col(
            "Share of value last year (%)",
            "Percent of annual value with a known supplier",
        ),
        col(
            "Share of value this year (%)",
            "Percent of annual value with a known supplier",
        ),
    ];
    let rows = r.market.suppliers.iter().map(|s| {
        vec![
            text(s.supplier_name.clone()),
            int(s.contracts_then),
            int(s.contracts_now),
            Value::Number(s.contract_share_then_pct),
            Value::Number(s.contract_share_now_pct),
            Value::Number(s.value_share_then_pct),
            Value::Number(s.value_share_now_pct),
        ]
    });
    table(
        "Supplier shares since last year",
        columns,
        r.market.suppliers.len(),
        rows,
    )
}

fn skills(r: &ProgressReport) -> Rows<'_> {
    let columns = vec![
        col("Capability area", "The skill area"),
        col("Level", "The level organisations rated themselves"),
        col(
            "Organisations last year",
            "Organisations at this level last year",
        ),
        col(
            "Organisations this year",
            "Organisations at this level this year",
        ),
    ];
    let rows = r.market.skills.iter().map(|s| {
        vec![
            text(s.area.label()),
            text(s.level.label()),
            int(s.then),
            int(s.now),
        ]
    });
    table(
        "Skills since last year",
        columns,
        r.market.skills.len(),
        rows,
    )
}
