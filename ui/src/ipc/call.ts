// The one way to call the app: `call` turns a command's result or thrown error into an
// `Outcome`, and `progressChannel` passes the core's progress reports of long work. Only the
// files of this folder import `@tauri-apps/api`; screens import the area files.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Progress } from "../generated/Progress";
import { toAppError, type AppError } from "./errors";

export type { AppError };

/** The result of a command: its value, or the core's error as data. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await invoke<T>(command, args) };
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
}

/** A channel that passes the core's progress reports of long work to `onProgress`. */
export function progressChannel(onProgress: (p: Progress) => void): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return channel;
}

