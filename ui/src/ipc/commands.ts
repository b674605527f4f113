// The only module that talks to Tauri: one typed function per app command. Screens import
// these functions, never `@tauri-apps/api`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ImportOutcome } from "../generated/ImportOutcome";
import type { KeyringEntry } from "../generated/KeyringEntry";
import type { OrganisationDto } from "../generated/OrganisationDto";
import type { Progress } from "../generated/Progress";
import type { QuarantinedBundle } from "../generated/QuarantinedBundle";
import type { ReturnStatus } from "../generated/ReturnStatus";
import type { SentBundle } from "../generated/SentBundle";
import type { StoreInfo } from "../generated/StoreInfo";
import type { Tracker } from "../generated/Tracker";
import type { Questionnaire } from "../generated/Questionnaire";
import type { EnumerationDto } from "../generated/EnumerationDto";
import type { RecordDto } from "../generated/RecordDto";
import type { RecordKind } from "../generated/RecordKind";
import type { ReturnSummary } from "../generated/ReturnSummary";
import type { ReviewState } from "../generated/ReviewState";
import type { UndoOutcome } from "../generated/UndoOutcome";
import type { AuditEntryDto } from "../generated/AuditEntryDto";
import type { SpreadsheetInfo } from "../generated/SpreadsheetInfo";
import type { ImportRequest } from "../generated/ImportRequest";
import type { FieldAnswers } from "../generated/FieldAnswers";
import type { ImportPlan } from "../generated/ImportPlan";
import type { ImportField } from "../generated/ImportField";
import type { NormalisationReport } from "../generated/NormalisationReport";
import type { WindowOptions } from "../generated/WindowOptions";
import type { AnalysisFilter } from "../generated/AnalysisFilter";
import type { JointWindow } from "../generated/JointWindow";
import type { DecisionOptions } from "../generated/DecisionOptions";
import type { ContractDecision } from "../generated/ContractDecision";
import type { ConcentrationReport } from "../generated/ConcentrationReport";
import type { ProductOptions } from "../generated/ProductOptions";
import type { SharedProduct } from "../generated/SharedProduct";
import type { ReadinessOptions } from "../generated/ReadinessOptions";
import type { ReadinessReport } from "../generated/ReadinessReport";
import type { SkillOptions } from "../generated/SkillOptions";
import type { SkillPair } from "../generated/SkillPair";
import type { AliasSuggestion } from "../generated/AliasSuggestion";
import type { AliasDecisionDto } from "../generated/AliasDecisionDto";
import type { ExportProfile } from "../generated/ExportProfile";
import type { ExportOutcome } from "../generated/ExportOutcome";
import type { PublishOutcome } from "../generated/PublishOutcome";
import type { About } from "../generated/About";
import { toAppError, type AppError } from "./errors";

export type { AppError };

/** The result of a command: its value, or the core's error as data. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

async function call<T>(command: string, args?: Record<string, unknown>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await invoke<T>(command, args) };
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
}

/** A channel that passes the core's progress reports of long work to `onProgress`. */
function progressChannel(onProgress: (p: Progress) => void): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return channel;
}

/** Which kind of store is open, or null when none is. */
export function storeInfo(): Promise<Outcome<StoreInfo | null>> {
  return call("store_info");
}

/** The open return's task list, or null when no store is open. */
export function returnStatus(): Promise<Outcome<ReturnStatus | null>> {
  return call("return_status");
}

/** The 33 London authorities. */
export function londonOrganisations(): Promise<Outcome<OrganisationDto[]>> {
  return call("london_organisations");
}

/** Borough: bundles sent from the current return. */
export function sentBundles(): Promise<Outcome<SentBundle[]>> {
  return call("sent_bundles");
}

/** Borough: import LOTI's cycle pack (the root key is needed the first time). */
export function importCyclePack(file: string, rootKey: string | null): Promise<Outcome<string>> {
  return call("import_cycle_pack", { file, rootKey });
}

/** Borough: sign, encrypt and write the bundle into a folder. */
export function exportBundle(dir: string, key: string, passphrase: string): Promise<Outcome<SentBundle>> {
  return call("export_bundle", { dir, key, passphrase });
}

