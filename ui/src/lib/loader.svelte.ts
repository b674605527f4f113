// One loader for the views that ask the core for data as their options and filters change: it
// keeps the newest answer's value or error, and drops an answer that arrives after a newer
// request was made (a filter changed while a slower request was still running).
import type { AppError, Outcome } from "../ipc/call";

export class Loader<T> {
  data = $state<T | null>(null);
  error = $state<AppError | null>(null);
  #latest = 0;

  /** Runs `request`; its answer is kept only if no later request was made meanwhile. */
  async load(request: () => Promise<Outcome<T>>): Promise<void> {
    const mine = ++this.#latest;
    this.error = null;
    const r = await request();
    if (mine !== this.#latest) return;
    if (r.ok) this.data = r.value;
    else {
      this.data = null;
      this.error = r.error;
    }
  }
}
