//! Making sense of a sheet's shape: which row holds the headers (below any title and blank
//! rows), whether it is a table (a record per row) or a form (question / answer rows, as the
//! template lays out the one-per-return questionnaires), which record type it holds, and which
//! field each column is, suggested by header text (labels and synonyms) and by content. A
//! header signature identifies sheets of the same shape so a corrected mapping can be
//! remembered.

use super::linked;
use super::values::{self, fold};
use super::workbook::{Cell, Sheet};
use crate::domain::enums::RecordKind;
use crate::sheet_layout::columns::{self, ID_LABEL};
use crate::sheet_layout::{FORM_ANSWER_HEADER, FORM_KEY_HEADER, FORM_QUESTION_HEADER};

/// How far down a sheet the header row is looked for.
const HEADER_SEARCH_ROWS: usize = 30;

/// A suggestion for one sheet.
#[derive(Debug, Clone)]
pub(crate) struct Suggestion {
    pub(crate) kind: Option<RecordKind>,
    /// 0-based header row.
    pub(crate) header_row: Option<usize>,
    /// Question / answer rows rather than a record per row.
    pub(crate) form: bool,
    /// Each column's header and the suggested column path (`None`: ignore).
    pub(crate) columns: Vec<(usize, String, Option<String>)>,
    /// Every header is one the template writes.
    pub(crate) from_template: bool,
}

/// Extra header words people use for a column, beyond its label and field name.
fn synonyms(kind: RecordKind, path: &str) -> &'static [&'static str] {
    use RecordKind::*;
    match (kind, path) {
        (_, "id") => &["city tools id", "record id", "uuid"],
        (Contract, "title") => &[
            "title",
            "contract title",
            "contract name",
            "name of contract",
            "contract",
            "subject",
            "contract subject",
            "title of agreement",
        ],
        (Contract, "reference") => &[
            "ref",
            "contract reference",
            "contract ref",
            "reference number",
            "reference no",
            "ref no",
            "contract number",
            "contract no",
            "contract id",
        ],
        (Contract | System, "supplier_id") => &[
            "supplier name",
            "contractor",
            "contractor name",
            "vendor",
            "provider",
            "company",
            "company name",
            "name of supplier",
            "supplier",
        ],
        (Contract, "start_date") => &[
            "start",
            "contract start",
            "contract start date",
            "commencement date",
            "date from",
            "effective date",
            "start date of contract",
        ],
        (Contract, "end_date") => &[
            "end",
            "contract end",
            "contract end date",
            "expiry date",
            "expiry",
            "date to",
            "end date of contract",
            "renewal date",
            "contract renewal date",
            "contract expiry date",
        ],
        (Contract, "latest_end_date") => &[
            "end date including extensions",
            "end date with extensions",
            "max end date",
            "maximum end date",
            "final end date",
            "latest end date",
        ],
        (Contract, "notice_period_days") => &["notice period", "notice", "notice days"],
        (Contract, "annual_value") => &[
            "value per annum",
            "annual cost",
            "yearly value",
            "estimated annual value",
            "value pa",
            "annual contract value",
            "cost per year",
            "annual value",
        ],
        (Contract, "total_value") => &[
            "contract value",
            "total contract value",
            "value",
            "estimated total value",
            "whole life value",
            "total or estimated value",
            "value of contract",
            "total value",
        ],
        (Contract, "procurement_route") => &[
            "procurement method",
            "procurement type",
            "route to market",
            "procurement procedure",
            "procurement route",
        ],
        (Contract, "framework_ref") => &["framework", "framework ref"],
        (Contract, "system_ids") => &["systems", "system", "related systems", "linked systems"],
        (Contract, "auto_renews") => &["auto renewal", "auto renew", "automatic renewal"],
        (Contract, "rolling") => &["rolling"],
        (_, "supplier.companies_house") => &[
            "company number",
            "companies house number",
            "supplier company number",
            "company registration number",
            "registration number",
            "companies house no",
            "company no",
            "crn",
        ],
        (_, "supplier.sme") => &["sme", "sme/vcse", "sme flag", "is sme", "sme or vcse"],
        (System, "name") => &[
            "system",
            "system name",
            "application",
            "application name",
            "software",
            "system/application",
            "name",
        ],
        (System, "product_id") => &["product", "product name", "software product"],
        (System, "service_area") => &[
            "service area",
            "department",
            "dept",
            "directorate",
            "service",
            "business area",
            "business unit",
            "division",
            "service/department",
            "department/service",
            "owning department",
            "owning service",
        ],
        (System, "hosting") => &[
            "hosted",
            "hosting model",
            "deployment",
            "hosting",
            "hosted where",
            "on premise or cloud",
            "cloud or on premise",
        ],
        (System, "users") => &[
            "users",
            "no of users",
            "no. of users",
            "number of users",
            "user count",
            "user numbers",
            "no. users",
        ],
        (System, "criticality") => &[
            "business criticality",
            "criticality",
            "criticality rating",
            "critical",
            "business critical",
            "priority",
        ],
        (System, "support_status") => &[
            "supported",
            "support status",
            "support",
            "vendor support",
            "in support",
            "supported by vendor",
            "still supported",
        ],
        (System, "end_of_support") => &[
            "end of life",
            "eol",
            "eol date",
            "end of life date",
            "end of support",
            "end of support date",
            "support end date",
            "support ends",
        ],
        (System, "description") => &["description", "purpose"],
        (Supplier, "name") => &[
            "supplier",
            "supplier name",
            "name",
            "company name",
            "vendor",
        ],
        (Supplier, "companies_house") => &[
            "company number",
            "companies house",
            "company registration number",
            "registration number",
            "crn",
            "company no",
        ],
        (Supplier, "sme") => &["sme", "sme/vcse"],
        (Product, "name") => &["product", "product name", "name"],
        (Product, "supplier_id") => &["supplier", "manufacturer", "vendor", "supplier name"],
        (Skill, "area") => &["skill", "area", "capability area", "skill area"],
        (Skill, "level") => &["skill level"],
        (_, "notes") => &["comments", "comment", "notes"],
        _ => &[],
    }
}

