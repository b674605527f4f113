//! `city analysis progress`: one cycle against the next, per organisation and for London.

use super::{Global, ProgressArgs, date, newest_cycle, short};
use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::{
    Movement, ProgressOptions, ProgressReport, ReturnReceipt, WindowOptions, WindowOutcome,
    progress_from_returns,
};

/// Progress from one cycle to the next, over the store or two returns files.
pub(super) fn progress(g: &Global, p: &ProgressArgs) -> Result<(), Failure> {
    let ProgressArgs {
        from,
        to,
        from_closes,
        to_closes,
        window_months,
        full,
        changes,
        dates,
        filter,
    } = p;
    let options = ProgressOptions {
        windows: WindowOptions {
            decision: dates.options(),
            window_months: *window_months,
            ..WindowOptions::default()
        },
        include_sensitive: *full,
        from_closes: from_closes
            .as_deref()
            .map(|d| date("from-closes", d))
            .transpose()?,
        to_closes: to_closes
            .as_deref()
            .map(|d| date("to-closes", d))
            .transpose()?,
    };
    let filter = filter.filter()?;
    let r = match g.args.returns.as_slice() {
        [x, y] => {
            let r = progress_from_returns(x, y, &options, &filter)?;
            for (flag, want, got) in [("from", from, &r.from_cycle), ("to", to, &r.to_cycle)] {
                if let Some(w) = want
                    && w.trim() != got
                {
                    return Err(Failure::usage(format!(
                        "--{flag} {w}: the returns files hold {} and {}",
                        r.from_cycle, r.to_cycle
                    )));
                }
            }
            r
        }
        [] => {
            let mut s = g.open()?;
            let to = match to {
                Some(t) => t.clone(),
                None => newest_cycle(&mut s, g.cycle)?,
            };
            let from = match from {
                Some(f) => f.clone(),
                None => previous(&to)?,
            };
            s.progress(&from, &to, &options, &filter)?
        }
        _ => {
            return Err(Failure::usage(
                "give two returns files, the earlier cycle's first (or --store)",
            ));
        }
    };
    if g.as_json {
        json(&r);
    } else {
        print_progress(&r, *changes);
    }
    Ok(())
}

/// The cycle before `cycle` (`2027-28` → `2026-27`).
fn previous(cycle: &str) -> Result<String, Failure> {
    let start: u32 = cycle
        .trim()
        .get(..4)
        .and_then(|y| y.parse().ok())
        .filter(|y| *y > 2000)
        .ok_or_else(|| Failure::usage(format!("--to: '{cycle}' is not a cycle such as 2027-28")))?;
    Ok(format!("{}-{:02}", start - 1, start % 100))
}

fn movement(m: Option<Movement>) -> String {
    m.map_or_else(
        || "-".into(),
        |m| format!("+{} ={} -{}", m.improved, m.same, m.worse),
    )
}

fn receipt(r: &Option<ReturnReceipt>) -> String {
    match r {
        None => "no return".into(),
        Some(r) => match (r.received_on, r.on_time) {
            (Some(d), Some(true)) => format!("{d} on time"),
            (Some(d), Some(false)) => format!(
                "{d} late ({} days)",
                r.days_after_closing.unwrap_or_default()
            ),
            (Some(d), None) => d.to_string(),
            (None, _) => "received".into(),
        },
    }
}

