// The app's commands in src-tauri/src/commands/about.rs, one typed function each: what this build
// is (the About screen).
import { call, type Outcome } from "./call";
import type { About } from "../generated/About";

/** The cycle a new return defaults to (this financial year). */
/** What this build is: version, git commit, store schema and questionnaire versions. */
export function about(): Promise<Outcome<About>> {
  return call("about");
}
