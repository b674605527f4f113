// The only module that talks to Tauri: one typed function per app command. Screens import
// these functions, never `@tauri-apps/api`.
import { invoke } from "@tauri-apps/api/core";
import type { ReturnStatus } from "../generated/ReturnStatus";
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

/** The open return's task list, or null when no store is open. */
export function returnStatus(): Promise<Outcome<ReturnStatus | null>> {
  return call<ReturnStatus | null>("return_status");
}
