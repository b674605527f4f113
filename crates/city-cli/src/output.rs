//! What `city` prints: short text for people, or JSON with `--json`.

use city_core::api::{
    AuditEntryDto, EnumerationDto, OrganisationDto, RecordDto, ReturnStatus, ReturnSummary,
    SectionState, UndoOutcome,
};
use serde::Serialize;
use std::path::Path;

/// Prints a line to standard output; a closed pipe (`city … | head`) is not an error.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// Prints one line to standard output (a closed pipe is not an error).
pub(crate) fn say_line(line: &str) {
    say!("{line}");
}

/// Prints any value as pretty JSON.
pub(crate) fn json<T: Serialize + ?Sized>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => say!("{s}"),
        Err(e) => eprintln!("error: could not write JSON: {e}"),
    }
}

pub(crate) fn created_store(path: &Path, r: &ReturnSummary, as_json: bool) {
    if as_json {
        return json(r);
    }
    say!(
        "Created {} for {} ({}), cycle {}",
        path.display(),
        r.organisation.name,
        r.organisation.id,
        r.cycle
    );
}

pub(crate) fn organisations(list: &[OrganisationDto], as_json: bool) {
    if as_json {
        return json(list);
    }
    for o in list {
        say!("{}  {}", o.code, o.name);
    }
}

pub(crate) fn enumerations(list: &[EnumerationDto], as_json: bool) {
    if as_json {
        return json(list);
    }
    for e in list {
        say!("{}:", e.name);
        for o in &e.options {
            say!("  {:<28} {}", o.id, o.label);
        }
    }
}

pub(crate) fn questionnaire(q: &city_core::api::Questionnaire, as_json: bool) {
    if as_json {
        return json(q);
    }
    say!("Questionnaire version {}", q.version);
    for r in &q.records {
        say!("\n{} ({})", r.label, r.kind.id());
        for f in &r.fields {
            let kind = match &f.kind {
                city_core::api::FieldKind::Choice { options } => {
                    format!(
                        "one of: {}",
                        options
                            .iter()
                            .map(|o| o.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
                other => format!("{other:?}")
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_lowercase(),
            };
            let flags = format!(
                "{}{}",
                if f.required { " [required]" } else { "" },
                if f.sensitive { " [sensitive]" } else { "" }
            );
            say!("  {:<36} {}{flags} — {kind}", f.name, f.label);
        }
    }
}

pub(crate) fn returns(list: &[ReturnSummary], as_json: bool) {
    if as_json {
        return json(list);
    }
    for r in list {
        let from = r
            .carried_from
            .as_deref()
            .map(|c| format!(" (carried forward from {c})"))
            .unwrap_or_default();
        say!(
            "{}  {}  questionnaire {}{from}",
            r.cycle,
            r.organisation.name,
            r.questionnaire_version
        );
    }
}

pub(crate) fn status(s: &ReturnStatus, as_json: bool) {
    if as_json {
        return json(s);
    }
    say!(
        "{} — {} return (questionnaire {})",
        s.organisation.name,
        s.cycle,
        s.questionnaire_version
    );
    for sec in &s.sections {
        let state = match sec.state {
            SectionState::NotStarted => "Not started",
            SectionState::InProgress => "In progress",
            SectionState::Completed => "Completed",
        };
        say!("{:<24} {state}", sec.title);
        for m in sec.missing.iter().take(10) {
            say!("    - {}", m.message);
        }
        if sec.missing.len() > 10 {
            say!("    … and {} more", sec.missing.len() - 10);
        }
    }
}

pub(crate) fn list(records: &[RecordDto], as_json: bool) {
    if as_json {
        return json(records);
    }
    for r in records {
        let deleted = if r.deleted_at.is_some() {
            "  [deleted]"
        } else {
            ""
        };
        say!("{}  {:<10} {}{deleted}", r.id, r.review_state.id(), r.label);
    }
}

pub(crate) fn show(r: &RecordDto, as_json: bool) {
    if as_json {
        return json(r);
    }
    say!("{} {} — {}", r.record.kind().label(), r.id, r.label);
    say!(
        "review: {}   updated: {}",
        r.review_state.label(),
        r.updated_at
    );
    if let Some(d) = &r.deleted_at {
        say!("deleted: {d}");
    }
    if let serde_json::Value::Object(fields) = r.record.to_json() {
        for (k, v) in fields {
            match v {
                serde_json::Value::Object(inner) => {
                    for (ik, iv) in inner.into_iter().filter(|(_, v)| !v.is_null()) {
                        say!("  {k}.{ik}: {iv}");
                    }
                }
                v if v.is_null() || v == serde_json::json!([]) => {}
                v => say!("  {k}: {v}"),
            }
        }
    }
}

pub(crate) fn changed(verb: &str, r: &RecordDto, as_json: bool) {
    if as_json {
        return json(r);
    }
    say!("{verb} {} '{}' ({})", r.record.kind().id(), r.label, r.id);
}

pub(crate) fn undone(o: &UndoOutcome, as_json: bool) {
    if as_json {
        return json(o);
    }
    say!("{}", o.message);
}

pub(crate) fn history(list: &[AuditEntryDto], as_json: bool) {
    if as_json {
        return json(list);
    }
    for a in list {
        let what = match (a.kind, a.record_id) {
            (Some(k), Some(id)) => format!("{} {id}", k.id()),
            _ => String::new(),
        };
        let undone = if a.undone { " (undone)" } else { "" };
        say!(
            "{:>5}  {}  {:<12} {:<14} {what}{undone}",
            a.seq,
            a.at,
            a.actor,
            a.action
        );
    }
}

pub(crate) fn carried(s: &ReturnSummary, systems: usize, as_json: bool) {
    if as_json {
        return json(s);
    }
    say!(
        "Started the {} return from {} ({systems} systems carried forward, all marked to review)",
        s.cycle,
        s.carried_from.as_deref().unwrap_or("?")
    );
}

pub(crate) fn new_return(s: &ReturnSummary, as_json: bool) {
    if as_json {
        return json(s);
    }
    say!("Started an empty {} return", s.cycle);
}

pub(crate) fn added_many(kind: city_core::api::RecordKind, added: &[RecordDto], as_json: bool) {
    if as_json {
        return json(added);
    }
    say!("Added {} {} records", added.len(), kind.id());
}
