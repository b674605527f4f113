// The app's commands in src-tauri/src/commands/analysis.rs, one typed function each: LOTI's
// collaboration analysis, alias decisions and exports.
import { call, progressChannel, type Outcome } from "./call";
import type { AliasDecisionDto } from "../generated/AliasDecisionDto";
import type { AliasSuggestion } from "../generated/AliasSuggestion";
import type { AnalysisFilter } from "../generated/AnalysisFilter";
import type { ConcentrationReport } from "../generated/ConcentrationReport";
import type { ContractDecision } from "../generated/ContractDecision";
import type { DecisionOptions } from "../generated/DecisionOptions";
import type { ExportOutcome } from "../generated/ExportOutcome";
import type { ExportProfile } from "../generated/ExportProfile";
import type { JointWindow } from "../generated/JointWindow";
import type { NormalisationReport } from "../generated/NormalisationReport";
import type { ProductOptions } from "../generated/ProductOptions";
import type { ProgressOptions } from "../generated/ProgressOptions";
import type { ProgressReport } from "../generated/ProgressReport";
import type { Progress } from "../generated/Progress";
import type { ReadinessOptions } from "../generated/ReadinessOptions";
import type { ReadinessReport } from "../generated/ReadinessReport";
import type { RecordKind } from "../generated/RecordKind";
import type { SharedProduct } from "../generated/SharedProduct";
import type { SkillOptions } from "../generated/SkillOptions";
import type { SkillPair } from "../generated/SkillPair";
import type { WindowOptions } from "../generated/WindowOptions";

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

/** Progress from cycle `from` to the later cycle `to`, per organisation and for London. */
export function analysisProgress(
  from: string,
  to: string,
  options: ProgressOptions,
  filter: AnalysisFilter,
): Promise<Outcome<ProgressReport>> {
  return call("analysis_progress", { from, to, options, filter });
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

export function exportOcds(
  cycle: string | null,
  path: string,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ExportOutcome>> {
  return call("export_ocds", { cycle, path, onProgress: progressChannel(onProgress) });
}
