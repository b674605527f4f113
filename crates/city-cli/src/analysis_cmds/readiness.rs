//! `city analysis readiness | skills`: certificates, CAF, supported systems, and peer-support pairs.

use super::{Global, opt, readiness_options, short};
use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::{CertificateState, SkillArea, SkillOptions};

/// CAF and ICO heatmaps, certificate expiry, unsupported systems.
pub(super) fn readiness(
    g: &Global,
    as_of: Option<&str>,
    within_days: u32,
    full: bool,
) -> Result<(), Failure> {
    let opts = readiness_options(as_of, within_days, full, g.ctx)?;
    let r = g.source()?.readiness(&opts)?;
    if g.as_json {
        json(&r);
        return Ok(());
    }
    say_line(&format!(
        "As of {}: Cyber Essentials expired {}, expiring within {} days {}; PSN expired {}, expiring {}",
        r.as_of,
        r.ce_expired,
        r.within_days,
        r.ce_expiring_soon,
        r.psn_expired,
        r.psn_expiring_soon
    ));
    say_line(&format!(
        "{:<10} {:<24} {:<8} {:<13} {:>5}  {:<13} {:>5}  {:>7} {:>12} {:>5}",
        "org",
        "name",
        "CE",
        "CE state",
        "days",
        "PSN state",
        "days",
        "systems",
        "unsupported",
        "past"
    ));
    for (c, s) in r.certificates.iter().zip(&r.support) {
        say_line(&format!(
            "{:<10} {:<24} {:<8} {:<13} {:>5}  {:<13} {:>5}  {:>7} {:>12} {:>5}",
            short(&c.organisation),
            c.name,
            c.cyber_essentials.map_or("-", |x| x.id()),
            state(c.ce_state),
            opt(c.ce_days_left),
            state(c.psn_state),
            opt(c.psn_days_left),
            s.systems,
            s.out_of_support,
            s.past_end_of_support
        ));
        for d in &s.details {
            say_line(&format!(
                "           unsupported: {} (end of support {})",
                d.name,
                opt(d.end_of_support)
            ));
        }
    }
    say_line(&format!(
        "CAF heatmap (% achieved; {}):",
        r.caf_principles.join(" ")
    ));
    for row in &r.caf {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| c.score_pct.map_or("  - ".into(), |p| format!("{p:>4.0}")))
            .collect();
        say_line(&format!("  {:<24} {}", row.name, cells.join(" ")));
    }
    if !r.include_sensitive {
        say_line("  (per-organisation CAF rows and system names need --full)");
    }
    Ok(())
}

/// Peer-support pairs: one organisation strong where another is weak.
pub(super) fn skills(g: &Global, min_gap: u32, area: Option<&str>) -> Result<(), Failure> {
    let area = area
        .map(|s| {
            SkillArea::from_id(s).ok_or_else(|| {
                Failure::usage(format!(
                    "--area: '{s}' is not a skill area (see `city enums`)"
                ))
            })
        })
        .transpose()?;
    let list = g.source()?.skills(&SkillOptions { min_gap, area })?;
    if g.as_json {
        json(&list);
        return Ok(());
    }
    for p in &list {
        say_line(&format!(
            "{:>4}  {:>3}  {:<22} {:<24} → {:<24} {}",
            p.rank,
            p.score,
            p.area.id(),
            p.provider_name,
            p.seeker_name,
            p.reason
        ));
    }
    Ok(())
}

fn state(s: CertificateState) -> &'static str {
    match s {
        CertificateState::Valid => "valid",
        CertificateState::ExpiringSoon => "expiring soon",
        CertificateState::Expired => "EXPIRED",
        CertificateState::NoExpiryDate => "no expiry",
        CertificateState::NotHeld => "not held",
    }
}
