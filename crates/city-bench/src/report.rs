//! The ratio table: one row per comparison (ours against a baseline run in the same process or
//! script), its goal and whether it was met, printed as text and written as Markdown with the
//! machine's facts.

use std::fmt::Write as _;

/// A measured quantity, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Median wall-clock seconds.
    Secs(f64),
    /// Mebibytes of resident memory.
    Mib(f64),
    /// Not measured, and why ("hook not wired yet", "no --app given", …).
    Missing(String),
}

impl Value {
    fn number(&self) -> Option<f64> {
        match self {
            Value::Secs(x) | Value::Mib(x) => Some(*x),
            Value::Missing(_) => None,
        }
    }

    fn show(&self) -> String {
        match self {
            Value::Secs(s) if *s < 0.001 => format!("{:.0} µs", s * 1e6),
            Value::Secs(s) if *s < 1.0 => format!("{:.1} ms", s * 1000.0),
            Value::Secs(s) => format!("{s:.2} s"),
            Value::Mib(m) => format!("{m:.1} MiB"),
            Value::Missing(why) => {
                // One line, short: the last line of an error says what went wrong.
                let line = why.trim().lines().last().unwrap_or_default().trim();
                let short: String = line.chars().take(140).collect();
                let more = if short.len() < line.len() { "…" } else { "" };
                format!("— ({short}{more})")
            }
        }
    }
}

/// What a row must show to meet its goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Goal {
    /// ours / baseline ≤ x
    AtMostTimes(f64),
    /// baseline / ours ≥ x (ours is at least x times faster)
    FasterBy(f64),
    /// ours < x seconds
    BelowSecs(f64),
    /// ours < x MiB
    BelowMib(f64),
    /// Recorded for information only.
    None,
}

impl Goal {
    fn show(&self) -> String {
        match self {
            Goal::AtMostTimes(x) => format!("≤ {x}× baseline"),
            Goal::FasterBy(x) if *x == 1.0 => "faster than baseline".into(),
            Goal::FasterBy(x) => format!("≥ {x}× faster"),
            Goal::BelowSecs(x) if *x >= 1.0 => format!("< {x} s"),
            Goal::BelowSecs(x) => format!("< {:.0} ms", x * 1000.0),
            Goal::BelowMib(x) => format!("< {x:.0} MiB"),
            Goal::None => "—".into(),
        }
    }
}

/// One comparison.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Which benchmark, e.g. `merge 33 bundles`.
    pub(crate) bench: String,
    pub(crate) ours: Value,
    /// What the baseline is, e.g. `bare SQLite insert of the same rows`.
    pub(crate) baseline_name: String,
    pub(crate) baseline: Value,
    pub(crate) goal: Goal,
    pub(crate) note: String,
}

/// Whether a row met its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Met,
    Missed,
    NotMeasured,
    Information,
}

impl Row {
    /// ours / baseline, when both were measured.
    pub(crate) fn ratio(&self) -> Option<f64> {
        let (o, b) = (self.ours.number()?, self.baseline.number()?);
        (b > 0.0).then(|| o / b)
    }

    pub(crate) fn verdict(&self) -> Verdict {
        let Some(ours) = self.ours.number() else {
            return Verdict::NotMeasured;
        };
        let ok = match self.goal {
            Goal::AtMostTimes(x) => match self.ratio() {
                Some(r) => r <= x,
                None => return Verdict::NotMeasured,
            },
            Goal::FasterBy(x) => match self.ratio() {
                Some(r) => r > 0.0 && 1.0 / r >= x,
                None => return Verdict::NotMeasured,
            },
            Goal::BelowSecs(x) | Goal::BelowMib(x) => ours < x,
            Goal::None => return Verdict::Information,
        };
        if ok { Verdict::Met } else { Verdict::Missed }
    }

    fn cells(&self) -> [String; 7] {
        let ratio = self.ratio().map_or("—".into(), |r| format!("{r:.2}×"));
        let verdict = match self.verdict() {
            Verdict::Met => "met",
            Verdict::Missed => "**missed**",
            Verdict::NotMeasured => "not measured",
            Verdict::Information => "—",
        };
        [
            self.bench.clone(),
            self.ours.show(),
            format!("{}: {}", self.baseline_name, self.baseline.show()),
            ratio,
            self.goal.show(),
            verdict.into(),
            self.note.clone(),
        ]
    }
}

