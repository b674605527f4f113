//! The return's natural keys — names, contract references, Companies House numbers, skill
//! areas, the one-per-return records — kept current as an import writes, and how a row's
//! fields find the record they mean.

use super::MatchKey;
use super::links;
use crate::domain::enums::RecordKind;
use crate::domain::records::RecordData;
use crate::import::values::fold;
use crate::store::{ReturnRow, StoreError, Tx};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use uuid::Uuid;

/// Lower case, single spaces, `limited` → `ltd`, no full stops or commas: how supplier and
/// system names are matched.
pub(super) fn name_key(s: &str) -> String {
    let f = fold(s);
    // `fold` leaves single spaces: without stops, commas or "limited" it is the key already.
    if !f.contains(['.', ',']) && !f.split(' ').any(|w| w == "limited") {
        return f;
    }
    let f = f.replace(['.', ','], " ");
    f.split_whitespace()
        .map(|w| match w {
            "limited" => "ltd",
            "public limited company" => "plc",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Natural keys of the records in the return, kept current as the import writes.
pub(super) struct Index {
    /// Every live record of the return, with its kind.
    pub(super) kinds: HashMap<Uuid, RecordKind>,
    pub(super) by_name: HashMap<(RecordKind, String), Uuid>,
    pub(super) by_reference: HashMap<String, Uuid>,
    pub(super) by_companies_house: HashMap<String, Uuid>,
    pub(super) singleton: HashMap<RecordKind, Uuid>,
    pub(super) skill_area: HashMap<String, Uuid>,
    /// Systems' contracts and products (`links`).
    pub(super) linked: links::Linked,
    /// The keys of names looked up so far (a register names the same few suppliers in many
    /// rows), up to [`NAME_KEYS_MAX`] of them.
    name_keys: RefCell<HashMap<String, String>>,
}

/// Names whose keys [`Index::name`] remembers.
const NAME_KEYS_MAX: usize = 4096;

impl Index {
    pub(super) fn load(tx: &Tx<'_>, ret: &ReturnRow) -> Result<Index, StoreError> {
        let mut ix = Index {
            kinds: HashMap::new(),
            by_name: HashMap::new(),
            by_reference: HashMap::new(),
            by_companies_house: HashMap::new(),
            singleton: HashMap::new(),
            skill_area: HashMap::new(),
            linked: links::Linked::default(),
            name_keys: RefCell::new(HashMap::new()),
        };
        for r in tx.records(ret.id, None, false)? {
            ix.add(r.id, &r.data);
        }
        Ok(ix)
    }

    pub(super) fn add(&mut self, id: Uuid, data: &RecordData) {
        let kind = data.kind();
        self.kinds.insert(id, kind);
        self.linked.add(id, data);
        match data {
            RecordData::Supplier(s) => {
                for n in std::iter::once(&s.name).chain(s.aliases.iter()) {
                    self.by_name.entry((kind, name_key(n))).or_insert(id);
                }
                if let Some(ch) = &s.companies_house {
                    self.by_companies_house.entry(ch.clone()).or_insert(id);
                }
            }
            RecordData::Contract(c) => {
                self.by_name.entry((kind, name_key(&c.title))).or_insert(id);
                if let Some(r) = &c.reference {
                    self.by_reference.entry(fold(r)).or_insert(id);
                }
            }
            RecordData::Skill(s) => {
                if let Some(a) = s.area {
                    self.skill_area.insert(a.id().to_string(), id);
                }
            }
            RecordData::Gdpr(_) | RecordData::Cyber(_) => {
                self.singleton.insert(kind, id);
            }
            other => {
                self.by_name
                    .entry((kind, name_key(&other.label())))
                    .or_insert(id);
            }
        }
    }

    /// Room for `n` more records (an import's rows), so the maps are not rebuilt as they grow.
    pub(super) fn reserve(&mut self, n: usize) {
        self.kinds.reserve(n);
        self.by_name.reserve(n);
        self.by_reference.reserve(n);
    }

    pub(super) fn name(&self, kind: RecordKind, name: &str) -> Option<Uuid> {
        let mut keys = self.name_keys.borrow_mut();
        let key = match keys.get(name) {
            Some(key) => key.clone(),
            None => {
                let key = name_key(name);
                if keys.len() < NAME_KEYS_MAX {
                    keys.insert(name.to_string(), key.clone());
                }
                key
            }
        };
        drop(keys);
        self.by_name.get(&(kind, key)).copied()
    }
}

/// The natural key of a row, for matching and for spotting duplicate rows.
pub(super) fn natural_key(
    kind: RecordKind,
    fields: &Map<String, Value>,
    key: MatchKey,
) -> Option<String> {
    let s = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_string);
    match (kind, key) {
        (_, MatchKey::Id | MatchKey::None) => None,
        (RecordKind::Contract, MatchKey::Name) => {
            s("title").map(|t| format!("title:{}", name_key(&t)))
        }
        (RecordKind::Contract, _) => s("reference")
            .map(|r| format!("ref:{}", fold(&r)))
            .or_else(|| s("title").map(|t| format!("title:{}", name_key(&t)))),
        (RecordKind::Skill, _) => s("area").map(|a| format!("area:{a}")),
        (RecordKind::Gdpr | RecordKind::Cyber, _) => Some("one".into()),
        (_, _) => s("name").map(|n| format!("name:{}", name_key(&n))),
    }
}

pub(super) fn find_by_key(
    ix: &Index,
    kind: RecordKind,
    fields: &Map<String, Value>,
    key: MatchKey,
) -> Option<Uuid> {
    if kind.is_singleton() {
        return ix.singleton.get(&kind).copied();
    }
    let nk = natural_key(kind, fields, key)?;
    let (tag, value) = nk.split_once(':')?;
    match tag {
        "ref" => ix.by_reference.get(value).copied(),
        "area" => ix.skill_area.get(value).copied(),
        _ => ix.by_name.get(&(kind, value.to_string())).copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_without_stops_or_limited_are_the_folded_name() {
        let slow = |s: &str| -> String {
            fold(s)
                .replace(['.', ','], " ")
                .split_whitespace()
                .map(|w| if w == "limited" { "ltd" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        };
        for s in [
            "Civica UK Limited",
            "CIVICA  uk ltd.",
            "Capita, plc",
            "  Midland   HR ",
            "Ünïcode Straße GmbH",
            "A.B. Services",
            "Limited Edition",
            "",
        ] {
            assert_eq!(name_key(s), slow(s), "{s:?}");
        }
    }
}
