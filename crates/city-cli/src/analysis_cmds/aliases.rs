//! `city analysis aliases …`: suggestions, and the decisions kept in the central store.

use super::{AliasCommand, Global, newest_cycle};
use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::AliasKind;

/// Alias suggestions and decisions.
pub(super) fn aliases(g: &Global, c: &AliasCommand) -> Result<(), Failure> {
    match c {
        AliasCommand::Suggest => {
            let list = g.source()?.suggestions();
            if g.as_json {
                json(&list);
                return Ok(());
            }
            say_line(&format!("{:<12} {:<8} {:>5}  names", "id", "kind", "score"));
            for s in &list {
                say_line(&format!(
                    "{:<12} {:<8} {:>5.3}  {} ({} orgs)  ~  {} ({} orgs)",
                    s.id,
                    s.kind.id(),
                    s.score,
                    s.a_name,
                    s.a_organisations,
                    s.b_name,
                    s.b_organisations
                ));
            }
            if list.is_empty() {
                say_line("No alias suggestions.");
            }
        }
        AliasCommand::List => {
            if !g.args.returns.is_empty() {
                return Err(Failure::usage(
                    "alias decisions live in the central store: give --store",
                ));
            }
            let list = g.open()?.alias_decisions()?;
            if g.as_json {
                json(&list);
                return Ok(());
            }
            for d in &list {
                say_line(&format!(
                    "{}  {:<8} {:<9} {} = {}  by {} on {} ({}){}{}",
                    d.id,
                    d.kind.id(),
                    if d.confirmed { "confirmed" } else { "rejected" },
                    d.label_a,
                    d.label_b,
                    d.decided_by,
                    d.decided_at,
                    d.cycle,
                    if d.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.note)
                    },
                    if d.current { "" } else { " [replaced]" }
                ));
            }
            if list.is_empty() {
                say_line("No alias decisions yet.");
            }
        }
        AliasCommand::Confirm(d) | AliasCommand::Reject(d) => {
            if !g.args.returns.is_empty() {
                return Err(Failure::usage(
                    "alias decisions are kept in the central store: give --store",
                ));
            }
            let confirmed = matches!(c, AliasCommand::Confirm(_));
            let mut s = g.open()?;
            let cycle = newest_cycle(&mut s, g.cycle)?;
            let out = match (&d.id, &d.names) {
                (Some(id), None) => s.decide_alias(&cycle, id, confirmed, &d.note, g.ctx)?,
                (None, Some(n)) if n.len() == 2 => {
                    let kind = AliasKind::from_id(&d.kind).ok_or_else(|| {
                        Failure::usage(format!("--kind: '{}' is not supplier or product", d.kind))
                    })?;
                    s.decide_alias_names(&cycle, kind, &n[0], &n[1], confirmed, &d.note, g.ctx)?
                }
                _ => {
                    return Err(Failure::usage(
                        "give a suggestion id, or two names with --names A B",
                    ));
                }
            };
            if g.as_json {
                json(&out);
            } else {
                say_line(&format!(
                    "{} {} '{}' and '{}' ({}); kept for later cycles",
                    if out.confirmed {
                        "Confirmed:"
                    } else {
                        "Rejected:"
                    },
                    out.kind.id(),
                    out.label_a,
                    out.label_b,
                    out.id
                ));
            }
        }
    }
    Ok(())
}