/// One column of a record type as header matching compares it: its label and path folded.
struct Known {
    label: String,
    folded_path: String,
    path: String,
}

/// The columns of `kind` with their labels and paths folded once per process: a sheet's
/// first rows are matched against every kind, some 5,000 headers, and folding the labels
/// again for each was a fifth of inspecting a 10,000-row register.
fn known(kind: RecordKind) -> &'static [Known] {
    static TABLE: std::sync::OnceLock<Vec<(RecordKind, Vec<Known>)>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(|| {
            RecordKind::ALL
                .iter()
                .map(|&k| {
                    let cols = columns::columns(k)
                        .into_iter()
                        .chain(super::importable::extra_columns(k))
                        .map(|c| Known {
                            label: fold(&c.label),
                            folded_path: fold(&c.path),
                            path: c.path,
                        })
                        .collect();
                    (k, cols)
                })
                .collect()
        })
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, cols)| cols.as_slice())
}

/// Whether a (folded) header is the label the template writes for a column of `kind`.
fn is_template_label(kind: RecordKind, folded: &str) -> bool {
    known(kind).iter().any(|c| c.label == folded)
}

/// The column paths a header could mean on a sheet of `kind`, best first.
fn header_matches(kind: RecordKind, header: &str) -> Option<String> {
    let h = fold(header);
    if h.is_empty() {
        return None;
    }
    let cols = known(kind);
    let find = |h: &str| {
        // Exact label, then field name, then a synonym.
        cols.iter()
            .find(|c| c.label == h)
            .or_else(|| cols.iter().find(|c| c.folded_path == h))
            .or_else(|| {
                cols.iter().find(|c| {
                    synonyms(kind, &c.path)
                        .iter()
                        .chain(linked::synonyms(kind, &c.path))
                        .any(|s| *s == h)
                })
            })
            .map(|c| c.path.clone())
    };
    find(&h).or_else(|| {
        // `Criticality (H/M/L)`, `Supported?`, `Annual Cost (£)`: the words without the
        // bracket, question mark or colon.
        let bare = bare_header(&h);
        (bare != h && !bare.is_empty())
            .then(|| find(&bare))
            .flatten()
    })
}

/// A folded header without a bracketed part and trailing `?`, `:` or `*`.
fn bare_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    fold(out.trim_end_matches(['?', ':', '*', ' ', '£']))
}

/// Which record type a sheet name suggests.
fn kind_from_name(name: &str) -> Option<RecordKind> {
    let n = fold(name);
    [
        ("gdpr", RecordKind::Gdpr),
        ("cyber", RecordKind::Cyber),
        ("contract", RecordKind::Contract),
        ("supplier", RecordKind::Supplier),
        ("product", RecordKind::Product),
        ("skill", RecordKind::Skill),
        ("system", RecordKind::System),
        ("application", RecordKind::System),
    ]
    .into_iter()
    .find(|(w, _)| n.contains(w))
    .map(|(_, k)| k)
}

