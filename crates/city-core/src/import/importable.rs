//! Every column the importer understands on a sheet of a record type: the layout's
//! (`sheet_layout::columns`, which the template writes) and the extra ones registers carry —
//! the supplier's details, and the columns of linked records (`linked.rs`).

use crate::domain::enums::RecordKind;
use crate::sheet_layout::columns::{Column, Target, columns};

/// Columns the importer also understands on a sheet of `kind` (not written by the template):
/// the supplier's details, and the columns of linked records (`import::linked`).
pub(crate) fn extra_columns(kind: RecordKind) -> Vec<Column> {
    if !matches!(
        kind,
        RecordKind::Contract | RecordKind::System | RecordKind::Product
    ) {
        return Vec::new();
    }
    let mut out = vec![
        Column {
            path: "supplier.companies_house".into(),
            label: "Supplier's Companies House number".into(),
            hint: "Used to match or create the supplier".into(),
            target: Target::SupplierDetail("companies_house"),
        },
        Column {
            path: "supplier.sme".into(),
            label: "Supplier is an SME".into(),
            hint: "Used when the supplier is created".into(),
            target: Target::SupplierDetail("sme"),
        },
    ];
    out.extend(super::linked::columns(kind));
    out
}

/// Finds a column of `kind` by its path.
pub(crate) fn find(kind: RecordKind, path: &str) -> Option<Column> {
    columns(kind)
        .into_iter()
        .chain(extra_columns(kind))
        .find(|c| c.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn paths_and_labels_are_unique_per_kind() {
        for kind in RecordKind::ALL {
            let cols: Vec<Column> = columns(*kind)
                .into_iter()
                .chain(extra_columns(*kind))
                .collect();
            let paths: BTreeSet<_> = cols.iter().map(|c| c.path.clone()).collect();
            let labels: BTreeSet<_> = cols
                .iter()
                .map(|c| super::super::values::fold(&c.label))
                .collect();
            assert_eq!(paths.len(), cols.len(), "{kind:?}");
            assert_eq!(labels.len(), cols.len(), "{kind:?}");
        }
        assert!(find(RecordKind::Gdpr, "ratings.breach_response").is_some());
    }
}
