//! `city analysis decisions | windows`: decision dates and joint-procurement windows.

use super::{DateArgs, FilterArgs, Global, money, opt, short};
use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::{WindowGrouping, WindowOptions};

/// Each contract's decision date, soonest first.
pub(super) fn decisions(g: &Global, dates: &DateArgs, filter: &FilterArgs) -> Result<(), Failure> {
    let rows = g.source()?.decisions(&dates.options(), &filter.filter()?)?;
    if g.as_json {
        json(&rows);
        return Ok(());
    }
    say_line(&format!(
        "{:<10} {:<10} {:<10} {:>6}  {:<14} {:<28} {:<28} notes",
        "decide by", "end", "org", "notice", "annual value", "title", "supplier"
    ));
    for r in &rows {
        say_line(&format!(
            "{:<10} {:<10} {:<10} {:>6}  {:<14} {:<28} {:<28} {}",
            opt(r.decision_date),
            opt(r.end_used),
            short(&r.organisation),
            opt(r.notice_period_days),
            money(r.annual_value),
            r.title.chars().take(28).collect::<String>(),
            r.supplier_name
                .as_deref()
                .unwrap_or("-")
                .chars()
                .take(28)
                .collect::<String>(),
            r.notes.join("; ")
        ));
    }
    Ok(())
}

/// Joint-procurement windows.
pub(super) fn windows(
    g: &Global,
    window_months: u32,
    group_by: &[String],
    min_orgs: usize,
    detail: bool,
    dates: &DateArgs,
    filter: &FilterArgs,
) -> Result<(), Failure> {
    let groups = if group_by.is_empty() {
        vec![
            WindowGrouping::Product,
            WindowGrouping::Supplier,
            WindowGrouping::ServiceArea,
        ]
    } else {
        group_by
            .iter()
            .map(|g| match g.trim().replace('-', "_").as_str() {
                "product" => Ok(WindowGrouping::Product),
                "supplier" => Ok(WindowGrouping::Supplier),
                "service_area" => Ok(WindowGrouping::ServiceArea),
                other => Err(Failure::usage(format!(
                    "--group-by: '{other}' is not one of product, supplier, service-area"
                ))),
            })
            .collect::<Result<_, _>>()?
    };
    let opts = WindowOptions {
        decision: dates.options(),
        window_months,
        group_by: groups,
        min_organisations: min_orgs,
    };
    let list = g.source()?.windows(&opts, &filter.filter()?)?;
    if g.as_json {
        json(&list);
        return Ok(());
    }
    say_line(&format!(
        "{:>4}  {:<12} {:<30} {:>4} {:>9}  {:<23} {:>16}",
        "rank", "grouping", "group", "orgs", "contracts", "decision dates", "annual value"
    ));
    for w in &list {
        say_line(&format!(
            "{:>4}  {:<12} {:<30} {:>4} {:>9}  {} – {} {:>16}",
            w.rank,
            w.grouping.id(),
            w.group_name.chars().take(30).collect::<String>(),
            w.organisations.len(),
            w.contracts.len(),
            w.first_decision,
            w.last_decision,
            w.annual_value.to_string()
        ));
        if detail {
            say_line(&format!("      {}", w.explanation));
            for c in &w.contracts {
                say_line(&format!(
                    "      {} {:<24} {:<36} {}",
                    c.decision_date,
                    c.organisation_name,
                    c.title,
                    money(c.annual_value)
                ));
            }
        }
    }
    if list.is_empty() {
        say_line("No joint-procurement windows with these options.");
    }
    Ok(())
}
