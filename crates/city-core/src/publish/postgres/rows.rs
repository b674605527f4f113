//! The rows of a publication, table by table, as `COPY` text: organisations and their returns'
//! status, the supplier and product groups the analysis matched, each record kind's table
//! (fields the profile keeps; sensitive fields, ratings and links in tables of their own), and
//! the committee workbook's readiness and analysis sheets for the profile. What a profile
//! keeps is `export::profile`'s decision (`ExportProfile::keeps`), and the sheets are the
//! export's own tables, so the database holds what the workbook of the same profile shows.

use super::copy::CopyTable;
use super::schema::{self, Place, Ty};
use crate::analysis::{Index, entities::Entity};
use crate::domain::enums::RecordKind;
use crate::domain::questionnaire::{self, Field, FieldType};
use crate::domain::records::RecordData;
use crate::export::fields::Fields;
use crate::export::table::{self, Labels, Rows, Value};
use crate::export::{Dataset, ExportProfile};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What a return's status row says (LOTI's tracker, or "received" for a returns file).
#[derive(Debug, Clone, Default)]
pub(crate) struct ReturnStatus {
    /// The organisation's code (without scheme).
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) received: bool,
    pub(crate) received_at: Option<String>,
    pub(crate) sequence: Option<i64>,
    pub(crate) signer_key_id: Option<String>,
    pub(crate) validated: Option<bool>,
    pub(crate) records: Option<i64>,
    pub(crate) waiting_in_quarantine: Option<bool>,
}

fn org_id(scheme: &str, code: &str) -> String {
    format!("{scheme}:{code}")
}

/// The `organisation` rows (upserted, not replaced) and the `organisation_return` rows.
pub(crate) fn organisations(ds: &Dataset, status: &[ReturnStatus]) -> (CopyTable, CopyTable) {
    let mut orgs = CopyTable::new(
        "organisation",
        ["id", "scheme", "code", "name"].map(String::from).to_vec(),
    );
    let mut rets = CopyTable::new(
        "organisation_return",
        [
            "cycle",
            "organisation",
            "received",
            "received_at",
            "sequence",
            "signer_key_id",
            "validated",
            "records",
            "waiting_in_quarantine",
        ]
        .map(String::from)
        .to_vec(),
    );
    let by_code: HashMap<&str, &ReturnStatus> =
        status.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut seen = HashSet::new();
    let mut row = |scheme: &str, code: &str, name: &str, s: Option<&ReturnStatus>, has: bool| {
        let id = org_id(scheme, code);
        if !seen.insert(id.clone()) {
            return;
        }
        orgs.text(&id);
        orgs.text(scheme);
        orgs.text(code);
        orgs.text(name);
        orgs.end();
        rets.text(&ds.cycle);
        rets.text(&id);
        rets.bool(s.map_or(has, |s| s.received || has));
        rets.opt_text(s.and_then(|s| s.received_at.as_deref()));
        rets.opt_plain(s.and_then(|s| s.sequence));
        rets.opt_text(s.and_then(|s| s.signer_key_id.as_deref()));
        rets.opt_plain(
            s.and_then(|s| s.validated)
                .map(|b| if b { "t" } else { "f" }),
        );
        rets.opt_plain(s.and_then(|s| s.records));
        rets.opt_plain(
            s.and_then(|s| s.waiting_in_quarantine)
                .map(|b| if b { "t" } else { "f" }),
        );
        rets.end();
    };
    for r in &ds.returns {
        row(
            &r.scheme,
            &r.code,
            &r.name,
            by_code.get(r.code.as_str()).copied(),
            true,
        );
    }
    for s in status {
        // The tracker lists London's organisations by GSS code; others by `scheme:code`.
        let (scheme, code) = s.code.split_once(':').unwrap_or(("gss", &s.code));
        row(scheme, code, &s.name, Some(s), false);
    }
    (orgs, rets)
}

