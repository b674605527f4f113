//! How long work reports its progress on standard error. On a terminal, one line per stage is
//! redrawn in place. In a log or a pipe, a stage gets a line when it starts, at each tenth of
//! the way and when it ends. A 50,000-row import writes a dozen lines there, not one per
//! hundred rows. `--quiet` and `--json` print none.

use city_core::api::Progress;
use std::io::{IsTerminal as _, Write};

/// The progress of one command, written to `out` (standard error in the CLI).
pub(crate) struct StatusLine<W: Write> {
    out: W,
    quiet: bool,
    /// Whether `out` is a terminal: the line is then redrawn in place.
    terminal: bool,
    /// The stage shown last, and the tenth of it last written (for a log).
    stage: Option<String>,
    tenth: Option<u64>,
    /// A terminal line drawn and not yet ended with a line break.
    open: bool,
}

impl StatusLine<std::io::Stderr> {
    /// Progress on standard error (nothing if `quiet`).
    pub(crate) fn stderr(quiet: bool) -> Self {
        let out = std::io::stderr();
        let terminal = out.is_terminal();
        StatusLine::new(out, terminal, quiet)
    }
}

impl<W: Write> StatusLine<W> {
    pub(crate) fn new(out: W, terminal: bool, quiet: bool) -> Self {
        StatusLine {
            out,
            quiet,
            terminal,
            stage: None,
            tenth: None,
            open: false,
        }
    }

    /// Shows where the work is.
    pub(crate) fn show(&mut self, p: &Progress) {
        if self.quiet {
            return;
        }
        let new_stage = self.stage.as_deref() != Some(p.stage.as_str());
        if new_stage {
            self.finish();
            self.stage = Some(p.stage.clone());
            self.tenth = None;
        }
        // Progress is a courtesy: a closed standard error must not stop the work.
        if self.terminal {
            let _ = write!(self.out, "\r{}\x1b[K", text(p));
            let _ = self.out.flush();
            self.open = true;
            if p.total > 0 && p.done >= p.total {
                self.finish();
            }
            return;
        }
        let tenth = (p.total > 0).then(|| p.done.min(p.total) * 10 / p.total);
        if new_stage || tenth != self.tenth {
            self.tenth = tenth;
            let _ = writeln!(self.out, "{}", text(p));
        }
    }

    /// Ends a line left open on a terminal, before other output follows.
    pub(crate) fn finish(&mut self) {
        if self.open {
            let _ = writeln!(self.out);
            let _ = self.out.flush();
            self.open = false;
        }
    }
}

/// What a line says: the stage, and how far through it when the work is counted.
fn text(p: &Progress) -> String {
    if p.total > 0 {
        format!("{}: {}/{}", p.stage, p.done, p.total)
    } else {
        p.stage.clone()
    }
}

impl<W: Write> Drop for StatusLine<W> {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(stage: &str, done: u64, total: u64) -> Progress {
        Progress {
            stage: stage.to_string(),
            done,
            total,
        }
    }

    /// What a run of 50,000 rows reported every 100 rows writes.
    fn import_of(terminal: bool, quiet: bool) -> String {
        let mut out = Vec::new();
        {
            let mut line = StatusLine::new(&mut out, terminal, quiet);
            for done in (0..=50_000).step_by(100) {
                line.show(&at("Importing 50000 rows", done, 50_000));
            }
            line.show(&at("Writing the report", 0, 0));
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_log_gets_a_line_at_each_tenth_and_each_new_stage() {
        let log = import_of(false, false);
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 12, "{log}");
        assert_eq!(lines[0], "Importing 50000 rows: 0/50000");
        assert_eq!(lines[1], "Importing 50000 rows: 5000/50000");
        assert_eq!(lines[10], "Importing 50000 rows: 50000/50000");
        assert_eq!(lines[11], "Writing the report");
        assert!(!log.contains('\r'));
    }

    #[test]
    fn a_terminal_line_is_redrawn_in_place_and_ended_once_per_stage() {
        let shown = import_of(true, false);
        assert_eq!(shown.matches('\n').count(), 2, "{shown:?}");
        assert_eq!(shown.matches('\r').count(), 502);
        assert!(shown.contains("\rImporting 50000 rows: 50000/50000\x1b[K\n"));
        // The stage without a count is ended when the line is dropped.
        assert!(shown.ends_with("\rWriting the report\x1b[K\n"));
    }

    #[test]
    fn quiet_writes_nothing() {
        assert_eq!(import_of(true, true), "");
        assert_eq!(import_of(false, true), "");
    }

    #[test]
    fn an_unfinished_terminal_line_is_ended_before_other_output() {
        let mut out = Vec::new();
        let mut line = StatusLine::new(&mut out, true, false);
        line.show(&at("Reading", 3, 10));
        line.finish();
        line.finish();
        drop(line);
        assert_eq!(String::from_utf8(out).unwrap(), "\rReading: 3/10\x1b[K\n");
    }
}
