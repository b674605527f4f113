// The app's commands in src-tauri/src/commands/publish.rs, one typed function each: LOTI's
// published site.
import { call, progressChannel, type Outcome } from "./call";
import type { ExportProfile } from "../generated/ExportProfile";
import type { Progress } from "../generated/Progress";
import type { PublishOutcome } from "../generated/PublishOutcome";

/** Write the contracts as an OCDS release package. */
/** LOTI: publish the cycle's static site into a folder (profile open or committee). */
export function publishSite(
  cycle: string | null,
  profile: ExportProfile,
  folder: string,
  onProgress: (p: Progress) => void,
): Promise<Outcome<PublishOutcome>> {
  return call("publish_site", { cycle, profile, folder, onProgress: progressChannel(onProgress) });
}
