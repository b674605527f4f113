//! The committee workbook's analysis sheets, from LOTI's [`AnalysisReport`]: joint-procurement
//! windows, contract decision dates, supplier concentration (summary and shares), the CAF and
//! ICO readiness heatmaps as counts, certificates and support, and skills pairs. Redaction: the
//! CAF heatmap (sensitive answers) is left out of the `open` profile, and is one row for all
//! organisations unless the report was made with sensitive details (the `full` profile, which
//! alone names systems out of support).

//!
//! Each sheet's rows are made from the report one at a time as the sheet is written (the report
//! is already in memory; a second copy as a table is not made).

use super::profile::ExportProfile;
use super::table::{Column, Highlight, Rows, Value};
use super::workbook::MakeTable;
use crate::analysis::AnalysisReport;
use crate::analysis::concentration::ConcentrationSlice;
use crate::analysis::concentration::{HHI_HIGH, HHI_MODERATE};
use crate::analysis::readiness::CertificateState;

fn col(header: &str, note: &str) -> Column {
    Column {
        header: header.into(),
        highlight: Highlight::None,
        note: note.into(),
    }
}

/// A sheet of `count` rows made by `rows` as the writer asks for them.
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

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn int(n: impl TryInto<i64>) -> Value {
    n.try_into().map_or(Value::Empty, Value::Int)
}

fn opt_text(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Empty, |s| text(s.clone()))
}

/// Every analysis sheet the profile may show, in order.
pub(crate) fn analysis_tables(r: &AnalysisReport, profile: ExportProfile) -> Vec<MakeTable<'_>> {
    let mut out: Vec<MakeTable<'_>> = vec![
        Box::new(|| windows(r)),
        Box::new(|| decisions(r)),
        Box::new(|| concentration_summary(r)),
        Box::new(|| concentration_shares(r)),
    ];
    if profile != ExportProfile::Open {
        out.push(Box::new(|| caf_heatmap(r)));
    }
    out.push(Box::new(|| ico_heatmap(r)));
    out.push(Box::new(|| certificates(r)));
    out.push(Box::new(move || support(r, profile)));
    out.push(Box::new(|| skills(r)));
    out
}

fn windows(r: &AnalysisReport) -> Rows<'_> {
    let (title, columns) = (
        "Joint procurement windows",
        vec![
            col("Rank", "1 = the most annual value at stake"),
            col(
                "Grouping",
                "What the contracts share: product, supplier or service area",
            ),
            col("Shared", "The product, supplier or service area"),
            col(
                "Organisations",
                "How many organisations have a contract in the window",
            ),
            col("Organisation names", "Who would buy together"),
            col("Contracts", "Contracts in the window"),
            Column {
                highlight: Highlight::Urgency,
                ..col(
                    "First decision",
                    "The earliest last date to act in the window",
                )
            },
            col("Last decision", "The latest last date to act in the window"),
            col(
                "Annual value",
                "Sum of the contracts' annual values (unknown counts as 0)",
            ),
            col(
                "Contracts without value",
                "Contracts with no annual value given",
            ),
            col("Why", "The window explained"),
        ],
    );
    let rows = r.windows.iter().map(|w| {
        vec![
            int(w.rank),
            text(w.grouping.id().replace('_', " ")),
            text(w.group_name.clone()),
            int(w.organisations.len()),
            text(w.organisation_names.join(", ")),
            int(w.contracts.len()),
            Value::Date(w.first_decision),
            Value::Date(w.last_decision),
            Value::Money(w.annual_value),
            int(w.contracts_without_value),
            text(w.explanation.clone()),
        ]
    });
    table(title, columns, r.windows.len(), rows)
}