const HEADINGS: [&str; 7] = [
    "benchmark",
    "ours",
    "baseline",
    "ours / baseline",
    "goal",
    "verdict",
    "notes",
];

/// The table as plain text for the terminal.
pub(crate) fn text(rows: &[Row]) -> String {
    let cells: Vec<[String; 7]> = rows.iter().map(Row::cells).collect();
    let mut widths = HEADINGS.map(|h| h.chars().count());
    for c in &cells {
        for (w, s) in widths.iter_mut().zip(c.iter()).take(6) {
            *w = (*w).max(s.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, c: &[String]| {
        for (i, s) in c.iter().enumerate() {
            let pad = widths[i].saturating_sub(s.chars().count());
            let _ = write!(out, "{s}{}  ", " ".repeat(if i < 6 { pad } else { 0 }));
        }
        out.push('\n');
    };
    line(&mut out, &HEADINGS.map(String::from));
    for c in &cells {
        line(&mut out, c);
    }
    out
}

/// The heading of the hand-written part of docs/benchmarks.md, kept when the table is
/// written again.
pub(crate) const FINDINGS: &str = "## Findings";

/// The Markdown document: how it was made, the machine, then the table.
pub(crate) fn markdown(
    rows: &[Row],
    facts: &[(String, String)],
    command: &str,
    notes: &[String],
) -> String {
    let mut out = String::from("# Benchmarks\n\n");
    out.push_str(
        "Written by `city-bench` (crates/city-bench). Every figure is the median of several runs, \
         and each \"ours\" figure is set against a baseline doing the same work in the same \
         process or script, so the ratio means something on a shared, noisy machine; the \
         absolute times do not travel.\n\n",
    );
    let _ = writeln!(out, "Command: `{command}`\n");
    for (k, v) in facts {
        let _ = writeln!(out, "- {k}: {v}");
    }
    out.push('\n');
    let _ = writeln!(out, "| {} |", HEADINGS.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(HEADINGS.len()));
    for r in rows {
        let c = r.cells().map(|s| s.replace('|', "\\|"));
        let _ = writeln!(out, "| {} |", c.join(" | "));
    }
    if !notes.is_empty() {
        out.push_str("\n## Notes\n\n");
        for n in notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ours: Value, baseline: Value, goal: Goal) -> Row {
        Row {
            bench: "b".into(),
            ours,
            baseline_name: "base".into(),
            baseline,
            goal,
            note: String::new(),
        }
    }

    #[test]
    fn verdicts_follow_the_goal() {
        let r = row(Value::Secs(1.2), Value::Secs(1.0), Goal::AtMostTimes(1.3));
        assert_eq!(r.verdict(), Verdict::Met);
        let r = row(Value::Secs(1.4), Value::Secs(1.0), Goal::AtMostTimes(1.3));
        assert_eq!(r.verdict(), Verdict::Missed);
        let r = row(Value::Secs(0.1), Value::Secs(1.0), Goal::FasterBy(10.0));
        assert_eq!(r.verdict(), Verdict::Met);
        let r = row(Value::Secs(0.2), Value::Secs(1.0), Goal::FasterBy(10.0));
        assert_eq!(r.verdict(), Verdict::Missed);
        let r = row(
            Value::Missing("hook".into()),
            Value::Secs(1.0),
            Goal::FasterBy(1.0),
        );
        assert_eq!(r.verdict(), Verdict::NotMeasured);
        let r = row(
            Value::Mib(120.0),
            Value::Missing("none".into()),
            Goal::BelowMib(150.0),
        );
        assert_eq!(r.verdict(), Verdict::Met);
    }

    #[test]
    fn markdown_has_a_row_per_comparison() {
        let rows = [row(
            Value::Secs(0.5),
            Value::Secs(0.25),
            Goal::AtMostTimes(2.0),
        )];
        let md = markdown(&rows, &[("cpu".into(), "x".into())], "cmd", &[]);
        assert!(md.contains("| b | 500.0 ms | base: 250.0 ms | 2.00× | ≤ 2× baseline | met |"));
    }
}
