//! `city analysis suppliers | products | concentration`: who supplies what, and how concentrated.

use super::{FilterArgs, Global, opt, short};
use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::ProductOptions;

/// Suppliers (or products) matched across organisations, with their spellings.
pub(super) fn suppliers(g: &Global, products: bool) -> Result<(), Failure> {
    let n = g.source()?.normalisation();
    let list = if products { &n.products } else { &n.suppliers };
    if g.as_json {
        json(list);
        return Ok(());
    }
    say_line(&format!(
        "{:<34} {:<36} {:>4}  spellings / matched by",
        "key", "name", "orgs"
    ));
    for e in list {
        say_line(&format!(
            "{:<34} {:<36} {:>4}  {} / {}",
            e.key,
            e.name,
            e.organisations.len(),
            e.spellings.join(" | "),
            e.matched_by.join(", ")
        ));
    }
    if !n.suggestions.is_empty() {
        say_line(&format!(
            "{} alias suggestion(s): see `city analysis aliases suggest`",
            n.suggestions.len()
        ));
    }
    Ok(())
}

/// Products used by several organisations, side by side.
pub(super) fn products(g: &Global, min_orgs: usize, filter: &FilterArgs) -> Result<(), Failure> {
    let list = g.source()?.shared_products(
        &ProductOptions {
            min_organisations: min_orgs,
        },
        &filter.filter()?,
    )?;
    if g.as_json {
        json(&list);
        return Ok(());
    }
    for p in &list {
        say_line(&format!(
            "{} ({}) — {} organisations, mean satisfaction {}",
            p.product_name,
            p.supplier_name.as_deref().unwrap_or("supplier not known"),
            p.organisations.len(),
            opt(p.mean_satisfaction)
        ));
        for u in &p.uses {
            let ends: Vec<String> = u.contract_ends.iter().map(|d| d.to_string()).collect();
            say_line(&format!(
                "  {:<10} {:<24} {:<10} satisfaction {:<10} {:<16} ends {}",
                short(&u.organisation),
                u.organisation_name,
                u.service_area.map_or("-", |s| s.id()),
                u.satisfaction.map_or("-", |s| s.id()),
                u.hosting.map_or("-", |h| h.id()),
                if ends.is_empty() {
                    "-".into()
                } else {
                    ends.join(", ")
                }
            ));
        }
    }
    Ok(())
}

/// Supplier shares, top-10 share and HHI; suppliers versus satisfaction.
pub(super) fn concentration(g: &Global, top: usize, filter: &FilterArgs) -> Result<(), Failure> {
    let r = g.source()?.concentration(&filter.filter()?)?;
    if g.as_json {
        json(&r);
        return Ok(());
    }
    let o = &r.overall;
    say_line(&format!(
        "{}: {} contracts ({} without a supplier), {} a year, {} suppliers",
        o.label, o.contracts, o.contracts_without_supplier, o.annual_value, o.supplier_count
    ));
    say_line(&format!(
        "top-10 share: {:.1}% of contracts, {:.1}% of value; HHI {:.0} (contracts), {:.0} (value)",
        o.top10_contract_share_pct, o.top10_value_share_pct, o.hhi_contracts, o.hhi_value
    ));
    for s in o.suppliers.iter().take(top) {
        say_line(&format!(
            "  {:<36} {:>4} contracts {:>6.2}%  {:>16} {:>6.2}%  {:>2} orgs",
            s.supplier_name,
            s.contracts,
            s.contract_share_pct,
            s.annual_value.to_string(),
            s.value_share_pct,
            s.organisations
        ));
    }
    say_line("By service area:");
    for s in &r.by_service_area {
        say_line(&format!(
            "  {:<60} {:>4} contracts, top supplier {} ({:.1}%), HHI {:.0}",
            s.label,
            s.contracts,
            s.suppliers
                .first()
                .map_or("-", |x| x.supplier_name.as_str()),
            s.suppliers.first().map_or(0.0, |x| x.contract_share_pct),
            s.hhi_contracts
        ));
    }
    say_line(&format!(
        "Suppliers vs satisfaction (2019 finding): r = {}",
        opt(r.satisfaction_correlation)
    ));
    for p in &r.satisfaction {
        say_line(&format!(
            "  {:<10} {:<24} {:>3} suppliers, mean satisfaction {}",
            short(&p.organisation),
            p.organisation_name,
            p.distinct_suppliers,
            opt(p.mean_satisfaction)
        ));
    }
    Ok(())
}
