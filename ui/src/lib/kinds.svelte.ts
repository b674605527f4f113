// The record types with their headings ("Systems", "GDPR readiness"), as the core's
// questionnaire names them, loaded once for the screens that offer a choice of record type.
import { questionnaire } from "../ipc/records";
import type { RecordKind } from "../generated/RecordKind";

export const recordKinds = $state<{ list: [RecordKind, string][] }>({ list: [] });

/** Loads the record types' headings once. */
export async function loadRecordKinds(): Promise<void> {
  if (recordKinds.list.length > 0) return;
  const r = await questionnaire();
  if (r.ok) recordKinds.list = r.value.records.map((s) => [s.kind, s.plural]);
}
