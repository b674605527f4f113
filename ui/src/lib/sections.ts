// Where each task-list section, and each thing a section still needs, is answered in the app.

import type { Missing } from "../generated/Missing";
import type { SectionId } from "../generated/SectionId";
import { href, type Route } from "./route.svelte";

export function sectionRoute(s: SectionId): Route {
  switch (s) {
    case "systems":
      return { page: "records", kind: "system" };
    case "contracts":
      return { page: "records", kind: "contract" };
    case "suppliers":
      return { page: "records", kind: "supplier" };
    case "skills":
      return { page: "skills" };
    case "gdpr":
      return { page: "readiness", kind: "gdpr" };
    case "cyber":
      return { page: "readiness", kind: "cyber" };
  }
}

/** The screen where a missing answer is given. */
export function missingHref(section: SectionId, m: Missing): string {
  const loc = m.location;
  if (loc?.type === "record" && loc.record) {
    if (loc.table === "gdpr" || loc.table === "cyber") return href({ page: "readiness", kind: loc.table });
    if (loc.table === "skill") return href({ page: "skills" });
    return href({ page: "record", kind: loc.table, id: loc.record });
  }
  return href(sectionRoute(section));
}