fn entity_key_map(entities: &[Entity]) -> Vec<Option<String>> {
    let mut seen = HashSet::new();
    entities
        .iter()
        .map(|e| seen.insert(e.key.clone()).then(|| e.key.clone()))
        .collect()
}

/// `supplier_group` and `product_group`.
pub(crate) fn groups(cycle: &str, ix: &Index<'_>) -> (CopyTable, CopyTable) {
    let mut sup = CopyTable::new(
        "supplier_group",
        [
            "cycle",
            "key",
            "name",
            "companies_house",
            "ppon",
            "spellings",
            "organisations",
            "matched_by",
        ]
        .map(String::from)
        .to_vec(),
    );
    let keys = entity_key_map(&ix.res.suppliers);
    let supplier_keys: HashSet<&str> = keys.iter().flatten().map(String::as_str).collect();
    for (e, k) in ix.res.suppliers.iter().zip(&keys) {
        if k.is_none() {
            continue;
        }
        sup.text(cycle);
        sup.text(&e.key);
        sup.text(&e.name);
        list(&mut sup, &e.companies_house);
        list(&mut sup, &e.ppon);
        list(&mut sup, &e.spellings);
        sup.plain(e.organisations.len());
        list(&mut sup, &e.matched_by);
        sup.end();
    }
    let mut prod = CopyTable::new(
        "product_group",
        [
            "cycle",
            "key",
            "name",
            "supplier_group",
            "spellings",
            "organisations",
            "matched_by",
        ]
        .map(String::from)
        .to_vec(),
    );
    for (e, k) in ix.res.products.iter().zip(entity_key_map(&ix.res.products)) {
        if k.is_none() {
            continue;
        }
        prod.text(cycle);
        prod.text(&e.key);
        prod.text(&e.name);
        prod.opt_text(
            e.supplier_key
                .as_deref()
                .filter(|k| supplier_keys.contains(k)),
        );
        list(&mut prod, &e.spellings);
        prod.plain(e.organisations.len());
        list(&mut prod, &e.matched_by);
        prod.end();
    }
    (sup, prod)
}

fn list(t: &mut CopyTable, items: &[String]) {
    if items.is_empty() {
        t.null();
    } else {
        t.text(&items.join("; "));
    }
}