fn decisions(r: &AnalysisReport) -> Rows<'_> {
    let (title, columns) = (
        "Decision dates",
        vec![
            col("Organisation", "The organisation holding the contract"),
            col("Contract", "The contract's title"),
            col("Supplier", "The supplier, as matched across organisations"),
            col("Products", "Products of the systems the contract covers"),
            col("Service areas", "Service areas of those systems"),
            col("End date", "When the contract ends"),
            col("Notice period (days)", "Days of notice the contract needs"),
            col(
                "Give notice by",
                "The end date used, less the notice period",
            ),
            Column {
                highlight: Highlight::Urgency,
                ..col(
                    "Decision date",
                    "The last day to act: notice date less the lead time to procure",
                )
            },
            col("Annual value", "The contract's annual value"),
            col("Notes", "Why a date is missing or uncertain"),
        ],
    );
    let rows = r.decisions.iter().map(|d| {
        vec![
            text(d.organisation_name.clone()),
            text(d.title.clone()),
            opt_text(&d.supplier_name),
            text(d.product_names.join(", ")),
            text(
                d.service_areas
                    .iter()
                    .map(|a| a.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            d.end_date.map_or(Value::Empty, Value::Date),
            d.notice_period_days.map_or(Value::Empty, int),
            d.notice_by.map_or(Value::Empty, Value::Date),
            d.decision_date.map_or(Value::Empty, Value::Date),
            d.annual_value.map_or(Value::Empty, Value::Money),
            text(d.notes.join("; ")),
        ]
    });
    table(title, columns, r.decisions.len(), rows)
}

fn slices(r: &AnalysisReport) -> impl Iterator<Item = &ConcentrationSlice> {
    std::iter::once(&r.concentration.overall).chain(r.concentration.by_service_area.iter())
}

fn concentration_summary(r: &AnalysisReport) -> Rows<'_> {
    let (title, columns) = (
        "Supplier concentration",
        vec![
            col("Scope", "Every contract, or one service area's"),
            col("Contracts", "Contracts in scope"),
            col("Contracts without supplier", "Contracts naming no supplier"),
            col("Annual value", "Sum of annual values in scope"),
            col("Suppliers", "Distinct suppliers"),
            col(
                "Top 10 share of contracts (%)",
                "Share of contracts held by the 10 largest suppliers",
            ),
            col(
                "Top 10 share of value (%)",
                "Share of annual value held by the 10 largest suppliers",
            ),
            col(
                "HHI (contracts)",
                &format!(
                    "Herfindahl-Hirschman index on shares of contracts: 0 to 10,000; from {HHI_MODERATE} moderately, from {HHI_HIGH} highly concentrated"
                ),
            ),
            col(
                "HHI (value)",
                "Herfindahl-Hirschman index on shares of value",
            ),
        ],
    );
    let rows = slices(r).map(|s| {
        vec![
            text(s.label.clone()),
            int(s.contracts),
            int(s.contracts_without_supplier),
            Value::Money(s.annual_value),
            int(s.supplier_count),
            Value::Number(s.top10_contract_share_pct),
            Value::Number(s.top10_value_share_pct),
            Value::Number(s.hhi_contracts),
            Value::Number(s.hhi_value),
        ]
    });
    table(title, columns, slices(r).count(), rows)
}

fn concentration_shares(r: &AnalysisReport) -> Rows<'_> {
    let (title, columns) = (
        "Supplier shares",
        vec![
            col("Scope", "Every contract, or one service area's"),
            col("Supplier", "The supplier, as matched across organisations"),
            col("Contracts", "Its contracts in scope"),
            col(
                "Share of contracts (%)",
                "Percent of contracts with a known supplier",
            ),
            col("Annual value", "Annual value of its contracts"),
            col(
                "Share of value (%)",
                "Percent of the annual value with a known supplier",
            ),
            col("Organisations", "Organisations with a contract with it"),
        ],
    );
    let rows = slices(r).flat_map(|s| {
        s.suppliers.iter().map(move |p| {
            vec![
                text(s.label.clone()),
                text(p.supplier_name.clone()),
                int(p.contracts),
                Value::Number(p.contract_share_pct),
                Value::Money(p.annual_value),
                Value::Number(p.value_share_pct),
                int(p.organisations),
            ]
        })
    });
    let count = slices(r).map(|s| s.suppliers.len()).sum();
    table(title, columns, count, rows)
}

fn caf_heatmap(r: &AnalysisReport) -> Rows<'_> {
    let (title, columns) = (
        "CAF heatmap",
        vec![
            col(
                "Organisation",
                "One organisation, or all organisations together (unless the full profile)",
            ),
            col(
                "CAF principle",
                "NCSC Cyber Assessment Framework principle (A1 to D2)",
            ),
            col("Achieved", "Contributing outcomes rated achieved"),
            col(
                "Partially achieved",
                "Contributing outcomes rated partially achieved",
            ),
            col("Not achieved", "Contributing outcomes rated not achieved"),
            col(
                "Score (%)",
                "Achieved = 100, partially = 50, not = 0, averaged; empty when nothing was rated",
            ),
        ],
    );
    let rows = r.readiness.caf.iter().flat_map(|row| {
        row.cells.iter().map(move |c| {
            vec![
                text(row.name.clone()),
                text(c.principle.clone()),
                int(c.achieved),
                int(c.partial),
                int(c.not_achieved),
                c.score_pct.map_or(Value::Empty, Value::Number),
            ]
        })
    });
    let count = r.readiness.caf.iter().map(|row| row.cells.len()).sum();
    table(title, columns, count, rows)
}

