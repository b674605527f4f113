// The current screen, read from the location hash (#/records/system, #/record/system/<id>, …),
// so that the back button, links and keyboard navigation all work as in a web service.

export type Route =
  | { page: "tasks" }
  | { page: "start" }
  | { page: "records"; kind: string }
  | { page: "record"; kind: string; id: string | null }
  | { page: "skills" }
  | { page: "readiness"; kind: "gdpr" | "cyber" }
  | { page: "check" }
  | { page: "send" }
  | { page: "history" }
  | { page: "spreadsheets" }
  | { page: "import-spreadsheet" }
  | { page: "tracker" }
  | { page: "import" }
  | { page: "quarantine" }
  | { page: "keyring" }
  | { page: "collaboration"; view: CollabView }
  | { page: "reports" }
  | { page: "publish" }
  | { page: "about" }
  | { page: "help"; topic: string };

/** LOTI's collaboration views, in the order of the sub-navigation. */
export const COLLAB_VIEWS = [
  "windows",
  "timeline",
  "concentration",
  "products",
  "readiness",
  "skills",
  "progress",
  "aliases",
] as const;
export type CollabView = (typeof COLLAB_VIEWS)[number];

export function parse(hash: string): Route | null {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      return null;
    case "records":
      return parts[1] ? { page: "records", kind: parts[1] } : null;
    case "record":
      return parts[1] ? { page: "record", kind: parts[1], id: parts[2] && parts[2] !== "new" ? parts[2] : null } : null;
    case "readiness":
      return parts[1] === "gdpr" || parts[1] === "cyber" ? { page: "readiness", kind: parts[1] } : null;
    case "help":
      return { page: "help", topic: parts[1] ?? "index" };
    case "collaboration":
      return {
        page: "collaboration",
        view: (COLLAB_VIEWS as readonly string[]).includes(parts[1] ?? "") ? (parts[1] as CollabView) : "windows",
      };
    case "reports":
    case "publish":
    case "tasks":
    case "start":
    case "skills":
    case "check":
    case "send":
    case "history":
    case "spreadsheets":
    case "import-spreadsheet":
    case "tracker":
    case "import":
    case "quarantine":
    case "keyring":
    case "about":
      return { page: parts[0] } as Route;
    default:
      return null;
  }
}

export function href(r: Route): string {
  switch (r.page) {
    case "records":
      return `#/records/${r.kind}`;
    case "record":
      return `#/record/${r.kind}/${r.id ?? "new"}`;
    case "readiness":
      return `#/readiness/${r.kind}`;
    case "collaboration":
      return `#/collaboration/${r.view}`;
    case "help":
      return `#/help/${r.topic}`;
    default:
      return `#/${r.page}`;
  }
}

/**
 * The current route, and a count of visits: a screen keyed on `visit` starts afresh when the
 * user navigates, but not when a screen only renames its own address (a new record, once
 * saved, gets its id in the address without the form being rebuilt under the user's cursor).
 */
export const route = $state<{ current: Route | null; visit: number }>({
  current: parse(window.location.hash),
  visit: 0,
});

window.addEventListener("hashchange", () => {
  route.current = parse(window.location.hash);
  route.visit += 1;
});

/** Goes to a screen. */
export function go(r: Route): void {
  window.location.hash = href(r);
}

/** Gives the current screen a new address without starting it afresh. */
export function rename(r: Route): void {
  history.replaceState(null, "", href(r));
  route.current = r;
}
