//! Redaction profiles: the one place that decides which fields each audience sees. Built on the
//! model's sensitive marking (`domain::records::SENSITIVE_FIELDS`), so a field marked sensitive
//! there is redacted everywhere here without another list to keep in step.
//!
//! - `full` (LOTI only): every field, including per-system exposure and every CAF rating.
//! - `committee`: no sensitive field per record; sensitive answers appear only as counts per
//!   organisation ("systems not patched within 14 days: 3", CAF outcomes achieved / partially /
//!   not achieved, "IT health check in the last 12 months: yes"), never tied to a system.
//! - `open`: no sensitive field and no count derived from one; free-text notes are left out too,
//!   because nobody reviewed them for publication; and no system's support status or end of
//!   support, so nothing published names a system as out of support (an attacker's shortlist):
//!   how many systems each organisation has out of support is still shown.

use crate::domain::enums::RecordKind;
use crate::domain::records::is_sensitive;
use serde::{Deserialize, Serialize};

/// Fields that are not sensitive but are still left out of `open`: free-text notes (nobody
/// reviewed them for publication) and a system's support status and end of support (together
/// with its name they list the systems out of support).
const WITHHELD_FROM_OPEN: [&str; 3] = ["notes", "support_status", "end_of_support"];

/// Who an export is for, and so what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportProfile {
    /// Everything, including sensitive fields. LOTI's central store only.
    Full,
    /// For the committee: sensitive answers only as counts per organisation.
    Committee,
    /// For publication: nothing sensitive, no free-text notes.
    Open,
}

impl ExportProfile {
    pub const ALL: [ExportProfile; 3] = [
        ExportProfile::Full,
        ExportProfile::Committee,
        ExportProfile::Open,
    ];

    /// The stable id (`full`, `committee`, `open`).
    pub fn id(self) -> &'static str {
        match self {
            ExportProfile::Full => "full",
            ExportProfile::Committee => "committee",
            ExportProfile::Open => "open",
        }
    }

    pub fn from_id(s: &str) -> Option<ExportProfile> {
        ExportProfile::ALL.into_iter().find(|p| p.id() == s)
    }

    /// The UK Government Security Classification marking a document of this profile carries:
    /// `OFFICIAL-SENSITIVE` for `full` (per-system security detail, need to know), `OFFICIAL`
    /// for `committee` and `open`. Printed at the top of the workbook's summary and in every
    /// sheet's header and footer.
    pub fn marking(self) -> &'static str {
        match self {
            ExportProfile::Full => "OFFICIAL-SENSITIVE",
            ExportProfile::Committee | ExportProfile::Open => "OFFICIAL",
        }
    }

    /// One line for people, shown on the workbook's summary sheet.
    pub(crate) fn description(self) -> &'static str {
        match self {
            ExportProfile::Full => {
                "Full: every answer, including sensitive security details. Do not share."
            }
            ExportProfile::Committee => {
                "Committee: sensitive security answers appear only as counts per organisation."
            }
            ExportProfile::Open => {
                "Open: no sensitive security answers, no free-text notes and no support status per system; fit to publish."
            }
        }
    }

    /// Whether a field of a record kind (top-level name, or `outer.inner`) is written per record.
    pub(crate) fn keeps(self, kind: RecordKind, field: &str) -> bool {
        let top = field.split('.').next().unwrap_or(field);
        match self {
            ExportProfile::Full => true,
            ExportProfile::Committee => !is_sensitive(kind, top),
            ExportProfile::Open => !is_sensitive(kind, top) && !WITHHELD_FROM_OPEN.contains(&top),
        }
    }

    /// Whether counts derived from sensitive answers may be shown (per organisation, never per
    /// system).
    pub(crate) fn shows_sensitive_counts(self) -> bool {
        !matches!(self, ExportProfile::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{RecordData, SENSITIVE_FIELDS};

    #[test]
    fn sensitive_fields_reach_only_the_full_profile() {
        for (kind, field) in SENSITIVE_FIELDS {
            assert!(ExportProfile::Full.keeps(*kind, field));
            assert!(!ExportProfile::Committee.keeps(*kind, field), "{field}");
            assert!(!ExportProfile::Open.keeps(*kind, field), "{field}");
        }
        assert!(ExportProfile::Open.keeps(RecordKind::System, "gdpr.lawful_basis"));
        assert!(!ExportProfile::Open.keeps(RecordKind::Contract, "notes"));
        assert!(!ExportProfile::Open.keeps(RecordKind::System, "support_status"));
        assert!(!ExportProfile::Open.keeps(RecordKind::System, "end_of_support"));
        assert!(ExportProfile::Committee.keeps(RecordKind::System, "support_status"));
        assert!(ExportProfile::Committee.keeps(RecordKind::Contract, "notes"));
        assert!(!ExportProfile::Open.shows_sensitive_counts());
    }

    #[test]
    fn every_other_field_is_kept_by_committee() {
        for kind in RecordKind::ALL {
            let json = RecordData::empty(*kind).to_json();
            for field in json.as_object().into_iter().flat_map(|m| m.keys()) {
                assert_eq!(
                    ExportProfile::Committee.keeps(*kind, field),
                    !is_sensitive(*kind, field)
                );
            }
        }
    }

    #[test]
    fn ids_round_trip() {
        for p in ExportProfile::ALL {
            assert_eq!(ExportProfile::from_id(p.id()), Some(p));
        }
        assert_eq!(ExportProfile::from_id("secret"), None);
    }
}
