//! Types that cross the API boundary to front ends (CLI JSON output, Tauri IPC). Each derives
//! `ts_rs::TS`, so the UI's TypeScript types are generated from these definitions.

use crate::domain::enums::{RecordKind, ReviewState, SectionId, SectionState};
use crate::domain::records::RecordData;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::Location;

/// An organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrganisationDto {
    /// `scheme:code`, e.g. `gss:E09000007`.
    pub id: String,
    pub scheme: String,
    pub code: String,
    pub name: String,
}

/// One return held in a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnSummary {
    pub id: Uuid,
    pub organisation: OrganisationDto,
    pub cycle: String,
    pub questionnaire_version: String,
    /// The cycle this return was carried forward from.
    pub carried_from: Option<String>,
    pub created_at: String,
}

/// Something a section still needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Missing {
    pub message: String,
    pub location: Option<Location>,
}

/// A task-list section with its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SectionStatus {
    pub section: SectionId,
    pub title: String,
    pub state: SectionState,
    pub missing: Vec<Missing>,
}

/// The state of a whole return: what the task list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnStatus {
    pub organisation: OrganisationDto,
    pub cycle: String,
    pub questionnaire_version: String,
    pub sections: Vec<SectionStatus>,
}

/// A stored record with its bookkeeping. The record's own fields sit under `data`, tagged by
/// `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordDto {
    pub id: Uuid,
    #[serde(flatten)]
    pub record: RecordData,
    /// A short name for people.
    pub label: String,
    pub review_state: ReviewState,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UndoOutcome {
    /// The action that was undone: add, update, delete, restore or review.
    pub undone: String,
    pub kind: RecordKind,
    pub id: Uuid,
    pub label: String,
    /// One line for people, e.g. "Undid the deletion of system 'Mosaic'".
    pub message: String,
}

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntryDto {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub kind: Option<RecordKind>,
    pub record_id: Option<Uuid>,
    pub undone: bool,
}

/// An enumeration's options, for pickers and data dictionaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EnumerationDto {
    pub name: String,
    pub options: Vec<EnumOption>,
}

/// One option of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EnumOption {
    pub id: String,
    pub label: String,
}

/// What a build of City Tools is: shown by the app's *About* screen and `city --version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct About {
    /// The release version (the workspace's, e.g. `0.1.0`).
    pub version: String,
    /// The git commit the build was made from, or `unknown` (built outside a git checkout).
    pub commit: String,
    /// The schema version of the stores this build writes (older ones are migrated on open).
    #[ts(type = "number")]
    pub schema_version: i64,
    /// The questionnaire version of new returns.
    pub questionnaire_version: String,
}

impl About {
    /// One line: `0.1.0 (commit abc1234, store schema 5, questionnaire 2026.1)`.
    pub fn line(&self) -> String {
        format!(
            "{} (commit {}, store schema {}, questionnaire {})",
            self.version, self.commit, self.schema_version, self.questionnaire_version
        )
    }
}
