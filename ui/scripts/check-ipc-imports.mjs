// Fails if any UI module outside src/ipc imports @tauri-apps/api: screens go through src/ipc.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../src", import.meta.url).pathname;
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (p !== join(root, "ipc")) walk(p);
    } else if (/\.(ts|js|svelte)$/.test(name) && readFileSync(p, "utf8").includes("@tauri-apps/api")) {
      offenders.push(relative(root, p));
    }
  }
}
walk(root);
if (offenders.length) {
  console.error(`only src/ipc may import @tauri-apps/api; found in: ${offenders.join(", ")}`);
  process.exit(1);
}
console.log("ipc boundary ok: only src/ipc imports @tauri-apps/api");
