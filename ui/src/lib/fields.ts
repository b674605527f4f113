// Reading and writing a record's fields by their questionnaire names: nested fields have one
// dot ("gdpr.lawful_basis"), and a save sends only the changed field as a merge patch.

export type Fields = Record<string, unknown>;

export function getField(data: Fields, name: string): unknown {
  const [outer, inner] = name.split(/\.(.*)/s, 2);
  const v = data[outer];
  if (inner === undefined || inner === "") return v ?? null;
  if (v && typeof v === "object") return (v as Fields)[inner] ?? null;
  return null;
}

/** The merge patch that sets one field (null clears it). */
export function patchFor(name: string, value: unknown): Fields {
  const [outer, inner] = name.split(/\.(.*)/s, 2);
  if (inner === undefined || inner === "") return { [outer]: value };
  return { [outer]: { [inner]: value } };
}

/** Applies a merge patch to a local copy of the fields (objects merge, null removes). */
export function applyPatch(data: Fields, patch: Fields): Fields {
  const out: Fields = { ...data };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === "object" && !Array.isArray(v) && v !== null && typeof out[k] === "object" && out[k] !== null && !Array.isArray(out[k])) {
      out[k] = applyPatch(out[k] as Fields, v as Fields);
    } else out[k] = v;
  }
  return out;
}

/** The top-level field a problem belongs to ("caf.B1.a" → "caf", "gdpr.dpia_status" stays). */
export function fieldOf(problemField: string, known: string[]): string {
  if (known.includes(problemField)) return problemField;
  const top = problemField.split(".")[0];
  return known.find((k) => k === top || k.startsWith(`${top}.`) && problemField.startsWith(k)) ?? top;
}

/** The id an input for a field gets (for labels and error-summary links). */
export function inputId(name: string): string {
  return `f-${name.replace(/\./g, "-")}`;
}
