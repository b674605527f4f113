// The app's commands in src-tauri/src/commands/stores.rs, one typed function each: choosing the
// return to work on: suggestions, creating, opening and closing stores, starting a new cycle.
import { call, progressChannel, type Outcome } from "./call";
import type { Progress } from "../generated/Progress";
import type { ReturnSummary } from "../generated/ReturnSummary";
import type { StoreInfo } from "../generated/StoreInfo";

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
