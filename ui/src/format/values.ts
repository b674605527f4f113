// Display and typing formats only: pence shown and typed as pounds, ISO dates shown and typed
// in UK order. The core validates every value; nothing here decides what is allowed.

/** 1234567 pence → "12,345.67". */
export function penceToPounds(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return "";
  const pounds = Math.trunc(pence / 100);
  const p = Math.abs(pence % 100);
  return `${pounds.toLocaleString("en-GB")}.${String(p).padStart(2, "0")}`;
}

/**
 * What the user typed in pounds ("£1,250.50", "1250") → pence, "" → null, or undefined when it
 * cannot be read as an amount (the form then says so next to the field).
 */
export function poundsToPence(text: string): number | null | undefined {
  const t = text.trim().replace(/^£/, "").replace(/,/g, "").trim();
  if (t === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  const [whole, frac = ""] = t.split(".");
  const pence = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  return Number.isSafeInteger(pence) ? pence : undefined;
}

/** "2027-03-31" → "31/03/2027" (how dates are shown and typed). */
export function isoToUk(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * What the user typed as a date ("31/3/2027" or "2027-03-31") → ISO text for the core to check,
 * "" → null. Anything else is passed on as typed, so the core's message names the problem.
 */
export function ukToIso(text: string): string | null {
  const t = text.trim();
  if (t === "") return null;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
  return t;
}

/** The first letter in capitals, for messages shown on their own. */
export function sentence(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

/** An ISO timestamp → "24 Nov 2026, 10:42". */
export function when(ts: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}
