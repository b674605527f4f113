// The app's commands in src-tauri/src/commands/spreadsheets.rs, one typed function each:
// spreadsheets (borough): the survey template, inspecting a file, the suggested import, answers,
// dry run, commit, error report.
import { call, progressChannel, type Outcome } from "./call";
import type { FieldAnswers } from "../generated/FieldAnswers";
import type { ImportField } from "../generated/ImportField";
import type { ImportPlan } from "../generated/ImportPlan";
import type { ImportRequest } from "../generated/ImportRequest";
import type { Progress } from "../generated/Progress";
import type { RecordKind } from "../generated/RecordKind";
import type { SpreadsheetInfo } from "../generated/SpreadsheetInfo";

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
