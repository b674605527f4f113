//! The records a return holds — systems, contracts, suppliers, products, skills and the two
//! organisation-level readiness questionnaires — with parsing from JSON, normalisation and the
//! validation that must pass before anything is saved. What must be answered before a section
//! is complete is `completeness`'s business, not this module's.

use super::caf::CafOutcome;
use super::enums::*;
use super::values::{IsoDate, Pence};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A problem with one field of a record, in plain English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: String,
    pub message: String,
    /// The field takes text and was given another type of value (a number, say).
    pub expected_text: bool,
}

impl FieldIssue {
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        FieldIssue {
            expected_text: false,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// GDPR answers for one system that holds personal data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct SystemGdpr {
    /// Is the processing in the record of processing activities (Art 30)?
    pub ropa_entry: Option<bool>,
    pub lawful_basis: Option<LawfulBasis>,
    /// The Art 9 condition, where special category data is processed (free text).
    pub special_category_condition: Option<String>,
    pub dpia_status: Option<DpiaStatus>,
    pub art28_terms: Option<Art28Terms>,
    pub transfers: Option<TransferMechanism>,
    pub data_location: Option<String>,
}

/// An IT system the organisation runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct System {
    pub name: String,
    pub description: Option<String>,
    pub product_id: Option<Uuid>,
    pub supplier_id: Option<Uuid>,
    pub service_area: Option<ServiceArea>,
    /// Optional Local Government Service List code.
    pub lgsl_code: Option<u32>,
    pub category: Option<SystemCategory>,
    pub hosting: Option<Hosting>,
    pub users: Option<u32>,
    pub criticality: Option<Criticality>,
    pub support_status: Option<SupportStatus>,
    pub end_of_support: Option<IsoDate>,
    pub satisfaction: Option<Satisfaction>,
    pub personal_data: Option<bool>,
    pub special_category_data: Option<bool>,
    /// Sensitive.
    pub internet_facing: Option<bool>,
    /// Sensitive.
    pub mfa: Option<MfaCoverage>,
    /// Sensitive: high and critical fixes applied within 14 days.
    pub patched_within_14_days: Option<bool>,
    /// Sensitive.
    pub backups: Option<BackupState>,
    /// Sensitive.
    pub last_restore_test: Option<IsoDate>,
    /// Sensitive: known unfixed vulnerabilities.
    pub known_vulnerabilities: Option<String>,
    pub gdpr: SystemGdpr,
    /// Sensitive: CAF objectives B and C, for critical systems.
    pub caf: BTreeMap<CafOutcome, CafRating>,
    pub notes: Option<String>,
}

/// A contract for software, hosting or services.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Contract {
    pub title: String,
    pub reference: Option<String>,
    pub supplier_id: Option<Uuid>,
    pub system_ids: Vec<Uuid>,
    pub start_date: Option<IsoDate>,
    pub end_date: Option<IsoDate>,
    /// The latest end date if every extension is taken.
    pub latest_end_date: Option<IsoDate>,
    /// A rolling contract has no fixed end date.
    pub rolling: Option<bool>,
    pub notice_period_days: Option<u32>,
    pub auto_renews: Option<bool>,
    pub annual_value: Option<Pence>,
    pub total_value: Option<Pence>,
    pub procurement_route: Option<ProcurementRoute>,
    /// Framework reference, e.g. RM1557.14.
    pub framework_ref: Option<String>,
    pub notes: Option<String>,
}

/// A supplier, identified by Companies House number or PPON where known.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Supplier {
    pub name: String,
    /// Companies House number, 8 characters (zero-padded), e.g. 01234567 or SC123456.
    pub companies_house: Option<String>,
    /// Procurement Act organisation number (GB-PPON).
    pub ppon: Option<String>,
    /// The supplier has no UK identifier (e.g. overseas or a sole trader).
    pub no_uk_identifier: Option<bool>,
    pub sme: Option<bool>,
    /// Other spellings of the name seen in registers.
    pub aliases: Vec<String>,
    pub notes: Option<String>,
}

