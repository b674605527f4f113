//! Tabular views of a cycle's returns, already redacted for a profile: one table per record
//! type (columns from the questionnaire, labels not codes), a readiness table per organisation
//! and the key figures. The xlsx and CSV writers both draw from these, so what an audience sees
//! is decided once.

use super::fields::Fields;
use super::profile::ExportProfile;
use crate::analysis::dates::{self, DEFAULT_LEAD_MONTHS, DecisionOptions, Urgency};
use crate::domain::enums::{
    BackupState, CafRating, MfaCoverage, RecordKind, SupportStatus, all_enumerations,
};
use crate::domain::questionnaire::{self, Field, FieldType};
use crate::domain::records::RecordData;
use crate::domain::values::{IsoDate, Pence};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::rc::Rc;
use uuid::Uuid;

/// One organisation's return for the cycle being exported: its live records.
#[derive(Debug, Clone)]
pub(crate) struct OrgReturn {
    pub(crate) name: String,
    pub(crate) scheme: String,
    pub(crate) code: String,
    pub(crate) records: Vec<(Uuid, RecordData)>,
}

impl OrgReturn {
    fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = (&Uuid, &RecordData)> {
        self.records
            .iter()
            .filter(move |(_, r)| r.kind() == kind)
            .map(|(id, r)| (id, r))
    }
}

/// Everything an export is made from.
#[derive(Debug, Clone)]
pub(crate) struct Dataset {
    pub(crate) cycle: String,
    /// LOTI's central store (every organisation) rather than one borough's.
    pub(crate) central: bool,
    pub(crate) returns: Vec<OrgReturn>,
    /// Returns status: the tracker (central) or the task-list sections (borough).
    pub(crate) status: Table,
    /// The export date, for urgency.
    pub(crate) today: NaiveDate,
}

/// A cell value, typed so that writers can format it natively.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Empty,
    Text(String),
    Int(i64),
    /// A measure such as a percentage or an index, shown to one decimal place.
    Number(f64),
    Money(Pence),
    Date(IsoDate),
    Bool(bool),
}

/// How a column is highlighted in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Highlight {
    None,
    /// A CAF rating: red / amber / green.
    CafRag,
    /// An ICO rating: red / amber / green.
    IcoRag,
    /// A date to act by: red when near or past, amber within a year.
    Urgency,
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) header: String,
    pub(crate) highlight: Highlight,
    /// What the column means, for the data dictionary.
    pub(crate) note: String,
}

impl Column {
    fn plain(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            highlight: Highlight::None,
            note: String::new(),
        }
    }

    fn noted(mut self, note: impl Into<String>) -> Column {
        self.note = note.into();
        self
    }
}

fn org_columns() -> [Column; 2] {
    [
        Column::plain("Organisation").noted("The organisation whose return this is"),
        Column::plain("Organisation code")
            .noted("The organisation's ONS GSS code (or its code in another scheme)"),
    ]
}

/// A titled table of typed cells.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) title: String,
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Vec<Value>>,
}

impl Table {
    pub(crate) fn new(title: impl Into<String>, headers: &[&str]) -> Table {
        Table {
            title: title.into(),
            columns: headers.iter().map(|h| Column::plain(*h)).collect(),
            rows: Vec::new(),
        }
    }
}

/// Enumeration labels by enumeration name and id.
pub(crate) struct Labels(HashMap<&'static str, Vec<(&'static str, &'static str)>>);

impl Labels {
    pub(crate) fn new() -> Labels {
        Labels(all_enumerations().into_iter().collect())
    }

    pub(crate) fn label(&self, enumeration: &str, id: &str) -> String {
        self.0
            .get(enumeration)
            .and_then(|o| o.iter().find(|(i, _)| *i == id))
            .map_or_else(|| id.to_string(), |(_, l)| (*l).to_string())
    }
}

fn field_value<'a>(json: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    let mut parts = name.splitn(2, '.');
    let outer = json.get(parts.next()?)?;
    let v = match parts.next() {
        Some(inner) => outer.get(inner)?,
        None => outer,
    };
    (!v.is_null()).then_some(v)
}

fn rating_prefix(keys: &str) -> &'static str {
    match keys {
        "CafOutcome" => "CAF ",
        "IcoCategory" => "ICO: ",
        _ => "",
    }
}

fn rating_highlight(rating: &str) -> Highlight {
    match rating {
        "CafRating" => Highlight::CafRag,
        "IcoRating" => Highlight::IcoRag,
        _ => Highlight::None,
    }
}

