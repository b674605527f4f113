// Turns whatever a failed IPC call throws into the core's error shape {kind, message, location}.
import type { Error as CoreError } from "../generated/Error";
import type { ErrorKind } from "../generated/ErrorKind";

export type AppError = CoreError;

const KINDS: ErrorKind[] = [
  "validation",
  "not_found",
  "conflict",
  "not_a_store",
  "incompatible_store",
  "io",
  "storage",
  "usage",
];

export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "kind" in e && "message" in e) {
    const o = e as Partial<CoreError>;
    if (typeof o.message === "string" && KINDS.includes(o.kind as ErrorKind)) {
      return {
        kind: o.kind as ErrorKind,
        message: o.message,
        location: o.location ?? null,
        issues: o.issues ?? [],
      };
    }
  }
  return { kind: "io", message: String(e), location: null, issues: [] };
}
