//! `city_core::api`: the only public surface of the core. Front ends (the `city` CLI, the Tauri
//! app) call these functions and nothing deeper. Every call returns data or an [`Error`] that
//! is itself data (`{kind, message, location, issues}`).
//!
//! A [`Store`] is one organisation's local file. It holds a return per cycle; calls that take
//! `cycle: Option<&str>` act on that cycle's return, or on the newest one when `None`.

mod analysis;
mod bundle_prepare;
mod bundles;
mod dto;
mod edit;
mod error;
mod exports;
#[cfg(test)]
mod london_workbook;
mod progress;
mod publish;
mod publish_postgres;
mod questionnaire;
mod since_last_year;
mod spreadsheets;

// Everything public, named: what front ends may use is read here, not found through globs.
pub use crate::domain::caf::CafOutcome;
pub use crate::domain::cycle::QUESTIONNAIRE_VERSION;
pub use crate::domain::enums::{
    Art28Terms, BackupState, CafRating, CeStatus, Criticality, DpiaStatus, Hosting, IcoCategory,
    IcoRating, LawfulBasis, MfaCoverage, ProcurementRoute, PsnStatus, RecordKind, ReviewState,
    Satisfaction, SectionId, SectionState, ServiceArea, SkillArea, SkillLevel, SupportStatus,
    SystemCategory, TransferMechanism,
};
pub use crate::domain::records::{
    Contract, CyberReadiness, GdprReadiness, Product, RecordData, Skill, Supplier, System,
    SystemGdpr, is_sensitive,
};
pub use crate::domain::values::{IsoDate, Pence};
pub use crate::progress::Progress;
pub use analysis::{
    AliasDecisionDto, AliasKind, AliasSuggestion, Analysis, AnalysisFilter, AnalysisReport,
    CafCell, CafRow, CertificateRow, CertificateState, ConcentrationReport, ConcentrationSlice,
    ContractDecision, DecisionFlag, DecisionOptions, Entity, EntityMember, HhiBand, IcoRow,
    JointWindow, NormalisationReport, ProductOptions, ProductUse, ReadinessOptions,
    ReadinessReport, SatisfactionPoint, SharedProduct, SkillOptions, SkillPair, SupplierShare,
    SupportRow, UnsupportedSystem, Urgency, WindowContract, WindowGrouping, WindowOptions,
};
pub use bundles::{
    BundleInfo, ChangedOwned, CyclePackInput, ImportOutcome, ImportOutcomeKind, KeyInfo,
    KeyringEntry, QuarantinedBundle, RecordRefOwned, ReturnDiff, SentBundle, StoreInfo, StoreRole,
    Tracker, TrackerRow, create_cycle_pack, generate_identity, generate_signing_key,
    inspect_bundle, inspect_bundle_bytes, public_key_info, rotate_signing_key,
};
pub use dto::{
    About, AuditEntryDto, EnumOption, EnumerationDto, Missing, OrganisationDto, RecordDto,
    ReturnStatus, ReturnSummary, SectionStatus, UndoOutcome,
};
pub use error::{Cause, Error, ErrorKind, Issue, Location};
pub use exports::{
    ExportOutcome, ExportProfile, ExportedFile, ExportedSheet, export_workbook_from_returns,
    parse_export_profile,
};
pub use progress::{
    AreaConcentration, CertificateCounts, CertificateMove, ChangeKind, ConcentrationFigures,
    ContractMovement, MarketProgress, Movement, OrgProgress, ProgressChange, ProgressInput,
    ProgressOptions, ProgressReport, ProgressTotals, RecordMovement, ReturnPair, ReturnReceipt,
    ShareChange, SkillLevelCount, SystemMovement, WindowOutcome, WindowProgress,
    progress_from_returns,
};
#[cfg(test)]
pub(crate) use publish::analysis_of;
pub(crate) use publish::returns_dataset;
pub use publish::{PublishOutcome, parse_site_profile, publish_site_from_returns};
pub use publish_postgres::{
    PgConnection, PgPublishOutcome, parse_pg_profile, publish_postgres_from_returns,
};
pub use questionnaire::{FieldKind, FieldSchema, Questionnaire, RecordSchema, questionnaire};
pub use since_last_year::{ChangesSinceLastYear, RecordSinceLastYear, SinceLastYear};
pub use spreadsheets::{
    ANSWER_THRESHOLD, AnswerBasis, AnswerOption, Answers, Changes, ColumnChoice, ColumnInfo,
    FieldAnswers, FieldChange, ImportCounts, ImportField, ImportPlan, ImportRequest, MappingSource,
    MatchKey, RowAction, RowPlan, SheetImport, SheetInfo, SheetLayout, SpreadsheetInfo,
    ValueAnswer, default_import_request, import_fields, inspect_sheet, inspect_spreadsheet,
    inspect_spreadsheet_bytes, parse_answers, parse_import_request, parse_match_key,
    write_import_errors,
};

