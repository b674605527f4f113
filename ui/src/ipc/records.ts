// The app's commands in src-tauri/src/commands/records.rs, one typed function each: the records of
// the open return: the questionnaire, list, add, update, delete, restore, duplicate, review, undo,
// history, changes since last year.
import { call, type Outcome } from "./call";
import type { AuditEntryDto } from "../generated/AuditEntryDto";
import type { ChangesSinceLastYear } from "../generated/ChangesSinceLastYear";
import type { EnumerationDto } from "../generated/EnumerationDto";
import type { Questionnaire } from "../generated/Questionnaire";
import type { RecordDto } from "../generated/RecordDto";
import type { RecordKind } from "../generated/RecordKind";
import type { ReturnSummary } from "../generated/ReturnSummary";
import type { ReviewState } from "../generated/ReviewState";
import type { UndoOutcome } from "../generated/UndoOutcome";

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

/** This return against last year's, record by record. */
export function changesSinceLastYear(): Promise<Outcome<ChangesSinceLastYear>> {
  return call("changes_since_last_year", {});
}

export function history(limit: number): Promise<Outcome<AuditEntryDto[]>> {
  return call("history", { limit });
}
