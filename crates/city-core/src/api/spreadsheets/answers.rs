//! The *Answers* step of a spreadsheet import: for each mapped column whose field has options
//! (an enumeration, or yes / no), the distinct values the file holds, how many rows use each,
//! and the option suggested for each with how sure it is (`import::answers` does the
//! suggesting). The user confirms or changes each answer in `ImportRequest::answers`; a commit
//! remembers them in `store_meta` (`import.answers.<kind>.<field>`), so the next file using
//! the same words maps itself.

use super::request::mapped;
use super::{ImportRequest, read_file};
use crate::api::{Error, ErrorKind, Store};
use crate::domain::enums::RecordKind;
use crate::import::answers::{self, Basis};
use crate::import::rows::{self, Given, Layout};
use crate::import::workbook::{Cell, Sheet};
use crate::sheet_layout::column_letter;
use crate::sheet_layout::columns::{self, Column};
use crate::store::{StoreError, Tx};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The least confidence (0–100) at which a suggested answer is used without being confirmed.
pub const ANSWER_THRESHOLD: u8 = answers::THRESHOLD;

/// Confirmed answers: `<kind>.<field>` (`system.service_area`, `contract.procurement_route`)
/// → the value as the file writes it → the option id, or `null` to leave such cells blank.
/// Values are matched ignoring case, spacing and punctuation.
pub type Answers = BTreeMap<String, BTreeMap<String, Option<String>>>;

/// How an answer was suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AnswerBasis {
    /// The option's own label or id.
    Exact,
    /// Confirmed in an earlier import into this store.
    Remembered,
    /// A word a council would write for this option (the synonym tables).
    Synonym,
    /// A word or phrase inside the value.
    Word,
    /// Spelled nearly like an option or a synonym.
    Similar,
    /// A word meaning "not known" (`N/A`, `TBC`, `-`…): left blank.
    NotKnown,
    /// Nothing fits: left blank unless the user chooses.
    None,
}

/// One option of a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnswerOption {
    pub id: String,
    pub label: String,
}

/// One distinct value of a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ValueAnswer {
    /// The value as the file first writes it.
    pub value: String,
    /// How many rows hold it.
    pub rows: u32,
    /// The suggested option id, if any.
    pub suggested: Option<String>,
    pub basis: AnswerBasis,
    /// 0 to 100.
    pub confidence: u8,
    /// What the import uses unless told otherwise: the answer given in the request, else the
    /// suggestion if its confidence is at least `ANSWER_THRESHOLD`, else blank.
    pub answer: Option<String>,
}

/// The answers of one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldAnswers {
    pub sheet: String,
    /// The column letter.
    pub column: String,
    pub kind: RecordKind,
    /// The field path (`service_area`, `gdpr.lawful_basis`).
    pub field: String,
    /// The key of this field in `ImportRequest::answers` (`system.service_area`).
    pub key: String,
    pub label: String,
    /// A record cannot be saved without it: a value left blank stops its row.
    pub required: bool,
    pub options: Vec<AnswerOption>,
    /// Most used first.
    pub values: Vec<ValueAnswer>,
}

/// The key of a field in `Answers` and in the store.
pub(crate) fn answers_key(kind: RecordKind, path: &str) -> String {
    format!("{}.{path}", kind.id())
}

const STORE_KEY: &str = "import.answers.";

/// Answers remembered by a store: `<kind>.<field>` → normalised value → option or blank.
pub(crate) type Remembered = HashMap<String, HashMap<String, Option<String>>>;

/// Every answer the store remembers for fields with options.
pub(crate) fn remembered(tx: &Tx<'_>) -> Result<Remembered, StoreError> {
    let mut out = HashMap::new();
    for kind in RecordKind::ALL {
        for c in columns::columns(*kind)
            .into_iter()
            .chain(crate::import::importable::extra_columns(*kind))
        {
            if rows::answer_set(&c).is_none() {
                continue;
            }
            let key = answers_key(*kind, &c.path);
            if let Some(json) = tx.meta(&format!("{STORE_KEY}{key}"))?
                && let Ok(map) = serde_json::from_str::<HashMap<String, Option<String>>>(&json)
            {
                out.insert(key, map);
            }
        }
    }
    Ok(out)
}

/// Adds the answers of a committed import to what the store remembers.
pub(crate) fn remember(tx: &Tx<'_>, given: &Answers) -> Result<(), StoreError> {
    for (key, values) in given {
        let store_key = format!("{STORE_KEY}{key}");
        let mut map: BTreeMap<String, Option<String>> = tx
            .meta(&store_key)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        for (value, option) in values {
            let v = answers::normalise(value);
            if !v.is_empty() {
                map.insert(v, option.clone().filter(|o| !o.is_empty()));
            }
        }
        let json = serde_json::to_string(&map).unwrap_or_default();
        tx.set_meta(&store_key, &json)?;
    }
    Ok(())
}