use crate::domain::completeness::{self, LiveRecord};
use crate::domain::cycle::CycleId;
use crate::domain::organisation::Organisation;
use crate::store::{AuditAction, Db, NewAudit, RecordRow, ReturnRow, Tx};
use chrono::{DateTime, Utc};
use std::path::Path;
use uuid::Uuid;

/// Who is acting and when: passed in so that tests are deterministic.
#[derive(Debug, Clone)]
pub struct Context {
    pub actor: String,
    pub now: DateTime<Utc>,
}

impl Context {
    /// The signed-in user (from `$USER`) and the system clock.
    pub fn system() -> Context {
        let actor = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Context {
            actor,
            now: Utc::now(),
        }
    }
}

/// What to create a store for.
#[derive(Debug, Clone)]
pub struct NewStore {
    /// `E09000007`, `gss:E09000007`, or `scheme:code` for another organisation.
    pub organisation: String,
    /// Needed only for an organisation that is not one of the 33 London authorities.
    pub organisation_name: Option<String>,
    /// The first cycle, e.g. `2026-27`.
    pub cycle: String,
}

/// An open local store.
#[derive(Debug)]
pub struct Store {
    db: Db,
}

/// The 33 London local authorities, in GSS order.
pub fn london_organisations() -> Vec<OrganisationDto> {
    Organisation::london().map(|o| org_dto(&o)).collect()
}

/// Every questionnaire enumeration with its stable ids and labels.
pub fn enumerations() -> Vec<EnumerationDto> {
    crate::domain::enums::all_enumerations()
        .into_iter()
        .map(|(name, options)| EnumerationDto {
            name: name.to_string(),
            options: options
                .into_iter()
                .map(|(id, label)| EnumOption {
                    id: id.to_string(),
                    label: label.to_string(),
                })
                .collect(),
        })
        .collect()
}

/// The fields of an empty record of `kind`, as JSON: the shape `add` and `update` accept.
pub fn record_template(kind: RecordKind) -> serde_json::Value {
    RecordData::empty(kind).to_json()
}

/// Parses a record kind from its id (`system`, `contract`, …).
pub fn parse_kind(s: &str) -> Result<RecordKind, Error> {
    RecordKind::from_id(s.trim()).ok_or_else(|| {
        let ids: Vec<&str> = RecordKind::ALL.iter().map(|k| k.id()).collect();
        Error::new(
            ErrorKind::Usage,
            format!(
                "'{s}' is not a record type (use one of: {})",
                ids.join(", ")
            ),
        )
    })
}

/// The cycle after `cycle` (`2026-27` → `2027-28`).
pub fn next_cycle(cycle: &str) -> Result<String, Error> {
    Ok(parse_cycle(cycle)?.next().to_string())
}

/// The cycle (financial year, April to March) that contains `date`: the default for a new
/// return.
pub fn cycle_containing(date: chrono::NaiveDate) -> String {
    CycleId::containing(date).to_string()
}