/// The fields of `kind` a profile keeps, skipping any named in `skip`.
fn kept_fields(kind: RecordKind, profile: ExportProfile, skip: &[&str]) -> Vec<&'static Field> {
    questionnaire::fields(kind)
        .iter()
        .filter(|f| profile.keeps(kind, f.name) && !skip.contains(&f.name))
        .collect()
}

fn field_columns(kind: RecordKind, fields: &[&Field]) -> Vec<Column> {
    let mut out = Vec::new();
    for f in fields {
        match f.field_type {
            FieldType::Ratings { keys, rating } => {
                for (_, label) in questionnaire::rating_keys(kind, keys) {
                    out.push(
                        Column {
                            header: format!("{}{label}", rating_prefix(keys)),
                            highlight: rating_highlight(rating),
                            note: String::new(),
                        }
                        .noted(format!("{}: {label}", f.label)),
                    );
                }
            }
            FieldType::Money => {
                out.push(Column::plain(format!("{} (£)", f.label)).noted(note_of(f, "In pounds")))
            }
            // A contract's end date is a date to act by, like its decision date.
            _ if kind == RecordKind::Contract && f.name == "end_date" => out.push(
                Column {
                    header: f.label.into(),
                    highlight: Highlight::Urgency,
                    note: String::new(),
                }
                .noted("Red within 6 months or passed, amber within a year"),
            ),
            _ => out.push(Column::plain(f.label).noted(note_of(f, ""))),
        }
    }
    out
}

fn note_of(f: &Field, fallback: &str) -> String {
    if f.hint.is_empty() {
        fallback.to_string()
    } else {
        f.hint.to_string()
    }
}

fn field_cells(
    kind: RecordKind,
    fields: &[&Field],
    record: Option<&RecordData>,
    names: &HashMap<Uuid, String>,
    labels: &Labels,
    out: &mut Vec<Value>,
) {
    let top = record.and_then(Fields::of);
    // A record that is not a plain struct (none today) falls back to the whole JSON tree.
    let json = match (&top, record) {
        (None, Some(r)) => r.to_json(),
        _ => serde_json::Value::Null,
    };
    for f in fields {
        let v = match &top {
            Some(top) => top.get(f.name),
            None => field_value(&json, f.name),
        };
        match f.field_type {
            FieldType::Ratings { keys, rating } => {
                for (id, _) in questionnaire::rating_keys(kind, keys) {
                    out.push(
                        v.and_then(|m| m.get(id))
                            .and_then(|r| r.as_str())
                            .map_or(Value::Empty, |r| Value::Text(labels.label(rating, r))),
                    );
                }
            }
            _ => out.push(v.map_or(Value::Empty, |v| cell(f.field_type, v, names, labels))),
        }
    }
}

fn cell(
    t: FieldType,
    v: &serde_json::Value,
    names: &HashMap<Uuid, String>,
    labels: &Labels,
) -> Value {
    let name_of = |v: &serde_json::Value| {
        let s = v.as_str().unwrap_or_default();
        Uuid::parse_str(s)
            .ok()
            .and_then(|u| names.get(&u).cloned())
            .unwrap_or_else(|| s.to_string())
    };
    match t {
        FieldType::Text | FieldType::LongText => {
            Value::Text(v.as_str().unwrap_or_default().to_string())
        }
        FieldType::Integer => v.as_i64().map_or(Value::Empty, Value::Int),
        FieldType::Money => v.as_i64().map_or(Value::Empty, |p| Value::Money(Pence(p))),
        FieldType::Date => v
            .as_str()
            .and_then(|s| IsoDate::parse(s).ok())
            .map_or(Value::Empty, Value::Date),
        FieldType::Boolean => v.as_bool().map_or(Value::Empty, Value::Bool),
        FieldType::Choice(e) => Value::Text(labels.label(e, v.as_str().unwrap_or_default())),
        FieldType::Reference(_) => Value::Text(name_of(v)),
        FieldType::References(_) => {
            let all: Vec<String> = v
                .as_array()
                .map(|a| a.iter().map(name_of).collect())
                .unwrap_or_default();
            if all.is_empty() {
                Value::Empty
            } else {
                Value::Text(all.join("; "))
            }
        }
        FieldType::TextList => {
            let all: Vec<&str> = v
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            if all.is_empty() {
                Value::Empty
            } else {
                Value::Text(all.join("; "))
            }
        }
        FieldType::Ratings { .. } => Value::Empty,
    }
}

