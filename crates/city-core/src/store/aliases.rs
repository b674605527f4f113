//! Rows for analysis: the alias decisions analysts made about supplier and product names.

use super::error::{SqlContext, StoreError};
use super::rows::Tx;
use rusqlite::params;

/// One alias decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AliasRow {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) name_a: String,
    pub(crate) name_b: String,
    pub(crate) label_a: String,
    pub(crate) label_b: String,
    pub(crate) decision: String,
    pub(crate) cycle_id: String,
    pub(crate) decided_by: String,
    pub(crate) decided_at: String,
    pub(crate) note: String,
    pub(crate) superseded_by: Option<String>,
}

const COLS: &str = "id, kind, name_a, name_b, label_a, label_b, decision, cycle_id, decided_by, decided_at, note, superseded_by";

impl Tx<'_> {
    /// Every alias decision, oldest first (superseded ones included).
    pub(crate) fn alias_decisions(&self) -> Result<Vec<AliasRow>, StoreError> {
        let mut stmt = self
            .tx
            .prepare(&format!(
                "SELECT {COLS} FROM alias_decision ORDER BY decided_at, rowid"
            ))
            .ctx("listing alias decisions")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AliasRow {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    name_a: r.get(2)?,
                    name_b: r.get(3)?,
                    label_a: r.get(4)?,
                    label_b: r.get(5)?,
                    decision: r.get(6)?,
                    cycle_id: r.get(7)?,
                    decided_by: r.get(8)?,
                    decided_at: r.get(9)?,
                    note: r.get(10)?,
                    superseded_by: r.get(11)?,
                })
            })
            .ctx("listing alias decisions")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("listing alias decisions")?;
        Ok(rows)
    }

    /// Records a decision, superseding the current one on the same pair (if any).
    pub(crate) fn insert_alias_decision(&self, a: &AliasRow) -> Result<(), StoreError> {
        self.tx
            .execute(
                &format!(
                    "INSERT INTO alias_decision ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL)"
                ),
                params![
                    a.id, a.kind, a.name_a, a.name_b, a.label_a, a.label_b, a.decision,
                    a.cycle_id, a.decided_by, a.decided_at, a.note
                ],
            )
            .map(|_| ())
            .ctx("saving an alias decision")
    }

    /// Marks the current decision on a pair as superseded by `by`.
    pub(crate) fn supersede_alias_decision(&self, id: &str, by: &str) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE alias_decision SET superseded_by = ?2 WHERE id = ?1",
                params![id, by],
            )
            .map(|_| ())
            .ctx("superseding an alias decision")
    }
}