/// A product (software package) made by a supplier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Product {
    pub name: String,
    /// The manufacturer.
    pub supplier_id: Option<Uuid>,
    pub notes: Option<String>,
}

/// A capability the organisation rates itself on, for peer support.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Skill {
    pub area: Option<SkillArea>,
    pub level: Option<SkillLevel>,
    pub can_offer_support: Option<bool>,
    pub wants_support: Option<bool>,
    pub notes: Option<String>,
}

/// Organisation-level GDPR readiness: the ICO accountability framework.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct GdprReadiness {
    pub dpo_appointed: Option<bool>,
    pub ico_registration: Option<String>,
    pub ratings: BTreeMap<IcoCategory, IcoRating>,
    pub notes: Option<String>,
}

/// Organisation-level cyber readiness.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct CyberReadiness {
    pub cyber_essentials: Option<CeStatus>,
    pub cyber_essentials_expiry: Option<IsoDate>,
    pub psn: Option<PsnStatus>,
    pub psn_expiry: Option<IsoDate>,
    /// Sensitive.
    pub last_it_health_check: Option<IsoDate>,
    /// Sensitive: CAF objectives A and D.
    pub caf: BTreeMap<CafOutcome, CafRating>,
    pub notes: Option<String>,
}

/// Any record, tagged by its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
#[ts(export)]
pub enum RecordData {
    System(System),
    Contract(Contract),
    Supplier(Supplier),
    Product(Product),
    Skill(Skill),
    Gdpr(GdprReadiness),
    Cyber(CyberReadiness),
}

/// Fields that describe exposure, patching, vulnerabilities or CAF ratings. They are kept out of
/// open exports; this list is the one place that says so.
pub(crate) const SENSITIVE_FIELDS: &[(RecordKind, &str)] = &[
    (RecordKind::System, "internet_facing"),
    (RecordKind::System, "mfa"),
    (RecordKind::System, "patched_within_14_days"),
    (RecordKind::System, "backups"),
    (RecordKind::System, "last_restore_test"),
    (RecordKind::System, "known_vulnerabilities"),
    (RecordKind::System, "caf"),
    (RecordKind::Cyber, "last_it_health_check"),
    (RecordKind::Cyber, "caf"),
];

/// Whether a top-level field of a record kind is sensitive.
pub fn is_sensitive(kind: RecordKind, field: &str) -> bool {
    SENSITIVE_FIELDS
        .iter()
        .any(|(k, f)| *k == kind && *f == field)
}