fn names_of(ret: &OrgReturn) -> HashMap<Uuid, String> {
    ret.records.iter().map(|(id, r)| (*id, r.label())).collect()
}

/// A table whose rows are made one at a time as a writer asks for them, so that a large export
/// holds one row in memory, not the whole table.
pub(crate) struct Rows<'a> {
    pub(crate) title: String,
    pub(crate) columns: Vec<Column>,
    /// How many rows `rows` yields.
    pub(crate) count: usize,
    pub(crate) rows: Box<dyn Iterator<Item = Vec<Value>> + 'a>,
}

impl Table {
    pub(crate) fn into_rows<'a>(self) -> Rows<'a> {
        Rows {
            title: self.title,
            columns: self.columns,
            count: self.rows.len(),
            rows: Box::new(self.rows.into_iter()),
        }
    }
}

/// Every record of `kind` in the dataset, one row each, with the columns `profile` keeps.
/// Contracts gain a decision date and the days left until it.
pub(crate) fn records_rows(ds: &Dataset, kind: RecordKind, profile: ExportProfile) -> Rows<'_> {
    let labels = Rc::new(Labels::new());
    let fields: Rc<Vec<&'static Field>> = Rc::new(kept_fields(kind, profile, &[]));
    let mut columns = Vec::from(org_columns());
    columns.push(
        Column::plain("Record id").noted("The record's id; it stays the same from cycle to cycle"),
    );
    columns.extend(field_columns(kind, &fields));
    if kind == RecordKind::Contract {
        columns.push(
            Column {
                header: "Decision date".into(),
                highlight: Highlight::Urgency,
                note: String::new(),
            }
            .noted(format!(
                "End date (or, without one, the latest end date) less the notice period less {} \
                 months' lead time: the last day to decide what happens next. Red within {} \
                 days or passed, amber within {} days",
                DEFAULT_LEAD_MONTHS,
                dates::URGENT_DAYS,
                dates::SOON_DAYS
            )),
        );
        columns.push(
            Column::plain("Days to decision")
                .noted("Days from the export date to the decision date (negative: passed)"),
        );
    }
    let count = ds.returns.iter().map(|r| r.of_kind(kind).count()).sum();
    let today = ds.today;
    let rows = ds.returns.iter().flat_map(move |ret| {
        let names = Rc::new(names_of(ret));
        let (labels, fields) = (Rc::clone(&labels), Rc::clone(&fields));
        ret.of_kind(kind).map(move |(id, record)| {
            let mut row = vec![
                Value::Text(ret.name.clone()),
                Value::Text(ret.code.clone()),
                Value::Text(id.to_string()),
            ];
            field_cells(kind, &fields, Some(record), &names, &labels, &mut row);
            if let RecordData::Contract(c) = record {
                match decision_date(c) {
                    Some(d) => {
                        row.push(Value::Date(d));
                        row.push(Value::Int((d.0 - today).num_days()));
                    }
                    None => row.extend([Value::Empty, Value::Empty]),
                }
            }
            row
        })
    });
    Rows {
        title: kind.plural().into(),
        columns,
        count,
        rows: Box::new(rows),
    }
}

/// Counts per organisation derived from sensitive answers (`committee` and `full` only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SensitiveCounts {
    pub(crate) internet_facing: i64,
    pub(crate) without_full_mfa: i64,
    pub(crate) not_patched: i64,
    pub(crate) without_offline_backups: i64,
    pub(crate) with_known_vulnerabilities: i64,
    pub(crate) caf_achieved: i64,
    pub(crate) caf_partial: i64,
    pub(crate) caf_not_achieved: i64,
    /// An IT health check in the twelve months before the export; `None` if not answered.
    pub(crate) recent_it_health_check: Option<bool>,
}