/** LOTI: verify, decrypt and merge bundles, with progress. */
export function importBundles(
  files: string[],
  identities: string[],
  dryRun: boolean,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ImportOutcome[]>> {
  return call("import_bundles", { files, identities, dryRun, onProgress: progressChannel(onProgress) });
}

/** LOTI: who has returned for a cycle. */
export function tracker(cycle: string): Promise<Outcome<Tracker>> {
  return call("tracker", { cycle });
}

/** LOTI: bundles waiting for their signer's key to be confirmed. */
export function quarantine(): Promise<Outcome<QuarantinedBundle[]>> {
  return call("quarantine");
}

/** LOTI: the keyring. */
export function keyring(): Promise<Outcome<KeyringEntry[]>> {
  return call("keyring");
}

/** LOTI: trust a key after confirming its fingerprint out of band. */
export function confirmKey(
  key: string,
  organisation: string,
  fingerprint: string,
  note: string,
  identities: string[],
  organisationName: string | null = null,
): Promise<Outcome<ImportOutcome[]>> {
  return call("confirm_key", { key, organisation, organisationName, fingerprint, note, identities });
}

/** LOTI: revoke a key. */
export function revokeKey(keyId: string, reason: string): Promise<Outcome<KeyringEntry>> {
  return call("revoke_key", { keyId, reason });
}

/** A native dialog to choose a file, several files, or a folder. */
/** A native dialog: existing files or a folder to open, or (with `saveAs`, the suggested file
 * name) where to save a new file. Resolves to no paths if the user cancels. */
export function choosePaths(
  title: string,
  folder: boolean,
  many: boolean,
  saveAs: string | null = null,
): Promise<Outcome<string[]>> {
  return call("choose_paths", { title, folder, many, saveAs });
}

// ---- Choosing the return to work on ----

/** The cycle a new return defaults to (this financial year). */
/** What this build is: version, git commit, store schema and questionnaire versions. */
export function about(): Promise<Outcome<About>> {
  return call("about");
}

export function suggestedCycle(): Promise<Outcome<string>> {
  return call("suggested_cycle");
}

/** Stores opened recently, newest first. */
export function recentStores(): Promise<Outcome<StoreInfo[]>> {
  return call("recent_stores");
}

/** Create the store for an organisation's first return, and open it. */
export function createReturn(organisation: string, cycle: string): Promise<Outcome<StoreInfo>> {
  return call("create_return", { organisation, cycle });
}

/** Open another store file. */
export function openStore(path: string): Promise<Outcome<StoreInfo>> {
  return call("open_store", { path });
}

/** Close the current store. */
export function closeStore(): Promise<Outcome<null>> {
  return call("close_store");
}

/** Start a new cycle's return: carried forward from the newest return, or empty. */
export function startCycle(
  cycle: string,
  carryForward: boolean,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ReturnSummary>> {
  return call("start_cycle", { cycle, carryForward, onProgress: progressChannel(onProgress) });
}

// ---- The records of the open return ----

/** The questionnaire that forms are built from. */
export function questionnaire(): Promise<Outcome<Questionnaire>> {
  return call("questionnaire");
}

/** Every enumeration with its options. */
export function enumerations(): Promise<Outcome<EnumerationDto[]>> {
  return call("enumerations");
}

/** The returns in the open store. */
export function returns(): Promise<Outcome<ReturnSummary[]>> {
  return call("returns");
}

export function listRecords(kind: RecordKind, includeDeleted = false): Promise<Outcome<RecordDto[]>> {
  return call("list_records", { kind, includeDeleted });
}

export function getRecord(kind: RecordKind, id: string): Promise<Outcome<RecordDto>> {
  return call("get_record", { kind, id });
}

export function addRecord(kind: RecordKind, fields: Record<string, unknown>): Promise<Outcome<RecordDto>> {
  return call("add_record", { kind, fields });
}

/** Save changed fields (a merge patch: null clears a field). */
export function updateRecord(
  kind: RecordKind,
  id: string,
  patch: Record<string, unknown>,
): Promise<Outcome<RecordDto>> {
  return call("update_record", { kind, id, patch });
}

export function deleteRecord(kind: RecordKind, id: string): Promise<Outcome<RecordDto>> {
  return call("delete_record", { kind, id });
}

export function restoreRecord(kind: RecordKind, id: string): Promise<Outcome<RecordDto>> {
  return call("restore_record", { kind, id });
}

export function duplicateRecord(kind: RecordKind, id: string): Promise<Outcome<RecordDto>> {
  return call("duplicate_record", { kind, id });
}

export function reviewRecord(kind: RecordKind, id: string, review: ReviewState): Promise<Outcome<RecordDto>> {
  return call("review_record", { kind, id, review });
}

/** Undo the newest change to the return's records. */
export function undo(): Promise<Outcome<UndoOutcome>> {
  return call("undo");
}

export function history(limit: number): Promise<Outcome<AuditEntryDto[]>> {
  return call("history", { limit });
}

// ---- Spreadsheets (borough) ----

/** Save the cycle's survey template (with the return's records when `prefill`). */
export function surveyTemplate(path: string, prefill: boolean): Promise<Outcome<null>> {
  return call("survey_template", { path, prefill });
}

/** What a spreadsheet holds: sheets, header rows, suggested or remembered mappings. */
export function inspectSpreadsheet(path: string): Promise<Outcome<SpreadsheetInfo>> {
  return call("inspect_spreadsheet", { path });
}

/** The import the inspection suggests. */
export function suggestedImport(path: string): Promise<Outcome<ImportRequest>> {
  return call("suggested_import", { path });
}

/** The fields a column of a sheet of `kind` can be mapped to. */
export function importFields(kind: RecordKind): Promise<Outcome<ImportField[]>> {
  return call("import_fields", { kind });
}

/** For each mapped column with options: its values and the answer suggested for each. */
export function importAnswers(path: string, request: ImportRequest): Promise<Outcome<FieldAnswers[]>> {
  return call("import_answers", { path, request });
}

/** The dry run: nothing is written. */
export function importPreview(
  path: string,
  request: ImportRequest,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ImportPlan>> {
  return call("import_preview", { path, request, onProgress: progressChannel(onProgress) });
}

/** Import all of it, or nothing (or only the rows without errors when `request.partial`). */
export function importCommit(
  path: string,
  request: ImportRequest,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ImportPlan>> {
  return call("import_commit", { path, request, onProgress: progressChannel(onProgress) });
}

/** Save the dry run's problems as an xlsx with the bad cells highlighted. */
export function writeImportErrors(path: string, request: ImportRequest, out: string): Promise<Outcome<null>> {
  return call("write_import_errors", { path, request, out });
}

// ---- LOTI: collaboration analysis and exports ----

/** Suppliers and products matched across organisations, and alias suggestions. */
export function analysisOverview(cycle: string): Promise<Outcome<NormalisationReport>> {
  return call("analysis_overview", { cycle });
}

/** Joint-procurement windows, most money at stake first. */
export function analysisWindows(
  cycle: string,
  options: WindowOptions,
  filter: AnalysisFilter,
): Promise<Outcome<JointWindow[]>> {
  return call("analysis_windows", { cycle, options, filter });
}

/** Every contract's decision date, soonest first. */
export function analysisDecisions(
  cycle: string,
  options: DecisionOptions,
  filter: AnalysisFilter,
): Promise<Outcome<ContractDecision[]>> {
  return call("analysis_decisions", { cycle, options, filter });
}

/** Supplier shares, top-10 share and HHI. */
export function analysisConcentration(cycle: string, filter: AnalysisFilter): Promise<Outcome<ConcentrationReport>> {
  return call("analysis_concentration", { cycle, filter });
}

/** Products used by several organisations, side by side. */
export function analysisProducts(
  cycle: string,
  options: ProductOptions,
  filter: AnalysisFilter,
): Promise<Outcome<SharedProduct[]>> {
  return call("analysis_products", { cycle, options, filter });
}

/** CAF and ICO heatmaps, certificates and systems out of support. */
export function analysisReadiness(cycle: string, options: ReadinessOptions): Promise<Outcome<ReadinessReport>> {
  return call("analysis_readiness", { cycle, options });
}

/** Peer-support pairs. */
export function analysisSkills(cycle: string, options: SkillOptions): Promise<Outcome<SkillPair[]>> {
  return call("analysis_skills", { cycle, options });
}

/** Names alike enough to confirm or reject. */
export function aliasSuggestions(cycle: string): Promise<Outcome<AliasSuggestion[]>> {
  return call("alias_suggestions", { cycle });
}

/** Confirm (or reject) an alias suggestion. */
export function decideAlias(
  cycle: string,
  suggestionId: string,
  confirmed: boolean,
  note: string,
): Promise<Outcome<AliasDecisionDto>> {
  return call("decide_alias", { cycle, suggestionId, confirmed, note });
}

/** Every alias decision, oldest first. */
export function aliasDecisions(): Promise<Outcome<AliasDecisionDto[]>> {
  return call("alias_decisions");
}

/** Write the committee workbook (xlsx). */
export function exportWorkbook(
  cycle: string | null,
  profile: ExportProfile,
  path: string,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ExportOutcome>> {
  return call("export_workbook", { cycle, profile, path, onProgress: progressChannel(onProgress) });
}

/** Write CSV: one record type to a file, or every type into a folder (kind null). */
export function exportCsv(
  cycle: string | null,
  profile: ExportProfile,
  kind: RecordKind | null,
  out: string,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ExportOutcome>> {
  return call("export_csv", { cycle, profile, kind, out, onProgress: progressChannel(onProgress) });
}

/** Write the contracts as an OCDS release package. */
/** LOTI: publish the cycle's static site into a folder (profile open or committee). */
export function publishSite(
  cycle: string | null,
  profile: ExportProfile,
  folder: string,
  onProgress: (p: Progress) => void,
): Promise<Outcome<PublishOutcome>> {
  return call("publish_site", { cycle, profile, folder, onProgress: progressChannel(onProgress) });
}

export function exportOcds(
  cycle: string | null,
  path: string,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ExportOutcome>> {
  return call("export_ocds", { cycle, path, onProgress: progressChannel(onProgress) });
}