/// The tables of one record kind, in `schema::record_tables`' order.
struct KindTables {
    main: CopyTable,
    security: Option<CopyTable>,
    /// Keyed by table name.
    children: Vec<(String, CopyTable, &'static Field)>,
}

fn kind_tables(kind: RecordKind) -> KindTables {
    let specs = schema::record_tables(kind);
    let cols = |name: &str| -> Vec<String> {
        specs
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.cols.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default()
    };
    let main = CopyTable::new(kind.id(), cols(kind.id()));
    let sec_name = format!("{}_security", kind.id());
    let security = specs
        .iter()
        .any(|t| t.name == sec_name)
        .then(|| CopyTable::new(sec_name.clone(), cols(&sec_name)));
    let children = schema::fields(kind)
        .filter_map(|(f, p)| match p {
            Place::Ratings(t) | Place::Link(t, _) => {
                Some((t.clone(), CopyTable::new(t.clone(), cols(&t)), f))
            }
            _ => None,
        })
        .collect();
    KindTables {
        main,
        security,
        children,
    }
}

/// Writes a field's value (or null) to a row.
fn field_value(
    t: &mut CopyTable,
    f: &Field,
    v: Option<&serde_json::Value>,
    labels: &Labels,
    exists: &dyn Fn(RecordKind, Uuid) -> bool,
) {
    let Some(v) = v else {
        t.null();
        return;
    };
    match f.field_type {
        FieldType::Text | FieldType::LongText => t.opt_text(v.as_str()),
        FieldType::Integer | FieldType::Money => t.opt_plain(v.as_i64()),
        FieldType::Date => t.opt_text(v.as_str()),
        FieldType::Boolean => match v.as_bool() {
            Some(b) => t.bool(b),
            None => t.null(),
        },
        FieldType::Choice(e) => match v.as_str() {
            Some(id) => t.text(&labels.label(e, id)),
            None => t.null(),
        },
        FieldType::Reference(k) => t.opt_plain(
            v.as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
                .filter(|u| exists(k, *u)),
        ),
        FieldType::TextList => {
            let all: Vec<&str> = v
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            if all.is_empty() {
                t.null();
            } else {
                t.text(&all.join("; "));
            }
        }
        FieldType::References(_) | FieldType::Ratings { .. } => t.null(),
    }
}

/// Every record table's rows, in creation order, for the profile: handed to `emit` one kind's
/// tables at a time, as soon as they are made (so that they can be copied while the next
/// kind's are made); stops when `emit` returns false.
pub(crate) fn records(
    ds: &Dataset,
    ix: &Index<'_>,
    profile: ExportProfile,
    emit: &mut dyn FnMut(CopyTable) -> bool,
) {
    let labels = Labels::new();
    for kind in schema::KIND_ORDER {
        let mut kt = kind_tables(kind);
        let fields: Vec<(&'static Field, Place)> = schema::fields(kind).collect();
        for (oi, ret) in ds.returns.iter().enumerate() {
            let org = org_id(&ret.scheme, &ret.code);
            let ids: HashSet<(RecordKind, Uuid)> =
                ret.records.iter().map(|(id, r)| (r.kind(), *id)).collect();
            let exists = |k: RecordKind, u: Uuid| ids.contains(&(k, u));
            for (id, rec) in ret.records.iter().filter(|(_, r)| r.kind() == kind) {
                let Some(values) = Fields::of(rec) else {
                    continue;
                };
                let keeps = |f: &Field| profile.keeps(kind, f.name);
                // The record's own table.
                let m = &mut kt.main;
                m.text(&ds.cycle);
                m.text(&org);
                m.plain(id);
                for (f, p) in &fields {
                    if *p == Place::Main {
                        let v = if keeps(f) { values.get(f.name) } else { None };
                        field_value(m, f, v, &labels, &exists);
                    }
                }
                match rec {
                    RecordData::Supplier(_) => {
                        m.opt_text(
                            ix.supplier(oi, Some(*id))
                                .map(|e| ix.res.suppliers[e].key.as_str()),
                        );
                    }
                    RecordData::Product(_) => {
                        m.opt_text(
                            ix.product(oi, Some(*id))
                                .map(|e| ix.res.products[e].key.as_str()),
                        );
                    }
                    RecordData::Contract(c) => match table::decision_date(c) {
                        Some(d) => {
                            m.plain(d);
                            m.plain((d.0 - ds.today).num_days());
                        }
                        None => {
                            m.null();
                            m.null();
                        }
                    },
                    _ => {}
                }
                m.end();
                // Sensitive answers: only when the profile keeps them.
                if let Some(s) = kt.security.as_mut() {
                    let sec: Vec<&&'static Field> = fields
                        .iter()
                        .filter(|(_, p)| *p == Place::Security)
                        .map(|(f, _)| f)
                        .collect();
                    if sec.iter().all(|f| keeps(f)) {
                        s.text(&ds.cycle);
                        s.text(&org);
                        s.plain(id);
                        for f in sec {
                            field_value(s, f, values.get(f.name), &labels, &exists);
                        }
                        s.end();
                    }
                }
                for (_, t, f) in kt.children.iter_mut() {
                    if !keeps(f) {
                        continue;
                    }
                    let Some(v) = values.get(f.name) else {
                        continue;
                    };
                    match f.field_type {
                        FieldType::Ratings { keys, rating } => {
                            let key_labels = questionnaire::rating_keys(kind, keys);
                            for (k, r) in v.as_object().into_iter().flatten() {
                                t.text(&ds.cycle);
                                t.text(&org);
                                t.plain(id);
                                t.text(k);
                                t.opt_text(
                                    key_labels.iter().find(|(i, _)| i == k).map(|(_, l)| *l),
                                );
                                match r.as_str() {
                                    Some(r) => t.text(&labels.label(rating, r)),
                                    None => t.null(),
                                }
                                t.end();
                            }
                        }
                        FieldType::References(target) => {
                            let mut linked: Vec<Uuid> = v
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|s| s.as_str().and_then(|s| Uuid::parse_str(s).ok()))
                                .filter(|u| exists(target, *u))
                                .collect();
                            linked.sort();
                            linked.dedup();
                            for u in linked {
                                t.text(&ds.cycle);
                                t.text(&org);
                                t.plain(id);
                                t.plain(u);
                                t.end();
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let made = std::iter::once(kt.main)
            .chain(kt.security)
            .chain(kt.children.into_iter().map(|(_, t, _)| t));
        for t in made {
            if !emit(t) {
                return;
            }
        }
    }
}

/// A sheet table's columns in the database: name → type.
pub(crate) type TableColumns = HashMap<String, Ty>;

/// Why a sheet could not be matched to its table.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SheetError {
    #[error(
        "the workbook sheet '{0}' has no table in the citytools schema: this database's schema is older than the sheet"
    )]
    NoTable(String),
    #[error(
        "the column '{1}' of the workbook sheet '{0}' has no column in citytools.{2}: this database's schema is older than the sheet"
    )]
    NoColumn(String, String, String),
}

/// The rows of one workbook sheet, for its table (whose columns, read from the database, are
/// `columns`).
pub(crate) fn sheet(
    cycle: &str,
    rows: Rows<'_>,
    tables: &HashMap<String, TableColumns>,
) -> Result<CopyTable, SheetError> {
    let Some((_, table, _)) = schema::SHEET_TABLES
        .iter()
        .find(|(title, _, _)| *title == rows.title)
    else {
        return Err(SheetError::NoTable(rows.title));
    };
    let cols = tables
        .get(*table)
        .ok_or_else(|| SheetError::NoTable(rows.title.clone()))?;
    let mut names = vec!["cycle".to_string(), "row_number".to_string()];
    let mut types = Vec::new();
    for c in &rows.columns {
        let base = schema::sheet_column(&c.header);
        let pence = format!("{base}_pence");
        let (name, ty) = match (cols.get(&pence), cols.get(&base)) {
            (Some(t), _) => (pence, *t),
            (None, Some(t)) => (base, *t),
            (None, None) => {
                return Err(SheetError::NoColumn(
                    rows.title.clone(),
                    c.header.clone(),
                    (*table).into(),
                ));
            }
        };
        names.push(name);
        types.push(ty);
    }
    let mut t = CopyTable::new(*table, names);
    for (i, row) in rows.rows.enumerate() {
        t.text(cycle);
        t.plain(i + 1);
        for (j, v) in row.iter().enumerate() {
            sheet_value(&mut t, v, types.get(j).copied().unwrap_or(Ty::Text));
        }
        t.end();
    }
    Ok(t)
}

fn sheet_value(t: &mut CopyTable, v: &Value, ty: Ty) {
    match v {
        Value::Empty => t.null(),
        Value::Text(s) => t.text(s),
        Value::Int(n) => t.plain(n),
        Value::Number(x) if x.is_finite() => t.plain(x),
        Value::Number(_) => t.null(),
        Value::Money(p) if ty == Ty::BigInt => t.plain(p.0),
        // Money into a column not in pence: pounds.
        Value::Money(p) => t.plain(p.0 as f64 / 100.0),
        Value::Date(d) => t.plain(d),
        Value::Bool(b) if ty == Ty::Bool => t.bool(*b),
        Value::Bool(b) => t.text(if *b { "Yes" } else { "No" }),
    }
}