/// The schema version of stores this build writes.
pub fn schema_version() -> i64 {
    crate::store::SCHEMA_VERSION
}

/// What this build is: the front end's version and git commit (it knows them at its build
/// time) with the core's store schema and questionnaire versions.
pub fn about(version: &str, commit: &str) -> About {
    About {
        version: version.to_string(),
        commit: commit.to_string(),
        schema_version: schema_version(),
        questionnaire_version: QUESTIONNAIRE_VERSION.to_string(),
    }
}

fn org_dto(o: &Organisation) -> OrganisationDto {
    OrganisationDto {
        id: o.id(),
        scheme: o.scheme.clone(),
        code: o.code.clone(),
        name: o.name.clone(),
    }
}

fn summary(r: &ReturnRow, all: &[ReturnRow]) -> ReturnSummary {
    ReturnSummary {
        id: r.id,
        organisation: org_dto(&r.organisation),
        cycle: r.cycle.to_string(),
        questionnaire_version: r.questionnaire_version.clone(),
        carried_from: r
            .carried_from
            .and_then(|id| all.iter().find(|x| x.id == id))
            .map(|x| x.cycle.to_string()),
        created_at: crate::store::rows_ts(r.created_at),
    }
}

pub(crate) fn parse_cycle(s: &str) -> Result<CycleId, Error> {
    CycleId::parse(s).map_err(|e| {
        Error::new(ErrorKind::Validation, e.to_string()).at(Location::Record {
            table: "return".into(),
            record: None,
            field: Some("cycle".into()),
        })
    })
}

/// Finds the return for `cycle`, or the newest one.
pub(crate) fn find_return(tx: &Tx<'_>, cycle: Option<&str>) -> Result<ReturnRow, Error> {
    let all = tx.returns()?;
    match cycle {
        Some(c) => {
            let c = parse_cycle(c)?;
            all.into_iter().find(|r| r.cycle == c).ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("this store has no return for cycle {c}"),
                )
            })
        }
        None => all
            .into_iter()
            .max_by(|a, b| a.cycle.cmp(&b.cycle))
            .ok_or_else(|| Error::new(ErrorKind::NotFound, "this store has no returns")),
    }
}

pub(crate) fn record_dto(r: &RecordRow) -> RecordDto {
    RecordDto {
        id: r.id,
        label: r.data.label(),
        record: r.data.clone(),
        review_state: r.review_state,
        created_at: crate::store::rows_ts(r.created_at),
        updated_at: crate::store::rows_ts(r.updated_at),
        deleted_at: r.deleted_at.map(crate::store::rows_ts),
    }
}

impl Store {
    /// Creates a store for a London authority's first return, e.g. `("E09000007", "2026-27")`.
    pub fn create(
        path: &Path,
        organisation: &str,
        cycle: &str,
        ctx: &Context,
    ) -> Result<Store, Error> {
        Store::create_for(
            path,
            &NewStore {
                organisation: organisation.to_string(),
                organisation_name: None,
                cycle: cycle.to_string(),
            },
            ctx,
        )
    }