fn ico_heatmap(r: &AnalysisReport) -> Rows<'_> {
    let mut columns = vec![col("Organisation", "The organisation")];
    for c in &r.readiness.ico_categories {
        columns.push(Column {
            highlight: Highlight::IcoRag,
            ..col(c.label(), "The organisation's ICO self-assessment rating")
        });
    }
    let rows = r.readiness.ico.iter().map(|row| {
        let mut cells = vec![text(row.name.clone())];
        cells.extend(
            row.ratings
                .iter()
                .map(|x| x.map_or(Value::Empty, |x| text(x.label()))),
        );
        cells
    });
    table("ICO heatmap", columns, r.readiness.ico.len(), rows)
}

fn state_label(s: CertificateState) -> &'static str {
    match s {
        CertificateState::Valid => "Valid",
        CertificateState::ExpiringSoon => "Expiring soon",
        CertificateState::Expired => "Expired",
        CertificateState::NoExpiryDate => "No expiry date",
        CertificateState::NotHeld => "Not held",
    }
}

fn certificates(r: &AnalysisReport) -> Rows<'_> {
    let soon = format!("within {} days", r.readiness.within_days);
    let (title, columns) = (
        "Certificates",
        vec![
            col("Organisation", "The organisation"),
            col(
                "Cyber Essentials",
                &format!("Valid, expiring soon ({soon}), expired, …"),
            ),
            col("Cyber Essentials expiry", "When the certificate expires"),
            col("PSN", &format!("Valid, expiring soon ({soon}), expired, …")),
            col("PSN expiry", "When the PSN compliance certificate expires"),
        ],
    );
    let rows = r.readiness.certificates.iter().map(|c| {
        vec![
            text(c.name.clone()),
            text(state_label(c.ce_state)),
            c.ce_expiry.map_or(Value::Empty, Value::Date),
            text(state_label(c.psn_state)),
            c.psn_expiry.map_or(Value::Empty, Value::Date),
        ]
    });
    table(title, columns, r.readiness.certificates.len(), rows)
}

fn support(r: &AnalysisReport, profile: ExportProfile) -> Rows<'_> {
    let named = profile == ExportProfile::Full && r.readiness.include_sensitive;
    let mut columns = vec![
        col("Organisation", "The organisation"),
        col("Systems", "Systems in its return"),
        col("Out of support", "Systems marked out of support"),
        col(
            "Past end of support",
            "Not marked out of support, but the end-of-support date has passed",
        ),
        col(
            "Support ending soon",
            &format!("End of support within {} days", r.readiness.within_days),
        ),
    ];
    if named {
        columns.push(col(
            "Systems out of support",
            "Their names (full profile only)",
        ));
    }
    let rows = r.readiness.support.iter().map(move |s| {
        let mut row = vec![
            text(s.name.clone()),
            int(s.systems),
            int(s.out_of_support),
            int(s.past_end_of_support),
            int(s.ending_soon),
        ];
        if named {
            row.push(text(
                s.details
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        row
    });
    table(
        "Systems out of support",
        columns,
        r.readiness.support.len(),
        rows,
    )
}

fn skills(r: &AnalysisReport) -> Rows<'_> {
    let level = |l: Option<crate::domain::enums::SkillLevel>| l.map_or("", |l| l.label());
    let (title, columns) = (
        "Skills pairs",
        vec![
            col("Rank", "1 = the strongest match"),
            col("Skill area", "What the pair would share"),
            col(
                "Can help",
                "The organisation strong in the area, or offering help",
            ),
            col("Their level", "Its self-assessed level"),
            col(
                "Would benefit",
                "The organisation weak in the area, or asking for help",
            ),
            col("Their level (seeker)", "Its self-assessed level"),
            col(
                "Score",
                "10 per level between them, plus 5 for an offer and 5 for a request",
            ),
            col("Why", "The pairing explained"),
        ],
    );
    let rows = r.skills.iter().map(move |p| {
        vec![
            int(p.rank),
            text(p.area.label()),
            text(p.provider_name.clone()),
            text(level(p.provider_level)),
            text(p.seeker_name.clone()),
            text(level(p.seeker_level)),
            int(p.score),
            text(p.reason.clone()),
        ]
    });
    table(title, columns, r.skills.len(), rows)
}