impl RecordData {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordData::System(_) => RecordKind::System,
            RecordData::Contract(_) => RecordKind::Contract,
            RecordData::Supplier(_) => RecordKind::Supplier,
            RecordData::Product(_) => RecordKind::Product,
            RecordData::Skill(_) => RecordKind::Skill,
            RecordData::Gdpr(_) => RecordKind::Gdpr,
            RecordData::Cyber(_) => RecordKind::Cyber,
        }
    }

    /// An empty record of a kind (its JSON lists every field the questionnaire has).
    pub fn empty(kind: RecordKind) -> RecordData {
        match kind {
            RecordKind::System => RecordData::System(System::default()),
            RecordKind::Contract => RecordData::Contract(Contract::default()),
            RecordKind::Supplier => RecordData::Supplier(Supplier::default()),
            RecordKind::Product => RecordData::Product(Product::default()),
            RecordKind::Skill => RecordData::Skill(Skill::default()),
            RecordKind::Gdpr => RecordData::Gdpr(GdprReadiness::default()),
            RecordKind::Cyber => RecordData::Cyber(CyberReadiness::default()),
        }
    }

    /// Parses a record of `kind` from its JSON fields, naming the field at fault.
    pub fn from_json(kind: RecordKind, value: serde_json::Value) -> Result<RecordData, FieldIssue> {
        RecordData::from_json_ref(kind, &value)
    }

    /// A record read straight from JSON text, as the store keeps it, without building a
    /// [`serde_json::Value`] first (that tree cost as much as the rest of reading a cycle's
    /// returns for analysis). `None` when the text does not read plainly: then use
    /// [`RecordData::from_json`], which names the field at fault.
    pub(crate) fn from_json_text(kind: RecordKind, text: &str) -> Option<RecordData> {
        fn direct<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
            serde_json::from_str(text).ok()
        }
        match kind {
            RecordKind::System => direct(text).map(RecordData::System),
            RecordKind::Contract => direct(text).map(RecordData::Contract),
            RecordKind::Supplier => direct(text).map(RecordData::Supplier),
            RecordKind::Product => direct(text).map(RecordData::Product),
            RecordKind::Skill => direct(text).map(RecordData::Skill),
            RecordKind::Gdpr => direct(text).map(RecordData::Gdpr),
            RecordKind::Cyber => direct(text).map(RecordData::Cyber),
        }
    }

    /// A record of `kind` read straight from its JSON text (as received in a bundle), naming
    /// the field at fault like [`RecordData::from_json`]. Stricter than going through a
    /// [`serde_json::Value`] in one way: a field named twice is refused (a `Value` keeps the
    /// last one silently).
    pub(crate) fn from_json_raw(kind: RecordKind, text: &str) -> Result<RecordData, FieldIssue> {
        fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, FieldIssue> {
            if !text.trim_start().starts_with('{') {
                return Err(FieldIssue::new(
                    "",
                    "the record must be a JSON object of field names and values",
                ));
            }
            // Plainly first; the path-tracking deserialiser only to name the field at fault.
            let direct = match serde_json::from_str(text) {
                Ok(t) => return Ok(t),
                Err(e) => e,
            };
            let mut de = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(path_issue(e)),
                // Only trailing text fails plainly but not here.
                Ok(_) => Err(FieldIssue::new("", tidy_serde_message(&direct.to_string()))),
            }
        }
        Ok(match kind {
            RecordKind::System => RecordData::System(parse(text)?),
            RecordKind::Contract => RecordData::Contract(parse(text)?),
            RecordKind::Supplier => RecordData::Supplier(parse(text)?),
            RecordKind::Product => RecordData::Product(parse(text)?),
            RecordKind::Skill => RecordData::Skill(parse(text)?),
            RecordKind::Gdpr => RecordData::Gdpr(parse(text)?),
            RecordKind::Cyber => RecordData::Cyber(parse(text)?),
        })
    }

    /// [`RecordData::from_json`] without taking the value (nothing is cloned).
    pub(crate) fn from_json_ref(
        kind: RecordKind,
        value: &serde_json::Value,
    ) -> Result<RecordData, FieldIssue> {
        fn parse<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, FieldIssue> {
            if !v.is_object() {
                return Err(FieldIssue::new(
                    "",
                    "the record must be a JSON object of field names and values",
                ));
            }
            // Most records are valid: deserialise plainly first, and only when that fails
            // again with the path-tracking deserialiser, to name the field at fault (the
            // tracking cost as much as the rest of a bundle import).
            if let Ok(t) = T::deserialize(v) {
                return Ok(t);
            }
            serde_path_to_error::deserialize(v).map_err(path_issue)
        }
        Ok(match kind {
            RecordKind::System => RecordData::System(parse(value)?),
            RecordKind::Contract => RecordData::Contract(parse(value)?),
            RecordKind::Supplier => RecordData::Supplier(parse(value)?),
            RecordKind::Product => RecordData::Product(parse(value)?),
            RecordKind::Skill => RecordData::Skill(parse(value)?),
            RecordKind::Gdpr => RecordData::Gdpr(parse(value)?),
            RecordKind::Cyber => RecordData::Cyber(parse(value)?),
        })
    }

    /// The record's fields as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        // The same value as the `data` half of the tagged form, without building the whole.
        let v = match self {
            RecordData::System(r) => serde_json::to_value(r),
            RecordData::Contract(r) => serde_json::to_value(r),
            RecordData::Supplier(r) => serde_json::to_value(r),
            RecordData::Product(r) => serde_json::to_value(r),
            RecordData::Skill(r) => serde_json::to_value(r),
            RecordData::Gdpr(r) => serde_json::to_value(r),
            RecordData::Cyber(r) => serde_json::to_value(r),
        };
        v.unwrap_or(serde_json::Value::Null)
    }

    /// The record's fields as JSON text, written straight from the record (fields in the
    /// questionnaire's order) without building a [`serde_json::Value`] first, and without the
    /// fields that hold nothing (`null`, `[]`, `{}`: see `compact_json`): what the store keeps.
    /// Reads back as the same record; parses to [`RecordData::to_json`] less those fields.
    pub(crate) fn to_json_text(&self) -> String {
        use super::compact_json::to_string;
        let text = match self {
            RecordData::System(r) => to_string(r),
            RecordData::Contract(r) => to_string(r),
            RecordData::Supplier(r) => to_string(r),
            RecordData::Product(r) => to_string(r),
            RecordData::Skill(r) => to_string(r),
            RecordData::Gdpr(r) => to_string(r),
            RecordData::Cyber(r) => to_string(r),
        };
        text.unwrap_or_else(|_| self.to_json().to_string())
    }

    /// A short name for people: the system's name, the contract's title, and so on.
    pub fn label(&self) -> String {
        match self {
            RecordData::System(s) => s.name.clone(),
            RecordData::Contract(c) => match &c.reference {
                Some(r) => format!("{} ({r})", c.title),
                None => c.title.clone(),
            },
            RecordData::Supplier(s) => s.name.clone(),
            RecordData::Product(p) => p.name.clone(),
            RecordData::Skill(s) => s
                .area
                .map_or_else(|| "Skill".to_string(), |a| a.label().to_string()),
            RecordData::Gdpr(_) => "GDPR readiness".into(),
            RecordData::Cyber(_) => "Cyber readiness".into(),
        }
    }

    /// Ids of other records this one points at, with the field and the kind expected there.
    pub fn references(&self) -> Vec<(&'static str, RecordKind, Uuid)> {
        let mut out = Vec::new();
        match self {
            RecordData::System(s) => {
                if let Some(id) = s.product_id {
                    out.push(("product_id", RecordKind::Product, id));
                }
                if let Some(id) = s.supplier_id {
                    out.push(("supplier_id", RecordKind::Supplier, id));
                }
            }
            RecordData::Contract(c) => {
                if let Some(id) = c.supplier_id {
                    out.push(("supplier_id", RecordKind::Supplier, id));
                }
                for id in &c.system_ids {
                    out.push(("system_ids", RecordKind::System, *id));
                }
            }
            RecordData::Product(p) => {
                if let Some(id) = p.supplier_id {
                    out.push(("supplier_id", RecordKind::Supplier, id));
                }
            }
            _ => {}
        }
        out
    }

    /// Trims text, drops empty optional text, pads Companies House numbers.
    pub fn normalise(&mut self) {
        fn opt(s: &mut Option<String>) {
            if let Some(v) = s {
                let t = v.trim();
                if t.is_empty() {
                    *s = None;
                } else if t.len() != v.len() {
                    *s = Some(t.to_string());
                }
            }
        }
        fn req(s: &mut String) {
            let t = s.trim();
            if t.len() != s.len() {
                *s = t.to_string();
            }
        }
        match self {
            RecordData::System(s) => {
                req(&mut s.name);
                opt(&mut s.description);
                opt(&mut s.known_vulnerabilities);
                opt(&mut s.gdpr.special_category_condition);
                opt(&mut s.gdpr.data_location);
                opt(&mut s.notes);
            }
            RecordData::Contract(c) => {
                req(&mut c.title);
                opt(&mut c.reference);
                opt(&mut c.framework_ref);
                opt(&mut c.notes);
                c.system_ids.sort();
                c.system_ids.dedup();
            }
            RecordData::Supplier(s) => {
                req(&mut s.name);
                opt(&mut s.companies_house);
                opt(&mut s.ppon);
                opt(&mut s.notes);
                if let Some(ch) = &mut s.companies_house {
                    *ch = normalise_companies_house(ch);
                }
                if let Some(p) = &mut s.ppon {
                    *p = p.to_ascii_uppercase();
                }
                for a in &mut s.aliases {
                    req(a);
                }
                s.aliases.retain(|a| !a.is_empty());
            }
            RecordData::Product(p) => {
                req(&mut p.name);
                opt(&mut p.notes);
            }
            RecordData::Skill(s) => opt(&mut s.notes),
            RecordData::Gdpr(g) => {
                opt(&mut g.ico_registration);
                opt(&mut g.notes);
            }
            RecordData::Cyber(c) => opt(&mut c.notes),
        }
    }

    /// Checks that must pass before the record is saved. Returns every problem, not the first.
    pub fn validate(&self) -> Vec<FieldIssue> {
        let mut v = Vec::new();
        let mut text = |field: &str, value: Option<&str>, max: usize| {
            if let Some(s) = value {
                if s.chars().count() > max {
                    v.push(FieldIssue::new(
                        field,
                        format!("must be {max} characters or fewer"),
                    ));
                }
                if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                    v.push(FieldIssue::new(
                        field,
                        "must not contain control characters",
                    ));
                }
            }
        };
        match self {
            RecordData::System(s) => {
                text("name", Some(&s.name), 200);
                text("description", s.description.as_deref(), 2000);
                text("notes", s.notes.as_deref(), 4000);
                text(
                    "known_vulnerabilities",
                    s.known_vulnerabilities.as_deref(),
                    4000,
                );
                if s.name.is_empty() {
                    v.push(FieldIssue::new("name", "enter the name of the system"));
                }
                for k in s.caf.keys() {
                    if !CafOutcome::system_level().any(|o| o == *k) {
                        v.push(FieldIssue::new(
                            &format!("caf.{}", k.id()),
                            "systems are assessed against CAF objectives B and C only",
                        ));
                    }
                }
            }
            RecordData::Contract(c) => {
                text("title", Some(&c.title), 300);
                text("reference", c.reference.as_deref(), 100);
                text("notes", c.notes.as_deref(), 4000);
                if c.title.is_empty() {
                    v.push(FieldIssue::new("title", "enter the title of the contract"));
                }
                if let (Some(s), Some(e)) = (c.start_date, c.end_date)
                    && e < s
                {
                    v.push(FieldIssue::new(
                        "end_date",
                        format!("the end date {e} is before the start date {s}"),
                    ));
                }
                if let (Some(e), Some(l)) = (c.end_date, c.latest_end_date)
                    && l < e
                {
                    v.push(FieldIssue::new(
                        "latest_end_date",
                        format!("the latest end date {l} is before the end date {e}"),
                    ));
                }
                if let Some(n) = c.notice_period_days
                    && n > 3650
                {
                    v.push(FieldIssue::new(
                        "notice_period_days",
                        "a notice period longer than 10 years is not plausible",
                    ));
                }
                if c.rolling == Some(true) && c.end_date.is_some() {
                    v.push(FieldIssue::new(
                        "end_date",
                        "a rolling contract has no end date: leave it blank or untick rolling",
                    ));
                }
            }
            RecordData::Supplier(s) => {
                text("name", Some(&s.name), 200);
                if s.name.is_empty() {
                    v.push(FieldIssue::new("name", "enter the name of the supplier"));
                }
                if let Some(ch) = &s.companies_house
                    && !is_companies_house_number(ch)
                {
                    v.push(FieldIssue::new(
                            "companies_house",
                            format!(
                                "'{ch}' is not a Companies House number (8 characters, e.g. 01234567 or SC123456)"
                            ),
                        ));
                }
                if let Some(p) = &s.ppon
                    && !is_ppon(p)
                {
                    v.push(FieldIssue::new(
                        "ppon",
                        format!("'{p}' is not a PPON (e.g. PMZV-7732-XXTT)"),
                    ));
                }
            }
            RecordData::Product(p) => {
                text("name", Some(&p.name), 200);
                if p.name.is_empty() {
                    v.push(FieldIssue::new("name", "enter the name of the product"));
                }
            }
            RecordData::Skill(s) => {
                if s.area.is_none() {
                    v.push(FieldIssue::new("area", "choose the capability area"));
                }
            }
            RecordData::Gdpr(_) => {}
            RecordData::Cyber(c) => {
                for k in c.caf.keys() {
                    if !CafOutcome::organisation_level().any(|o| o == *k) {
                        v.push(FieldIssue::new(
                            &format!("caf.{}", k.id()),
                            "the organisation is assessed against CAF objectives A and D only",
                        ));
                    }
                }
            }
        }
        v
    }
}

