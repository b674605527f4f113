//! LOTI's collaboration views and exports: one command per analysis view (each reads the
//! cycle's returns — progress: two cycles' — from the central store and answers with the core's
//! DTO), alias decisions,
//! and the committee workbook, CSV and OCDS exports with progress. No rules live here.

use super::{forward, on_store};
use crate::state::AppState;
use city_core::api::{
    AliasDecisionDto, AliasSuggestion, AnalysisFilter, ConcentrationReport, Context,
    ContractDecision, DecisionOptions, Error, ExportOutcome, ExportProfile, JointWindow,
    NormalisationReport, ProductOptions, Progress, ProgressOptions, ProgressReport,
    ReadinessOptions, ReadinessReport, RecordKind, SharedProduct, SkillOptions, SkillPair,
    WindowOptions,
};
use std::path::Path;
use tauri::ipc::Channel;

/// Suppliers and products matched across organisations, and the alias suggestions.
#[tauri::command]
pub(crate) fn analysis_overview(
    state: tauri::State<'_, AppState>,
    cycle: String,
) -> Result<NormalisationReport, Error> {
    on_store(&state, |s| Ok(s.analysis(&cycle)?.normalisation()))
}

/// Joint-procurement windows, most money at stake first.
#[tauri::command]
pub(crate) fn analysis_windows(
    state: tauri::State<'_, AppState>,
    cycle: String,
    options: WindowOptions,
    filter: AnalysisFilter,
) -> Result<Vec<JointWindow>, Error> {
    on_store(&state, |s| s.analysis(&cycle)?.windows(&options, &filter))
}

/// Every contract's decision date, soonest first.
#[tauri::command]
pub(crate) fn analysis_decisions(
    state: tauri::State<'_, AppState>,
    cycle: String,
    options: DecisionOptions,
    filter: AnalysisFilter,
) -> Result<Vec<ContractDecision>, Error> {
    on_store(&state, |s| s.analysis(&cycle)?.decisions(&options, &filter))
}

/// Supplier shares, top-10 share and HHI.
#[tauri::command]
pub(crate) fn analysis_concentration(
    state: tauri::State<'_, AppState>,
    cycle: String,
    filter: AnalysisFilter,
) -> Result<ConcentrationReport, Error> {
    on_store(&state, |s| s.analysis(&cycle)?.concentration(&filter))
}

/// Products used by several organisations, side by side.
#[tauri::command]
pub(crate) fn analysis_products(
    state: tauri::State<'_, AppState>,
    cycle: String,
    options: ProductOptions,
    filter: AnalysisFilter,
) -> Result<Vec<SharedProduct>, Error> {
    on_store(&state, |s| {
        s.analysis(&cycle)?.shared_products(&options, &filter)
    })
}

/// Progress from cycle `from` to the later cycle `to`, per organisation and for London.
#[tauri::command]
pub(crate) fn analysis_progress(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    options: ProgressOptions,
    filter: AnalysisFilter,
) -> Result<ProgressReport, Error> {
    on_store(&state, |s| s.progress(&from, &to, &options, &filter))
}

/// CAF and ICO heatmaps, certificates and systems out of support.
#[tauri::command]
pub(crate) fn analysis_readiness(
    state: tauri::State<'_, AppState>,
    cycle: String,
    options: ReadinessOptions,
) -> Result<ReadinessReport, Error> {
    on_store(&state, |s| s.analysis(&cycle)?.readiness(&options))
}

/// Peer-support pairs to introduce.
#[tauri::command]
pub(crate) fn analysis_skills(
    state: tauri::State<'_, AppState>,
    cycle: String,
    options: SkillOptions,
) -> Result<Vec<SkillPair>, Error> {
    on_store(&state, |s| s.analysis(&cycle)?.skills(&options))
}

/// Names alike enough for an analyst to confirm or reject.
#[tauri::command]
pub(crate) fn alias_suggestions(
    state: tauri::State<'_, AppState>,
    cycle: String,
) -> Result<Vec<AliasSuggestion>, Error> {
    on_store(&state, |s| Ok(s.analysis(&cycle)?.suggestions()))
}

/// Confirms or rejects an alias suggestion.
#[tauri::command]
pub(crate) fn decide_alias(
    state: tauri::State<'_, AppState>,
    cycle: String,
    suggestion_id: String,
    confirmed: bool,
    note: String,
) -> Result<AliasDecisionDto, Error> {
    on_store(&state, |s| {
        s.decide_alias(&cycle, &suggestion_id, confirmed, &note, &Context::system())
    })
}

/// Every alias decision made, oldest first.
#[tauri::command]
pub(crate) fn alias_decisions(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<AliasDecisionDto>, Error> {
    on_store(&state, |s| s.alias_decisions())
}

fn cycle_of(cycle: &Option<String>) -> Option<&str> {
    cycle.as_deref().map(str::trim).filter(|c| !c.is_empty())
}

/// Writes the committee workbook to `path`, with progress.
#[tauri::command]
pub(crate) async fn export_workbook(
    state: tauri::State<'_, AppState>,
    cycle: Option<String>,
    profile: ExportProfile,
    path: String,
    on_progress: Channel<Progress>,
) -> Result<ExportOutcome, Error> {
    on_store(&state, |s| {
        s.export_workbook(
            cycle_of(&cycle),
            profile,
            Path::new(path.trim()),
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}

/// Writes CSV: one record type to a file, or every type into a folder.
#[tauri::command]
pub(crate) async fn export_csv(
    state: tauri::State<'_, AppState>,
    cycle: Option<String>,
    profile: ExportProfile,
    kind: Option<RecordKind>,
    out: String,
    on_progress: Channel<Progress>,
) -> Result<ExportOutcome, Error> {
    on_store(&state, |s| {
        s.export_csv(
            cycle_of(&cycle),
            kind,
            profile,
            Path::new(out.trim()),
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}

/// Writes the contracts as an OCDS release package.
#[tauri::command]
pub(crate) async fn export_ocds(
    state: tauri::State<'_, AppState>,
    cycle: Option<String>,
    path: String,
    on_progress: Channel<Progress>,
) -> Result<ExportOutcome, Error> {
    on_store(&state, |s| {
        s.export_ocds(
            cycle_of(&cycle),
            Path::new(path.trim()),
            &Context::system(),
            &mut forward(&on_progress),
        )
    })
}