fn row_texts(sheet: &Sheet, row: usize) -> Vec<(usize, String)> {
    sheet
        .rows
        .get(row)
        .map(|r| {
            r.iter()
                .enumerate()
                .filter_map(|(i, c)| match c {
                    Cell::Text(t) if !t.trim().is_empty() => Some((i, t.clone())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How well a kind fits a row of headers: whether they name every field a record of it cannot
/// be saved without (and at least two fields), then how many distinct headers it recognises.
/// A list of systems with their renewal dates is a systems sheet, though a contract would
/// recognise more of its headers: it has no contract titles.
fn score(kind: RecordKind, headers: &[(usize, String)]) -> (bool, usize) {
    let mut seen = std::collections::BTreeSet::new();
    for (_, h) in headers {
        // A linked record's columns (a system's contract) do not say what the sheet holds.
        if let Some(p) = header_matches(kind, h).filter(|p| !linked::is_linked(p)) {
            seen.insert(p);
        }
    }
    let complete = columns::columns(kind)
        .iter()
        .filter(|c| c.required())
        .all(|c| seen.contains(&c.path));
    (complete && seen.len() >= 2, seen.len())
}

fn is_form_header(headers: &[(usize, String)]) -> bool {
    let has = |w: &str| headers.iter().any(|(_, h)| fold(h) == fold(w));
    has(FORM_QUESTION_HEADER) && has(FORM_ANSWER_HEADER)
}

/// Suggests the header row, kind and mapping of a sheet.
pub(crate) fn suggest(
    sheet: &Sheet,
    forced_kind: Option<RecordKind>,
    forced_row: Option<usize>,
) -> Suggestion {
    let name_kind = kind_from_name(&sheet.name);
    let mut best: Option<((bool, usize), usize, RecordKind)> = None; // (score, row, kind)
    let mut first_texty = None;
    let search = match forced_row {
        Some(r) => r..r + 1,
        None => 0..sheet.rows.len().min(HEADER_SEARCH_ROWS),
    };
    for row in search {
        let headers = row_texts(sheet, row);
        let distinct: std::collections::BTreeSet<String> =
            headers.iter().map(|(_, h)| fold(h)).collect();
        if distinct.len() < 2 && forced_row.is_none() {
            continue;
        }
        if first_texty.is_none() {
            first_texty = Some(row);
        }
        if is_form_header(&headers) {
            let kind = forced_kind.or(name_kind);
            return form_suggestion(row, kind, &headers);
        }
        let kinds: Vec<RecordKind> = match forced_kind.or(name_kind) {
            Some(k) => vec![k],
            None => RecordKind::ALL.to_vec(),
        };
        for k in kinds {
            let s = score(k, &headers);
            if s.1 > 0 && best.is_none_or(|(bs, _, _)| s > bs) {
                best = Some((s, row, k));
            }
        }
    }
    let (header_row, kind) = match best {
        Some((_, row, k)) => (Some(row), Some(k)),
        None => (first_texty, forced_kind.or(name_kind)),
    };
    let Some(row) = header_row else {
        return Suggestion {
            kind,
            header_row: None,
            form: false,
            columns: Vec::new(),
            from_template: false,
        };
    };
    let width = sheet.width();
    let mut used = std::collections::BTreeSet::new();
    let mut cols = Vec::new();
    let mut all_template = true;
    for c in 0..width {
        let header = sheet.cell(row, c).display().trim().to_string();
        if header.is_empty() {
            // A column without a header but with data is still offered (ignored by default).
            if (row + 1..sheet.rows.len()).any(|r| !sheet.cell(r, c).is_blank()) {
                cols.push((c, String::new(), None));
            }
            continue;
        }
        let path = kind
            .and_then(|k| header_matches(k, &header))
            .filter(|p| used.insert(p.clone()));
        if let Some(k) = kind {
            all_template &= is_template_label(k, &fold(&header));
        }
        cols.push((c, header, path));
    }
    if let Some(k) = kind {
        by_content(sheet, row, k, &mut cols);
    }
    Suggestion {
        kind,
        header_row: Some(row),
        form: false,
        from_template: kind.is_some() && all_template && cols.iter().any(|(_, h, _)| h == ID_LABEL),
        columns: cols,
    }
}

fn form_suggestion(
    row: usize,
    kind: Option<RecordKind>,
    headers: &[(usize, String)],
) -> Suggestion {
    let find = |w: &str| {
        headers
            .iter()
            .find(|(_, h)| fold(h) == fold(w))
            .map(|x| x.0)
    };
    let mut cols = Vec::new();
    for (c, h) in headers {
        let role = if Some(*c) == find(FORM_KEY_HEADER) {
            Some("key")
        } else if Some(*c) == find(FORM_QUESTION_HEADER) {
            Some("question")
        } else if Some(*c) == find(FORM_ANSWER_HEADER) {
            Some("answer")
        } else {
            None
        };
        cols.push((*c, h.clone(), role.map(str::to_string)));
    }
    Suggestion {
        kind,
        header_row: Some(row),
        form: true,
        from_template: find(FORM_KEY_HEADER).is_some(),
        columns: cols,
    }
}

/// Fills unmapped columns from what their cells look like: dates, money, company numbers.
fn by_content(
    sheet: &Sheet,
    header_row: usize,
    kind: RecordKind,
    cols: &mut [(usize, String, Option<String>)],
) {
    let mut taken: std::collections::BTreeSet<String> =
        cols.iter().filter_map(|(_, _, p)| p.clone()).collect();
    for (c, header, path) in cols.iter_mut() {
        if path.is_some() || header.is_empty() {
            continue;
        }
        let samples: Vec<&Cell> = (header_row + 1..sheet.rows.len().min(header_row + 50))
            .map(|r| sheet.cell(r, *c))
            .filter(|v| !v.is_blank())
            .collect();
        if samples.len() < 2 {
            continue;
        }
        let all = |f: &dyn Fn(&Cell) -> bool| samples.iter().all(|v| f(v));
        let is_date = |v: &Cell| {
            matches!(v, Cell::Date(..))
                || matches!(v, Cell::Text(t) if values::parse_date_text(t).is_some())
        };
        let is_money = |v: &Cell| matches!(v, Cell::Text(t) if t.trim().starts_with('£'));
        let h = fold(header);
        let contractual = ["contract", "renew", "expir", "licen"]
            .iter()
            .any(|w| h.contains(w));
        let yearly = ["annual", "year", " pa", "p.a", "per annum"]
            .iter()
            .any(|w| h.contains(w));
        let candidates: Vec<&str> = if all(&is_date) {
            match kind {
                RecordKind::Contract if h.contains("start") => vec!["start_date"],
                RecordKind::Contract if h.contains("end") || h.contains("expir") => {
                    vec!["end_date", "latest_end_date"]
                }
                RecordKind::Contract => vec!["start_date", "end_date"],
                // A system's dates: its end of support only when the header says so; a
                // contract's dates are its contract's, never the system's.
                RecordKind::System
                    if h.contains("support") || h.contains("eol") || h.contains("life") =>
                {
                    vec!["end_of_support"]
                }
                RecordKind::System if contractual && h.contains("start") => {
                    vec!["contract.start_date"]
                }
                RecordKind::System if contractual || h.contains("end") => {
                    vec!["contract.end_date"]
                }
                _ => vec![],
            }
        } else if all(&is_money) && kind == RecordKind::Contract {
            if yearly {
                vec!["annual_value"]
            } else {
                vec!["total_value", "annual_value"]
            }
        } else if all(&is_money) && kind == RecordKind::System {
            if yearly {
                vec!["contract.annual_value"]
            } else {
                vec!["contract.total_value"]
            }
        } else {
            vec![]
        };
        if let Some(p) = candidates.into_iter().find(|p| !taken.contains(*p)) {
            taken.insert(p.to_string());
            *path = Some(p.to_string());
        }
    }
}

/// A short stable name for a sheet's shape: its headers, folded, hashed (FNV-1a 64).
pub(crate) fn signature(headers: &[String]) -> String {
    let joined: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in joined.join("|").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str, rows: Vec<Vec<&str>>) -> Sheet {
        Sheet {
            name: name.into(),
            hidden: false,
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|c| {
                            if c.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(c.into())
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn header_row_below_a_title_and_synonyms() {
        let s = sheet(
            "Register",
            vec![
                vec!["London Borough of Camden contracts register 2026"],
                vec![],
                vec![
                    "Ref",
                    "Title of agreement",
                    "Contractor",
                    "Start",
                    "End",
                    "Value",
                    "Dept",
                ],
                vec![
                    "C1",
                    "Housing",
                    "CIVICA",
                    "01/04/2024",
                    "31/03/2027",
                    "£1.2m",
                    "Housing",
                ],
            ],
        );
        let s2 = suggest(&s, None, None);
        assert_eq!(s2.header_row, Some(2));
        assert_eq!(s2.kind, Some(RecordKind::Contract));
        let paths: Vec<Option<&str>> = s2.columns.iter().map(|c| c.2.as_deref()).collect();
        assert_eq!(
            paths,
            [
                Some("reference"),
                Some("title"),
                Some("supplier_id"),
                Some("start_date"),
                Some("end_date"),
                Some("total_value"),
                None
            ]
        );
        assert_ne!(
            signature(&["A".into(), "B".into()]),
            signature(&["A".into(), "C".into()])
        );
        assert_eq!(
            signature(&[" a ".into(), "B".into()]),
            signature(&["A".into(), "b".into()])
        );
    }

    #[test]
    fn content_fills_unnamed_date_columns() {
        let s = sheet(
            "Contracts",
            vec![
                vec!["Title", "Began", "Finishes"],
                vec!["A", "01/04/2024", "31/03/2027"],
                vec!["B", "01/04/2025", "31/03/2028"],
            ],
        );
        let s2 = suggest(&s, None, None);
        let paths: Vec<Option<&str>> = s2.columns.iter().map(|c| c.2.as_deref()).collect();
        assert_eq!(paths, [Some("title"), Some("start_date"), Some("end_date")]);
    }
}