/// The column of `kind` a key names, if it has options.
fn keyed_column(key: &str) -> Option<(RecordKind, Column, &'static str)> {
    let (kind, path) = key.split_once('.')?;
    let kind = RecordKind::from_id(kind)?;
    let column = crate::import::importable::find(kind, path)?;
    let set = rows::answer_set(&column)?;
    Some((kind, column, set))
}

/// Refuses answers for fields that have no options, and options a field does not have.
pub(crate) fn check(given: &Answers) -> Result<(), Error> {
    let usage = |m: String| Error::new(ErrorKind::Usage, m);
    for (key, values) in given {
        let (_, _, set) = keyed_column(key).ok_or_else(|| {
            usage(format!(
                "'{key}' is not a field with options (write it as kind.field, e.g. system.service_area)"
            ))
        })?;
        let options = answers::options(set);
        for (value, option) in values {
            if let Some(o) = option.as_deref().filter(|o| !o.is_empty())
                && !options.iter().any(|(id, _)| *id == o)
            {
                let ids: Vec<&str> = options.iter().map(|(id, _)| *id).collect();
                return Err(usage(format!(
                    "'{o}' (the answer for '{value}' in {key}) is not an option: use one of {}",
                    ids.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// The answers a sheet of `kind` is read with: those given in the request, then those the store
/// remembers; per field path, by normalised value.
pub(crate) fn given_for(kind: RecordKind, request: &Answers, remembered: &Remembered) -> Given {
    let mut out: Given = HashMap::new();
    let prefix = format!("{}.", kind.id());
    for (key, map) in remembered {
        if let Some(path) = key.strip_prefix(&prefix) {
            out.entry(path.to_string())
                .or_default()
                .extend(map.iter().map(|(v, o)| (v.clone(), o.clone())));
        }
    }
    for (key, map) in request {
        if let Some(path) = key.strip_prefix(&prefix) {
            let entry = out.entry(path.to_string()).or_default();
            for (v, o) in map {
                entry.insert(answers::normalise(v), o.clone().filter(|o| !o.is_empty()));
            }
        }
    }
    out
}

/// The answers of each choice column of a table sheet.
pub(crate) fn sheet_answers(
    sheet: &Sheet,
    kind: RecordKind,
    header_row: usize,
    table: &[(usize, Column)],
    request: &Answers,
    remembered: &Remembered,
) -> Vec<FieldAnswers> {
    let record_rows = rows::record_rows(sheet, header_row, table);
    let mut out = Vec::new();
    for (col, column) in table {
        let Some(set) = rows::answer_set(column) else {
            continue;
        };
        let distinct = distinct_values(sheet, *col, &record_rows);
        if distinct.is_empty() {
            continue;
        }
        let key = answers_key(kind, &column.path);
        let given = request.get(&key);
        let remembered = remembered.get(&key);
        let mut values: Vec<ValueAnswer> = distinct
            .into_iter()
            .map(|(k, raw, rows)| value_answer(set, &k, raw, rows, given, remembered))
            .collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.rows));
        out.push(FieldAnswers {
            sheet: sheet.name.clone(),
            column: column_letter(*col),
            kind,
            field: column.path.clone(),
            key,
            label: column.label.clone(),
            required: column.required(),
            options: answers::options(set)
                .into_iter()
                .map(|(id, label)| AnswerOption {
                    id: id.into(),
                    label: label.into(),
                })
                .collect(),
            values,
        });
    }
    out
}

/// A column's distinct values by normalised form, in the order first met: (normalised form,
/// first spelling, rows using it).
fn distinct_values(sheet: &Sheet, col: usize, record_rows: &[usize]) -> Vec<(String, String, u32)> {
    let mut order: Vec<(String, String, u32)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    // A text met before is the same value again: counted without tidying and normalising it
    // once more (a register writes a handful of values in thousands of rows).
    let mut met: HashMap<&str, usize> = HashMap::new();
    for r in record_rows {
        let cell = sheet.cell(*r, col);
        if let Cell::Text(t) = cell
            && let Some(&i) = met.get(t.as_str())
        {
            order[i].2 += 1;
            continue;
        }
        if cell.is_blank() {
            continue;
        }
        let raw = crate::import::values::tidy_text(&cell.display());
        let norm = answers::normalise(&raw);
        let k = if norm.is_empty() { raw.clone() } else { norm };
        let i = match at.get(&k) {
            Some(&i) => {
                order[i].2 += 1;
                i
            }
            None => {
                at.insert(k.clone(), order.len());
                order.push((k, raw, 1));
                order.len() - 1
            }
        };
        if let Cell::Text(t) = cell {
            met.insert(t.as_str(), i);
        }
    }
    order
}

/// One value's answer: given in the request, else remembered or suggested (used without
/// confirming only when sure enough).
fn value_answer(
    set: &str,
    k: &str,
    raw: String,
    rows: u32,
    given: Option<&BTreeMap<String, Option<String>>>,
    remembered: Option<&HashMap<String, Option<String>>>,
) -> ValueAnswer {
    let explicit = given.and_then(|g| {
        g.iter()
            .find(|(v, _)| answers::normalise(v) == k)
            .map(|(_, o)| o.clone().filter(|o| !o.is_empty()))
    });
    let (suggested, basis, confidence) = match remembered.and_then(|m| m.get(k)) {
        Some(o) => (o.clone(), AnswerBasis::Remembered, 100),
        None => {
            let s = answers::suggest(set, &raw);
            (
                s.option.map(str::to_string),
                basis_dto(s.basis),
                s.confidence,
            )
        }
    };
    let default = if confidence >= ANSWER_THRESHOLD {
        suggested.clone()
    } else {
        None
    };
    ValueAnswer {
        value: raw,
        rows,
        suggested,
        basis,
        confidence,
        answer: explicit.unwrap_or(default),
    }
}

fn basis_dto(b: Basis) -> AnswerBasis {
    match b {
        Basis::Exact => AnswerBasis::Exact,
        Basis::Synonym => AnswerBasis::Synonym,
        Basis::Word => AnswerBasis::Word,
        Basis::Similar => AnswerBasis::Similar,
        Basis::NotKnown => AnswerBasis::NotKnown,
        Basis::None => AnswerBasis::None,
    }
}

/// Reads answers from JSON: the `Answers` map itself, an object with an `answers` member (an
/// `ImportRequest`), or the output of `inspect --json` (each value's `answer`, as edited).
pub fn parse_answers(json: &str) -> Result<Answers, Error> {
    let usage = |m: String| Error::new(ErrorKind::Usage, format!("the answers are not valid: {m}"));
    let v: Value = serde_json::from_str(json).map_err(|e| usage(e.to_string()))?;
    let from_info = |v: &Value| -> Option<Answers> {
        let sheets = v.get("sheets")?.as_array()?;
        let mut out = Answers::new();
        for s in sheets {
            for f in s
                .get("answers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = f.get("key")?.as_str()?.to_string();
                let entry = out.entry(key).or_default();
                for val in f.get("values")?.as_array()? {
                    let value = val.get("value")?.as_str()?.to_string();
                    let answer = val
                        .get("answer")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    entry.insert(value, answer);
                }
            }
        }
        Some(out)
    };
    let answers = if let Some(a) = v.get("answers").filter(|a| a.is_object()) {
        serde_json::from_value::<Answers>(a.clone()).map_err(|e| usage(e.to_string()))?
    } else if v.get("sheets").is_some() {
        from_info(&v).ok_or_else(|| usage("the inspect output has no answers".into()))?
    } else {
        serde_json::from_value::<Answers>(v).map_err(|e| usage(e.to_string()))?
    };
    check(&answers)?;
    Ok(answers)
}

impl Store {
    /// The answers step for a request: for each mapped column whose field has options, its
    /// values with the answer given in the request, remembered by this store or suggested.
    pub fn import_answers(
        &mut self,
        path: &Path,
        request: &ImportRequest,
    ) -> Result<Vec<FieldAnswers>, Error> {
        check(&request.answers)?;
        let wb = read_file(path)?;
        let remembered = self.db.read(remembered)?;
        let mut out = Vec::new();
        for choice in &request.sheets {
            let (index, m) = mapped(&wb, choice)?;
            if let Layout::Table(cols) = &m.layout {
                out.extend(sheet_answers(
                    &wb.sheets[index],
                    m.kind,
                    m.header_row,
                    cols,
                    &request.answers,
                    &remembered,
                ));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_in_three_shapes_and_checked() {
        let a = parse_answers(r#"{"system.service_area": {"Team Alpha": "esd:42", "Misc": null}}"#)
            .unwrap();
        assert_eq!(
            a["system.service_area"]["Team Alpha"],
            Some("esd:42".into())
        );
        let b = parse_answers(
            r#"{"answers": {"contract.procurement_route": {"Further competition": null}}}"#,
        )
        .unwrap();
        assert_eq!(b["contract.procurement_route"]["Further competition"], None);
        let c = parse_answers(
            r#"{"sheets": [{"answers": [{"key": "system.hosting", "values": [{"value": "Cloud", "answer": "saas"}]}]}]}"#,
        )
        .unwrap();
        assert_eq!(c["system.hosting"]["Cloud"], Some("saas".into()));
        assert!(parse_answers(r#"{"system.name": {"x": "y"}}"#).is_err());
        assert!(parse_answers(r#"{"system.hosting": {"x": "moon"}}"#).is_err());
        assert!(parse_answers("[1]").is_err());
    }
}
