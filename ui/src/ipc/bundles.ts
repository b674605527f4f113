// The app's commands in src-tauri/src/commands/bundles.rs, one typed function each: the open
// store's kind and status; bundles, cycle packs, LOTI's import, tracker, quarantine and keyring;
// the native file dialog.
import { call, progressChannel, type Outcome } from "./call";
import type { ImportOutcome } from "../generated/ImportOutcome";
import type { KeyringEntry } from "../generated/KeyringEntry";
import type { OrganisationDto } from "../generated/OrganisationDto";
import type { Progress } from "../generated/Progress";
import type { QuarantinedBundle } from "../generated/QuarantinedBundle";
import type { ReturnStatus } from "../generated/ReturnStatus";
import type { SentBundle } from "../generated/SentBundle";
import type { StoreInfo } from "../generated/StoreInfo";
import type { Tracker } from "../generated/Tracker";

/** Which kind of store is open, or null when none is. */
export function storeInfo(): Promise<Outcome<StoreInfo | null>> {
  return call("store_info");
}

/** The open return's task list, or null when no store is open. */
export function returnStatus(): Promise<Outcome<ReturnStatus | null>> {
  return call("return_status");
}

/** The 33 London authorities. */
export function londonOrganisations(): Promise<Outcome<OrganisationDto[]>> {
  return call("london_organisations");
}

/** Borough: bundles sent from the current return. */
export function sentBundles(): Promise<Outcome<SentBundle[]>> {
  return call("sent_bundles");
}

/** Borough: import LOTI's cycle pack (the root key is needed the first time). */
export function importCyclePack(file: string, rootKey: string | null): Promise<Outcome<string>> {
  return call("import_cycle_pack", { file, rootKey });
}

/** Borough: sign, encrypt and write the bundle into a folder. */
export function exportBundle(dir: string, key: string, passphrase: string): Promise<Outcome<SentBundle>> {
  return call("export_bundle", { dir, key, passphrase });
}

/** LOTI: verify, decrypt and merge bundles, with progress. */
export function importBundles(
  files: string[],
  identities: string[],
  dryRun: boolean,
  onProgress: (p: Progress) => void,
): Promise<Outcome<ImportOutcome[]>> {
  return call("import_bundles", { files, identities, dryRun, onProgress: progressChannel(onProgress) });
}

/** LOTI: who has returned for a cycle. */
export function tracker(cycle: string): Promise<Outcome<Tracker>> {
  return call("tracker", { cycle });
}

/** LOTI: bundles waiting for their signer's key to be confirmed. */
export function quarantine(): Promise<Outcome<QuarantinedBundle[]>> {
  return call("quarantine");
}

/** LOTI: the keyring. */
export function keyring(): Promise<Outcome<KeyringEntry[]>> {
  return call("keyring");
}

/** LOTI: trust a key after confirming its fingerprint out of band. */
export function confirmKey(
  key: string,
  organisation: string,
  fingerprint: string,
  note: string,
  identities: string[],
  organisationName: string | null = null,
): Promise<Outcome<ImportOutcome[]>> {
  return call("confirm_key", { key, organisation, organisationName, fingerprint, note, identities });
}

/** LOTI: revoke a key. */
export function revokeKey(keyId: string, reason: string): Promise<Outcome<KeyringEntry>> {
  return call("revoke_key", { keyId, reason });
}

/** What a native file dialog asks for. */
export type PathChoice = {
  title: string;
  /** A folder rather than files. */
  folder?: boolean;
  /** Several files rather than one. */
  many?: boolean;
  /** Where to save a new file, with this suggested name (instead of files to open). */
  saveAs?: string | null;
};

/** A native dialog: existing files or a folder to open, or where to save a new file. Resolves
 * to no paths if the user cancels. */
export function choosePaths({ title, folder = false, many = false, saveAs = null }: PathChoice): Promise<Outcome<string[]>> {
  return call("choose_paths", { title, folder, many, saveAs });
}