    /// Creates the store for a London authority's first return (`organisation`: its GSS code
    /// or id) in the folder `dir` where an app keeps its stores, one per organisation, named
    /// after the code. If the organisation already has its store there, the error says to open
    /// it rather than start again.
    pub fn create_in_folder(
        dir: &Path,
        organisation: &str,
        cycle: &str,
        ctx: &Context,
    ) -> Result<Store, Error> {
        let wanted = organisation.trim();
        let org = Organisation::london()
            .find(|o| o.code == wanted || o.id() == wanted)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Validation,
                    "choose your organisation from the list",
                )
                .at(Location::Record {
                    table: "organisation".into(),
                    record: None,
                    field: Some("code".into()),
                })
            })?;
        let path = dir.join(format!("{}.ctstore", org.code));
        if path.exists() {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "{} already has a store on this computer: open it from the list of returns",
                    org.name
                ),
            )
            .at(Location::File {
                file: path.display().to_string(),
                sheet: None,
                row: None,
                column: None,
            }));
        }
        Store::create(&path, &org.code, cycle, ctx)
    }

    /// Creates a store for any organisation. Fails if the file exists.
    pub fn create_for(path: &Path, new: &NewStore, ctx: &Context) -> Result<Store, Error> {
        let org = Organisation::resolve(&new.organisation, new.organisation_name.as_deref())
            .map_err(|e| {
                Error::new(ErrorKind::Validation, e.to_string()).at(Location::Record {
                    table: "organisation".into(),
                    record: None,
                    field: Some("code".into()),
                })
            })?;
        let cycle = parse_cycle(&new.cycle)?;
        let db = Db::create(path, &org, &cycle, Uuid::new_v4(), &ctx.actor, ctx.now)?;
        Ok(Store { db })
    }

    /// Opens an existing store. A file that is not a store, or one written by a newer version,
    /// is refused and left exactly as it was.
    pub fn open(path: &Path) -> Result<Store, Error> {
        Ok(Store {
            db: Db::open(path)?,
        })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        self.db.path()
    }

    /// Every return in the store, oldest cycle first.
    pub fn returns(&mut self) -> Result<Vec<ReturnSummary>, Error> {
        self.db.read(|tx| {
            let all = tx.returns()?;
            Ok(all.iter().map(|r| summary(r, &all)).collect())
        })
    }

    /// Completeness of a return, section by section, with what is missing.
    pub fn status(&mut self, cycle: Option<&str>) -> Result<ReturnStatus, Error> {
        self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            let live: Vec<LiveRecord> = tx
                .records(ret.id, None, false)?
                .into_iter()
                .map(|r| LiveRecord {
                    id: r.id,
                    review_state: r.review_state,
                    data: r.data,
                })
                .collect();
            let sections = completeness::assess(&live)
                .into_iter()
                .map(|s| SectionStatus {
                    section: s.section,
                    title: s.section.label().to_string(),
                    state: s.state,
                    missing: s
                        .missing
                        .into_iter()
                        .map(|m| Missing {
                            message: m.message,
                            location: Some(Location::record(m.kind, m.record, m.field.as_deref())),
                        })
                        .collect(),
                })
                .collect();
            Ok(ReturnStatus {
                organisation: org_dto(&ret.organisation),
                cycle: ret.cycle.to_string(),
                questionnaire_version: ret.questionnaire_version,
                sections,
            })
        })
    }

    /// The records of one kind, oldest first; deleted ones too if asked.
    pub fn list(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        include_deleted: bool,
    ) -> Result<Vec<RecordDto>, Error> {
        self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            Ok(tx
                .records(ret.id, Some(kind), include_deleted)?
                .iter()
                .map(record_dto)
                .collect())
        })
    }

    /// One record, by full id or an unambiguous prefix of it (deleted records included).
    pub fn get(
        &mut self,
        cycle: Option<&str>,
        kind: RecordKind,
        id: &str,
    ) -> Result<RecordDto, Error> {
        self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            edit::resolve(tx, &ret, kind, id).map(|r| record_dto(&r))
        })
    }

    /// The newest audit entries of a return, newest first.
    pub fn history(
        &mut self,
        cycle: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntryDto>, Error> {
        self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            Ok(tx
                .history(ret.id, limit)?
                .into_iter()
                .map(|a| AuditEntryDto {
                    seq: a.seq,
                    at: crate::store::rows_ts(a.at),
                    actor: a.actor,
                    action: a.action.id().to_string(),
                    kind: a.kind,
                    record_id: a.record_id,
                    undone: a.undone_by.is_some(),
                })
                .collect())
        })
    }

    /// Starts cycle `to`'s return from the newest earlier one: every live record keeps its id
    /// and is marked *to review*; retired records are left behind. One transaction.
    pub fn carry_forward(
        &mut self,
        to: &str,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ReturnSummary, Error> {
        let to = parse_cycle(to)?;
        self.db.write(|tx| {
            let all = tx.returns()?;
            if all.iter().any(|r| r.cycle == to) {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("this store already has a return for cycle {to}"),
                ));
            }
            let from = all
                .iter()
                .filter(|r| r.cycle < to)
                .max_by(|a, b| a.cycle.cmp(&b.cycle))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::NotFound,
                        format!("there is no return before cycle {to} to carry forward"),
                    )
                })?
                .clone();
            let new = ReturnRow {
                id: Uuid::new_v4(),
                organisation: from.organisation.clone(),
                cycle: to.clone(),
                questionnaire_version: QUESTIONNAIRE_VERSION.to_string(),
                carried_from: Some(from.id),
                created_at: ctx.now,
            };
            tx.insert_return(&new)?;
            let records: Vec<RecordRow> = tx
                .records(from.id, None, false)?
                .into_iter()
                .filter(|r| r.review_state != ReviewState::Retired)
                .collect();
            let total = records.len() as u64;
            let stage = format!("Carrying {total} records forward from {}", from.cycle);
            progress(&Progress {
                stage: stage.clone(),
                done: 0,
                total,
            });
            for (i, r) in records.into_iter().enumerate() {
                tx.insert_record(&RecordRow {
                    return_id: new.id,
                    review_state: ReviewState::ToReview,
                    created_at: ctx.now,
                    updated_at: ctx.now,
                    deleted_at: None,
                    ..r
                })?;
                let done = i as u64 + 1;
                if done.is_multiple_of(200) || done == total {
                    progress(&Progress {
                        stage: stage.clone(),
                        done,
                        total,
                    });
                }
            }
            tx.audit(&NewAudit {
                at: ctx.now,
                actor: &ctx.actor,
                action: AuditAction::CarryForward,
                return_id: Some(new.id),
                record_id: None,
                kind: None,
                before: None,
                after: None,
            })?;
            let all = tx.returns()?;
            Ok(summary(&new, &all))
        })
    }

    /// Starts an empty return for cycle `cycle` (for a return begun from scratch rather than
    /// carried forward). Fails if the store already has one for that cycle.
    pub fn new_return(&mut self, cycle: &str, ctx: &Context) -> Result<ReturnSummary, Error> {
        let cycle = parse_cycle(cycle)?;
        self.db.write(|tx| {
            if tx.role()? == crate::store::StoreRole::Central {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "LOTI's central store receives returns as bundles: it cannot start one",
                ));
            }
            let all = tx.returns()?;
            if all.iter().any(|r| r.cycle == cycle) {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("this store already has a return for cycle {cycle}"),
                ));
            }
            let owner = all
                .iter()
                .max_by(|a, b| a.cycle.cmp(&b.cycle))
                .map(|r| r.organisation.clone())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Conflict,
                        "this store holds no organisation's return to add a cycle to",
                    )
                })?;
            let new = ReturnRow {
                id: Uuid::new_v4(),
                organisation: owner,
                cycle: cycle.clone(),
                questionnaire_version: QUESTIONNAIRE_VERSION.to_string(),
                carried_from: None,
                created_at: ctx.now,
            };
            tx.insert_return(&new)?;
            tx.audit(&NewAudit {
                at: ctx.now,
                actor: &ctx.actor,
                action: AuditAction::CreateStore,
                return_id: Some(new.id),
                record_id: None,
                kind: None,
                before: None,
                after: None,
            })?;
            let all = tx.returns()?;
            Ok(summary(&new, &all))
        })
    }

    /// Runs SQLite's integrity check on the store.
    pub fn integrity_check(&mut self) -> Result<(), Error> {
        Ok(self.db.integrity_check()?)
    }
}