fn print_progress(r: &ProgressReport, changes: bool) {
    let l = &r.london;
    say_line(&format!(
        "Progress from {} to {}: {} organisations compared; returns {} then ({} late), {} now ({} late)",
        r.from_cycle,
        r.to_cycle,
        l.compared,
        l.returns_then,
        l.late_then,
        l.returns_now,
        l.late_now
    ));
    if !l.no_return_now.is_empty() {
        say_line(&format!(
            "No return this cycle: {}",
            l.no_return_now.join(", ")
        ));
    }
    if !l.no_return_then.is_empty() {
        say_line(&format!(
            "No return last cycle: {}",
            l.no_return_then.join(", ")
        ));
    }
    say_line(&format!(
        "Records: {} unchanged, {} changed, {} new, {} retired; {} still to review",
        l.records.unchanged,
        l.records.changed,
        l.records.new,
        l.records.retired,
        l.records.not_reviewed
    ));
    say_line(&format!(
        "Readiness: CAF outcomes {}; ICO categories {}; Cyber Essentials {} gained, {} kept, {} lapsed; PSN {} gained, {} kept, {} lapsed",
        movement(Some(l.caf)),
        movement(Some(l.ico)),
        l.cyber_essentials.gained,
        l.cyber_essentials.kept,
        l.cyber_essentials.lapsed,
        l.psn.gained,
        l.psn.kept,
        l.psn.lapsed
    ));
    let s = &l.systems;
    say_line(&format!(
        "Systems: {} added, {} retired, {} newly out of support, {} moved to cloud, {} products switched",
        s.added, s.retired, s.newly_out_of_support, s.moved_to_cloud, s.products_switched
    ));
    let c = &l.contracts;
    say_line(&format!(
        "Contracts: {} ended, {} re-procured, {} extended, {} joined with other organisations; windows acted on {}, missed {}",
        c.ended, c.reprocured, c.extended, c.joined, c.windows_acted_on, c.windows_missed
    ));
    let (a, b) = (&r.market.then, &r.market.now);
    say_line(&format!(
        "Suppliers: HHI (contracts) {:.0} then, {:.0} now; top-10 share {:.1}% then, {:.1}% now; {} suppliers then, {} now",
        a.hhi_contracts,
        b.hhi_contracts,
        a.top10_contract_share_pct,
        b.top10_contract_share_pct,
        a.supplier_count,
        b.supplier_count
    ));
    say_line(&format!("Skills: areas {}", movement(Some(l.skills))));
    say_line("");
    say_line(&format!(
        "{:<10} {:<24} {:<26} {:<26} {:>5} {:>5} {:>4} {:>4}  {:<13} {:<8} {:<8} {:>3} {:>3} {:>3} {:>3}",
        "org",
        "name",
        "then",
        "now",
        "same",
        "chg",
        "new",
        "ret",
        "ICO",
        "CE",
        "PSN",
        "sys+",
        "sys-",
        "re-p",
        "join"
    ));
    for o in &r.organisations {
        let m = o.records.unwrap_or_default();
        let sy = o.systems.unwrap_or_default();
        let co = o.contracts.unwrap_or_default();
        let both = o.records.is_some();
        let n = |x: usize| if both { x.to_string() } else { "-".into() };
        say_line(&format!(
            "{:<10} {:<24} {:<26} {:<26} {:>5} {:>5} {:>4} {:>4}  {:<13} {:<8} {:<8} {:>3} {:>3} {:>3} {:>3}",
            short(&o.organisation),
            o.name.chars().take(24).collect::<String>(),
            receipt(&o.then),
            receipt(&o.now),
            n(m.unchanged),
            n(m.changed),
            n(m.new),
            n(m.retired),
            movement(o.ico),
            o.cyber_essentials.map_or("-", |x| x.label()),
            o.psn.map_or("-", |x| x.label()),
            n(sy.added),
            n(sy.retired),
            n(co.reprocured),
            n(co.joined),
        ));
    }
    let acted: Vec<_> = r
        .windows
        .iter()
        .filter(|w| w.outcome == WindowOutcome::ActedOn)
        .collect();
    if !acted.is_empty() {
        say_line("");
        say_line("Last cycle's windows acted on:");
        for w in acted {
            say_line(&format!(
                "  {} {} ({}): {} of {} organisations together",
                w.grouping.id(),
                w.group_name,
                w.first_decision,
                w.joined_organisations.len(),
                w.organisations.len()
            ));
        }
    }
    if changes {
        say_line("");
        for c in &r.changes {
            say_line(&format!(
                "{:<24} {:<40} {}{}",
                c.organisation_name.chars().take(24).collect::<String>(),
                c.kind.label(),
                c.subject,
                match (&c.then, &c.now) {
                    (Some(a), Some(b)) => format!(": {a} → {b}"),
                    (None, Some(b)) => format!(": {b}"),
                    (Some(a), None) => format!(": {a}"),
                    (None, None) => String::new(),
                }
            ));
        }
    } else if !r.changes.is_empty() {
        say_line(&format!(
            "{} changes listed with --changes",
            r.changes.len()
        ));
    }
}
