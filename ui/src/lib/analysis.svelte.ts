// What LOTI's collaboration views share: the cycle and filter applied (kept while moving between
// views), the enumeration labels to show instead of ids, and small display helpers. Every
// figure comes from the core; nothing here decides what a window or a share is.
import { enumerations } from "../ipc/records";
import type { AnalysisFilter } from "../generated/AnalysisFilter";
import type { HhiBand } from "../generated/HhiBand";
import type { Urgency } from "../generated/Urgency";

export function emptyFilter(): AnalysisFilter {
  return { organisation: null, supplier: null, product: null, serviceArea: null, endsFrom: null, endsTo: null };
}

/** The cycle analysed and the filter applied (a copy is taken when the user applies it). */
export const analysis = $state<{ cycle: string; filter: AnalysisFilter }>({ cycle: "", filter: emptyFilter() });

const labelMap = $state<{ byEnum: Record<string, Record<string, string>>; loaded: boolean }>({ byEnum: {}, loaded: false });

/** Loads the enumeration labels once. */
export async function loadLabels(): Promise<void> {
  if (labelMap.loaded) return;
  const r = await enumerations();
  if (!r.ok) return;
  const byEnum: Record<string, Record<string, string>> = {};
  for (const e of r.value) byEnum[e.name] = Object.fromEntries(e.options.map((o) => [o.id, o.label]));
  labelMap.byEnum = byEnum;
  labelMap.loaded = true;
}

/** The label of an enumeration's option (`ServiceArea`, `esd:66` → "Housing"), else the id. */
export function label(enumeration: string, id: string | null | undefined): string {
  if (id === null || id === undefined) return "";
  return labelMap.byEnum[enumeration]?.[id] ?? id;
}

/** The options of an enumeration, for pickers. */
export function options(enumeration: string): { id: string; label: string }[] {
  return Object.entries(labelMap.byEnum[enumeration] ?? {}).map(([id, l]) => ({ id, label: l }));
}

/** 485000000 pence → "£4.85m"; smaller amounts in thousands or pounds. */
export function money(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return "";
  const pounds = pence / 100;
  if (pounds >= 1_000_000) return `£${(pounds / 1_000_000).toFixed(2)}m`;
  if (pounds >= 10_000) return `£${Math.round(pounds / 1000).toLocaleString("en-GB")}k`;
  return `£${Math.round(pounds).toLocaleString("en-GB")}`;
}

/** "2027-03-31" → "31 Mar 2027". */
export function day(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** Today as ISO (local date). */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The core's urgency band of a decision (worked out by the core from `asOf`). */
export type { Urgency } from "../generated/Urgency";

/** The core's HHI band (worked out by the core) in words. */
export const HHI_LABEL: Record<HhiBand, string> = {
  not_concentrated: "not concentrated",
  moderately: "moderately concentrated",
  highly: "highly concentrated",
};

export const URGENCY_LABEL: Record<Urgency, string> = {
  past: "Date passed",
  urgent: "Within 6 months",
  soon: "Within a year",
  later: "More than a year away",
  unknown: "No date",
};

/** One decimal place. */
export function pct(n: number | null | undefined): string {
  return n === null || n === undefined ? "" : `${n.toFixed(1)}%`;
}