/// Pads a Companies House number that lost its leading zeros (`1234567` → `01234567`).
pub(crate) fn normalise_companies_house(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !t.is_empty() && t.len() < 8 && t.chars().all(|c| c.is_ascii_digit()) {
        format!("{t:0>8}")
    } else if t.len() < 8 && t.len() > 2 && t[..2].chars().all(|c| c.is_ascii_alphabetic()) {
        let (prefix, digits) = t.split_at(2);
        if digits.chars().all(|c| c.is_ascii_digit()) {
            format!("{prefix}{digits:0>6}")
        } else {
            t
        }
    } else {
        t
    }
}

fn is_companies_house_number(s: &str) -> bool {
    s.len() == 8
        && (s.chars().all(|c| c.is_ascii_digit())
            || (s[..2].chars().all(|c| c.is_ascii_uppercase())
                && s[2..].chars().all(|c| c.is_ascii_digit())))
}

fn is_ppon(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Rewrites serde's wording into plain English where it is not already.
/// A deserialisation error as a field issue: the path to the field and a plain message.
fn path_issue<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> FieldIssue {
    let field = e.path().to_string();
    let field = if field == "." { String::new() } else { field };
    // A map key that failed to parse shows as `?`: name the map instead.
    let field = field.split(".?").next().unwrap_or_default().to_string();
    let raw = e.into_inner().to_string();
    let expected_text = raw.contains("expected a string") || raw.contains("expected string");
    let message = tidy_serde_message(&raw);
    FieldIssue {
        field,
        message,
        expected_text,
    }
}

fn tidy_serde_message(m: &str) -> String {
    let m = m.split(" at line ").next().unwrap_or(m);
    if let Some(rest) = m.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return format!("'{name}' is not a field of this record");
    }
    if let Some(rest) = m.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "'");
        return format!("'{value}' is not one of the options ({expected})");
    }
    if m.starts_with("invalid type: ") {
        return m.replace("invalid type: ", "wrong kind of value: ");
    }
    m.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_names_the_field_at_fault() {
        let e = RecordData::from_json(
            RecordKind::Contract,
            json!({"title":"x","end_date":"2027-02-30"}),
        )
        .unwrap_err();
        assert_eq!(e.field, "end_date");
        assert!(e.message.contains("not a real date"), "{}", e.message);

        let e = RecordData::from_json(RecordKind::Contract, json!({"title":"x","annual_value":-5}))
            .unwrap_err();
        assert_eq!(e.field, "annual_value");
        assert!(e.message.contains("negative"));

        let e = RecordData::from_json(RecordKind::System, json!({"name":"x","hosting":"moon"}))
            .unwrap_err();
        assert_eq!(e.field, "hosting");
        assert!(
            e.message.contains("'moon' is not one of the options"),
            "{}",
            e.message
        );

        let e = RecordData::from_json(RecordKind::System, json!({"nmae":"x"})).unwrap_err();
        assert!(e.message.contains("'nmae' is not a field"), "{}", e.message);

        let e = RecordData::from_json(RecordKind::System, json!({"caf":{"B1.a":"sort of"}}))
            .unwrap_err();
        assert_eq!(e.field, "caf");
    }

    #[test]
    fn parse_from_text_reads_and_names_fields_like_parse_from_a_value() {
        let cases = [
            (
                RecordKind::Contract,
                json!({"title":"x","end_date":"2027-02-30"}),
            ),
            (RecordKind::Contract, json!({"title":"x","annual_value":-5})),
            (
                RecordKind::Contract,
                json!({"title":"x","annual_value":12.5}),
            ),
            (
                RecordKind::Contract,
                json!({"title":"x","system_ids":["nope"]}),
            ),
            (RecordKind::System, json!({"name":"x","hosting":"moon"})),
            (RecordKind::System, json!({"nmae":"x"})),
            (RecordKind::System, json!({"caf":{"B1.a":"sort of"}})),
            (
                RecordKind::System,
                json!({"name":"x","gdpr":{"ropa_entry":"yes"}}),
            ),
            (RecordKind::Skill, json!([1, 2])),
            (RecordKind::Skill, json!("text")),
            (
                RecordKind::System,
                json!({"name":"x","caf":{"B1.a":"achieved"},"users":40,"end_of_support":"2027-01-31"}),
            ),
            (
                RecordKind::Supplier,
                json!({"name":"A \u{e9}\"q\"","aliases":["a\nb"]}),
            ),
        ];
        for (kind, v) in cases {
            let text = v.to_string();
            let from_value = RecordData::from_json(kind, v);
            let from_text = RecordData::from_json_raw(kind, &text);
            match (&from_value, &from_text) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => {
                    assert_eq!(a.field, b.field, "{text}");
                    assert_eq!(a.message, b.message, "{text}");
                }
                _ => panic!("{text}: {from_value:?} against {from_text:?}"),
            }
        }
        // Unlike a `Value` (which keeps the last), text with a field named twice is refused.
        let e = RecordData::from_json_raw(RecordKind::System, r#"{"name":"a","name":"b"}"#)
            .unwrap_err();
        assert!(
            e.message.contains("duplicate field `name`"),
            "{}",
            e.message
        );
        let e = RecordData::from_json_raw(RecordKind::Contract, r#"{"annual_value":1e400}"#)
            .unwrap_err();
        assert_eq!(e.field, "annual_value");
    }

    #[test]
    fn validation_lists_every_problem() {
        let r = RecordData::from_json(
            RecordKind::Contract,
            json!({"title":"  ","start_date":"2027-04-01","end_date":"2026-04-01","latest_end_date":"2026-01-01"}),
        )
        .unwrap();
        let fields: Vec<String> = r.validate().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["end_date", "latest_end_date"]);
        let mut r = r;
        r.normalise();
        let fields: Vec<String> = r.validate().into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["title", "end_date", "latest_end_date"]);
    }

    #[test]
    fn caf_outcomes_are_checked_against_the_level() {
        let r = RecordData::from_json(
            RecordKind::Cyber,
            json!({"caf":{"B1.a":"achieved","A1.a":"achieved"}}),
        )
        .unwrap();
        let issues = r.validate();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "caf.B1.a");
    }

    #[test]
    fn companies_house_numbers_regain_leading_zeros() {
        assert_eq!(normalise_companies_house("1234567"), "01234567");
        assert_eq!(normalise_companies_house(" sc12345 "), "SC012345");
        let mut r = RecordData::from_json(
            RecordKind::Supplier,
            json!({"name":" ACME LTD ","companies_house":"123"}),
        )
        .unwrap();
        r.normalise();
        assert!(r.validate().is_empty());
        assert_eq!(r.to_json()["companies_house"], "00000123");
        assert_eq!(r.label(), "ACME LTD");
    }

    #[test]
    fn json_text_parses_back_to_the_same_value() {
        let r = RecordData::from_json(
            RecordKind::System,
            json!({"name":"Mosaic","users":12,"caf":{"B1.a":"achieved"},"gdpr":{"ropa_entry":true}}),
        )
        .unwrap();
        let back: serde_json::Value = serde_json::from_str(&r.to_json_text()).unwrap();
        // The same value less the top-level fields that hold nothing.
        let mut full = r.to_json();
        full.as_object_mut().unwrap().retain(|_, v| match v {
            serde_json::Value::Null => false,
            serde_json::Value::Array(a) => !a.is_empty(),
            serde_json::Value::Object(o) => !o.is_empty(),
            _ => true,
        });
        assert_eq!(back, full);
        assert_eq!(back["caf"]["B1.a"], "achieved");
        assert_eq!(back["gdpr"]["ropa_entry"], true);
        assert!(back.get("description").is_none());
    }

    /// The store's text leaves out empty fields; every kind reads back as the same record,
    /// empty and with every field filled in (empty strings, `false` and zero are kept).
    #[test]
    fn compact_json_text_reads_back_as_the_same_record() {
        let filled = [
            (
                RecordKind::System,
                json!({"name":"","description":"","product_id":"01a24959-9578-7022-ba4c-16e2b68acf79",
                       "service_area":"esd:66","users":0,"personal_data":false,
                       "end_of_support":"2027-03-31","caf":{"B1.a":"achieved"},
                       "gdpr":{"ropa_entry":false},"notes":""}),
            ),
            (
                RecordKind::Contract,
                json!({"title":"T","reference":"","system_ids":["01a24959-9578-7022-ba4c-16e2b68acf79"],
                       "rolling":false,"notice_period_days":0,"annual_value":0,"notes":""}),
            ),
            (
                RecordKind::Supplier,
                json!({"name":"S","companies_house":"00000123","aliases":["s ltd"],"sme":false}),
            ),
            (RecordKind::Product, json!({"name":"P","notes":""})),
            (
                RecordKind::Skill,
                json!({"can_offer_support":false,"notes":""}),
            ),
            (
                RecordKind::Gdpr,
                json!({"dpo_appointed":false,"ico_registration":""}),
            ),
            (RecordKind::Cyber, json!({"notes":""})),
        ];
        for (kind, fields) in filled {
            for r in [
                RecordData::empty(kind),
                RecordData::from_json(kind, fields.clone()).unwrap(),
            ] {
                let text = r.to_json_text();
                let top: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&text).unwrap();
                assert!(
                    top.values().all(|v| !v.is_null()
                        && v.as_array().is_none_or(|a| !a.is_empty())
                        && v.as_object().is_none_or(|o| !o.is_empty())),
                    "{text}"
                );
                assert_eq!(
                    RecordData::from_json_text(kind, &text),
                    Some(r.clone()),
                    "{text}"
                );
                assert_eq!(RecordData::from_json_raw(kind, &text).unwrap(), r, "{text}");
            }
        }
        // A stored text of the old, full form still reads back the same.
        let r = RecordData::from_json(RecordKind::Contract, filled_contract()).unwrap();
        let full = serde_json::to_string(&r.to_json()).unwrap();
        assert!(full.contains("null"));
        assert_eq!(
            RecordData::from_json_text(RecordKind::Contract, &full),
            Some(r)
        );
    }

    fn filled_contract() -> serde_json::Value {
        json!({"title":"T","reference":"R","end_date":"2027-03-31","annual_value":100})
    }

    #[test]
    fn every_sensitive_field_exists_in_its_record() {
        for (kind, field) in SENSITIVE_FIELDS {
            let fields = RecordData::empty(*kind).to_json();
            assert!(fields.get(*field).is_some(), "{kind:?}.{field}");
        }
    }
}