pub(crate) fn sensitive_counts(ret: &OrgReturn, today: NaiveDate) -> SensitiveCounts {
    let mut c = SensitiveCounts::default();
    let mut caf = |rating: &CafRating| match rating {
        CafRating::Achieved => c.caf_achieved += 1,
        CafRating::Partial => c.caf_partial += 1,
        CafRating::NotAchieved => c.caf_not_achieved += 1,
    };
    let mut ithc = None;
    let (mut internet, mut mfa, mut patch, mut backups, mut vulns) = (0, 0, 0, 0, 0);
    for (_, r) in &ret.records {
        match r {
            RecordData::System(s) => {
                internet += i64::from(s.internet_facing == Some(true));
                mfa += i64::from(matches!(
                    s.mfa,
                    Some(MfaCoverage::AdminsOnly | MfaCoverage::NoMfa)
                ));
                patch += i64::from(s.patched_within_14_days == Some(false));
                backups += i64::from(matches!(
                    s.backups,
                    Some(BackupState::OnlineOnly | BackupState::NoBackups)
                ));
                vulns += i64::from(s.known_vulnerabilities.is_some());
                s.caf.values().for_each(&mut caf);
            }
            RecordData::Cyber(cy) => {
                cy.caf.values().for_each(&mut caf);
                ithc = cy
                    .last_it_health_check
                    .map(|d| (today - d.0).num_days() <= 365);
            }
            _ => {}
        }
    }
    c.internet_facing = internet;
    c.without_full_mfa = mfa;
    c.not_patched = patch;
    c.without_offline_backups = backups;
    c.with_known_vulnerabilities = vulns;
    c.recent_it_health_check = ithc;
    c
}

/// One row per organisation: certificates, ICO ratings (all profiles), CAF ratings (full only)
/// and counts from sensitive answers (committee and full).
pub(crate) fn readiness_table(ds: &Dataset, profile: ExportProfile) -> Table {
    let labels = Labels::new();
    let cyber = kept_fields(RecordKind::Cyber, profile, &["notes"]);
    let gdpr = kept_fields(RecordKind::Gdpr, profile, &["notes"]);
    let mut columns = Vec::from(org_columns());
    columns.push(Column::plain("Systems").noted("Systems in the return"));
    columns.push(
        Column::plain("Systems out of support")
            .noted("Systems whose version the supplier no longer supports"),
    );
    columns.extend(field_columns(RecordKind::Cyber, &cyber));
    columns.extend(field_columns(RecordKind::Gdpr, &gdpr));
    let counts = profile.shows_sensitive_counts();
    if counts {
        let count = "A count per organisation from sensitive answers (never per system)";
        for h in [
            "Internet-facing systems",
            "Systems without MFA for all users",
            "Systems not patched within 14 days",
            "Systems without offline or immutable backups",
            "Systems with known vulnerabilities",
            "CAF outcomes achieved",
            "CAF outcomes partially achieved",
            "CAF outcomes not achieved",
        ] {
            columns.push(Column::plain(h).noted(count));
        }
        columns.push(
            Column::plain("IT health check in the last 12 months")
                .noted("From the date of the last IT health check (sensitive), as yes or no"),
        );
    }
    let mut rows = Vec::new();
    for ret in &ds.returns {
        let names = names_of(ret);
        let systems: Vec<&RecordData> = ret.of_kind(RecordKind::System).map(|(_, r)| r).collect();
        let out_of_support = systems
            .iter()
            .filter(|r| {
                matches!(r, RecordData::System(s) if s.support_status == Some(SupportStatus::OutOfSupport))
            })
            .count();
        let mut row = vec![
            Value::Text(ret.name.clone()),
            Value::Text(ret.code.clone()),
            Value::Int(systems.len() as i64),
            Value::Int(out_of_support as i64),
        ];
        let cy = ret.of_kind(RecordKind::Cyber).map(|(_, r)| r).next();
        field_cells(RecordKind::Cyber, &cyber, cy, &names, &labels, &mut row);
        let gd = ret.of_kind(RecordKind::Gdpr).map(|(_, r)| r).next();
        field_cells(RecordKind::Gdpr, &gdpr, gd, &names, &labels, &mut row);
        if counts {
            let c = sensitive_counts(ret, ds.today);
            row.extend(
                [
                    c.internet_facing,
                    c.without_full_mfa,
                    c.not_patched,
                    c.without_offline_backups,
                    c.with_known_vulnerabilities,
                    c.caf_achieved,
                    c.caf_partial,
                    c.caf_not_achieved,
                ]
                .map(Value::Int),
            );
            row.push(c.recent_it_health_check.map_or(Value::Empty, Value::Bool));
        }
        rows.push(row);
    }
    Table {
        title: "Readiness".into(),
        columns,
        rows,
    }
}

/// A contract's decision date by the one rule (`analysis::dates`), with the default options.
pub(crate) fn decision_date(c: &crate::domain::records::Contract) -> Option<IsoDate> {
    dates::decide(c, &DecisionOptions::default()).decision
}

