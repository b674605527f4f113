// An answer as text for *Check your answers*, from the questionnaire's field kind: labels rather
// than option ids, pounds, UK dates, linked records by name. Display only.
import type { FieldSchema } from "../generated/FieldSchema";
import { isoToUk, penceToPounds } from "../format/values";

/** `value` of `field` as text; "" when not answered. `names` maps record ids to labels. */
export function answerText(field: FieldSchema, value: unknown, names: Map<string, string>): string {
  if (value === null || value === undefined || value === "") return "";
  const k = field.kind;
  switch (k.type) {
    case "money":
      return typeof value === "number" ? `£${penceToPounds(value)}` : "";
    case "date":
      return isoToUk(String(value));
    case "boolean":
      return value === true ? "Yes" : value === false ? "No" : "";
    case "choice":
      return k.options.find((o) => o.id === value)?.label ?? String(value);
    case "reference":
      return names.get(String(value)) ?? "";
    case "references":
      return Array.isArray(value) ? value.map((v) => names.get(String(v)) ?? "").filter(Boolean).join(", ") : "";
    case "text_list":
      return Array.isArray(value) ? value.join(", ") : "";
    case "ratings": {
      if (typeof value !== "object") return "";
      const given = Object.values(value as Record<string, string>);
      if (given.length === 0) return "";
      const counts = k.options
        .map((o) => [o.label, given.filter((g) => g === o.id).length] as const)
        .filter(([, n]) => n > 0)
        .map(([l, n]) => `${n} ${l.toLowerCase()}`);
      return `${given.length} rated: ${counts.join(", ")}`;
    }
    default:
      return String(value);
  }
}