/// The headline figures of the summary sheet.
pub(crate) fn key_figures(ds: &Dataset, profile: ExportProfile) -> Vec<(String, Value)> {
    let count = |kind: RecordKind| {
        ds.returns
            .iter()
            .map(|r| r.of_kind(kind).count() as i64)
            .sum::<i64>()
    };
    let contracts: Vec<&RecordData> = ds
        .returns
        .iter()
        .flat_map(|r| r.of_kind(RecordKind::Contract).map(|(_, c)| c))
        .collect();
    let annual: i64 = contracts
        .iter()
        .filter_map(|r| match r {
            RecordData::Contract(c) => c.annual_value.map(|p| p.0),
            _ => None,
        })
        .sum();
    let within_year = contracts
        .iter()
        .filter(|r| match r {
            RecordData::Contract(c) => {
                matches!(
                    Urgency::of(decision_date(c), IsoDate(ds.today)),
                    Urgency::Past | Urgency::Urgent | Urgency::Soon
                )
            }
            _ => false,
        })
        .count() as i64;
    let out_of_support = ds
        .returns
        .iter()
        .flat_map(|r| r.of_kind(RecordKind::System))
        .filter(|(_, r)| {
            matches!(r, RecordData::System(s) if s.support_status == Some(SupportStatus::OutOfSupport))
        })
        .count() as i64;
    let mut out = vec![
        ("Cycle".to_string(), Value::Text(ds.cycle.clone())),
        (
            "Organisations with a return".into(),
            Value::Int(ds.returns.len() as i64),
        ),
        ("Systems".into(), Value::Int(count(RecordKind::System))),
        ("Contracts".into(), Value::Int(count(RecordKind::Contract))),
        ("Suppliers".into(), Value::Int(count(RecordKind::Supplier))),
        (
            "Annual value of contracts".into(),
            Value::Money(Pence(annual)),
        ),
        (
            "Contracts with a decision due within 12 months (or passed)".into(),
            Value::Int(within_year),
        ),
        ("Systems out of support".into(), Value::Int(out_of_support)),
    ];
    if profile.shows_sensitive_counts() {
        let all: Vec<SensitiveCounts> = ds
            .returns
            .iter()
            .map(|r| sensitive_counts(r, ds.today))
            .collect();
        let sum = |f: fn(&SensitiveCounts) -> i64| Value::Int(all.iter().map(f).sum());
        out.push((
            "Systems not patched within 14 days".into(),
            sum(|c| c.not_patched),
        ));
        out.push((
            "Systems without MFA for all users".into(),
            sum(|c| c.without_full_mfa),
        ));
        out.push((
            "CAF outcomes not achieved".into(),
            sum(|c| c.caf_not_achieved),
        ));
    }
    out
}

/// Systems per service area, largest first (for a chart).
pub(crate) fn systems_by_service_area(ds: &Dataset) -> Vec<(String, i64)> {
    let mut counts: HashMap<String, i64> = HashMap::new();
    for ret in &ds.returns {
        for (_, r) in ret.of_kind(RecordKind::System) {
            if let RecordData::System(s) = r {
                let area = s
                    .service_area
                    .map_or("Not given".to_string(), |a| a.label().to_string());
                *counts.entry(area).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(String, i64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Contracts by how soon their decision falls (for a chart), in time order.
pub(crate) fn contracts_by_decision_window(ds: &Dataset) -> Vec<(String, i64)> {
    let windows = [
        "Passed",
        "Within 6 months",
        "6 to 12 months",
        "1 to 2 years",
        "Later",
        "No end date",
    ];
    let mut counts = [0i64; 6];
    for ret in &ds.returns {
        for (_, r) in ret.of_kind(RecordKind::Contract) {
            if let RecordData::Contract(c) = r {
                let date = decision_date(c);
                let i = match Urgency::of(date, IsoDate(ds.today)) {
                    Urgency::Past => 0,
                    Urgency::Urgent => 1,
                    Urgency::Soon => 2,
                    Urgency::Later
                        if date.is_some_and(|d| d.0 <= ds.today + chrono::Days::new(730)) =>
                    {
                        3
                    }
                    Urgency::Later => 4,
                    Urgency::Unknown => 5,
                };
                counts[i] += 1;
            }
        }
    }
    windows
        .iter()
        .zip(counts)
        .map(|(w, c)| ((*w).to_string(), c))
        .collect()
}
