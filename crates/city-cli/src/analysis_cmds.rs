//! `city analysis …`: LOTI's collaboration analysis over the central store (or a JSON file of
//! returns such as `fixtures/london/returns.json`): suppliers, products, decisions, windows,
//! concentration, readiness, skills, aliases, progress between two cycles (over the store, or two
//! returns files) and the whole report. Parses flags and prints
//! tables (or `--json`); every rule lives in the core.

use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::{
    AliasKind, Analysis, AnalysisFilter, CertificateState, Context, DecisionOptions, IsoDate,
    Movement, Pence, ProductOptions, ProgressOptions, ProgressReport, ReadinessOptions,
    ReturnReceipt, ServiceArea, SkillArea, SkillOptions, Store, WindowGrouping, WindowOptions,
    WindowOutcome, progress_from_returns,
};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub(crate) struct AnalysisArgs {
    /// Analyse a JSON file of returns instead of the central store (no alias decisions apply);
    /// `progress` takes two, the earlier cycle's first.
    #[arg(long, global = true, value_name = "FILE")]
    returns: Vec<PathBuf>,
    #[command(subcommand)]
    command: AnalysisCommand,
}

#[derive(Debug, Subcommand)]
enum AnalysisCommand {
    /// Suppliers (and products with --products) matched across organisations.
    Suppliers {
        /// Show products instead of suppliers.
        #[arg(long)]
        products: bool,
    },
    /// Products used by several organisations, side by side.
    Products {
        /// Products used by at least this many organisations.
        #[arg(long, default_value_t = 2)]
        min_orgs: usize,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Each contract's decision date (end − notice − lead time), soonest first.
    Decisions {
        #[command(flatten)]
        dates: DateArgs,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Joint-procurement windows: contracts for the same product, supplier or service area in
    /// two or more organisations whose decision dates fall close together.
    Windows {
        /// Decision dates within this many months of the first.
        #[arg(long, default_value_t = 12)]
        window_months: u32,
        /// Group by: product, supplier, service-area (repeat or comma-separate; default all).
        #[arg(long, value_delimiter = ',', value_name = "GROUPING")]
        group_by: Vec<String>,
        /// Organisations a window must span.
        #[arg(long, default_value_t = 2)]
        min_orgs: usize,
        /// Show each window's contracts.
        #[arg(long)]
        detail: bool,
        #[command(flatten)]
        dates: DateArgs,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Supplier shares, top-10 share and HHI; suppliers versus satisfaction.
    Concentration {
        /// How many suppliers to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// CAF and ICO heatmaps, Cyber Essentials / PSN expiry, unsupported systems.
    Readiness {
        /// Measure expiry from this date (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Flag what expires within this many days.
        #[arg(long, default_value_t = 90)]
        within_days: u32,
        /// The full profile: per-organisation CAF rows and names of unsupported systems
        /// (sensitive; leave it out for committee and open use).
        #[arg(long)]
        full: bool,
    },
    /// Peer-support pairs: one organisation strong where another is weak.
    Skills {
        /// Levels between the two (default 2).
        #[arg(long, default_value_t = 2)]
        min_gap: u32,
        /// Only this capability area (e.g. data_analytics).
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
    },
    /// Alias suggestions and decisions (kept in the central store, reused next cycle).
    #[command(subcommand)]
    Aliases(AliasCommand),
    /// Progress from one cycle to the next, per organisation and for London: returns, records,
    /// readiness, systems, contracts, last cycle's windows, suppliers and skills then and now.
    Progress {
        /// The earlier cycle (default: the one before --to).
        #[arg(long, value_name = "CYCLE")]
        from: Option<String>,
        /// The later cycle (default: --cycle, else the newest in the store).
        #[arg(long, value_name = "CYCLE")]
        to: Option<String>,
        /// The earlier cycle's closing date, if the store does not record it.
        #[arg(long, value_name = "DATE")]
        from_closes: Option<String>,
        /// The later cycle's closing date, if the store does not record it.
        #[arg(long, value_name = "DATE")]
        to_closes: Option<String>,
        /// Last cycle's windows: decision dates within this many months of the first.
        #[arg(long, default_value_t = 12)]
        window_months: u32,
        /// The full profile: per-organisation CAF movements and the names of systems newly out
        /// of support (sensitive; leave it out for committee and open use).
        #[arg(long)]
        full: bool,
        /// List every change, organisation by organisation.
        #[arg(long)]
        changes: bool,
        #[command(flatten)]
        dates: DateArgs,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Every view at once as JSON (for the committee workbook).
    Report {
        #[arg(long, default_value_t = 12)]
        window_months: u32,
        #[command(flatten)]
        dates: DateArgs,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, default_value_t = 90)]
        within_days: u32,
        #[arg(long)]
        full: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AliasCommand {
    /// Pairs of names alike enough to look at, with their ids.
    Suggest,
    /// Every decision made (replaced ones marked).
    List,
    /// Confirm a suggestion: the two are the same supplier or product.
    Confirm(DecideArgs),
    /// Reject a suggestion: the two are different (it is not suggested again).
    Reject(DecideArgs),
}

#[derive(Debug, Args)]
struct DecideArgs {
    /// The suggestion's id (from `city analysis aliases suggest`).
    id: Option<String>,
    /// Instead of an id: the two names, with --kind.
    #[arg(long, num_args = 2, value_names = ["NAME_A", "NAME_B"], conflicts_with = "id")]
    names: Option<Vec<String>>,
    /// supplier or product (with --names).
    #[arg(long, default_value = "supplier")]
    kind: String,
    /// Why (e.g. "checked Companies House").
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Debug, Args)]
struct DateArgs {
    /// Months needed to procure a replacement.
    #[arg(long, default_value_t = 9)]
    lead_months: u32,
    /// Count from the latest end date with every extension taken.
    #[arg(long)]
    use_latest_end: bool,
}

#[derive(Debug, Args)]
struct FilterArgs {
    /// Only this organisation (E09000007).
    #[arg(long, value_name = "CODE")]
    org: Option<String>,
    /// Only this supplier (entity key or part of the name).
    #[arg(long, value_name = "SUPPLIER")]
    supplier: Option<String>,
    /// Only this product (entity key or part of the name).
    #[arg(long, value_name = "PRODUCT")]
    product: Option<String>,
    /// Only this service area (esd:66).
    #[arg(long, value_name = "AREA")]
    service_area: Option<String>,
    /// Contracts ending on or after this date.
    #[arg(long, value_name = "DATE")]
    ends_from: Option<String>,
    /// Contracts ending on or before this date.
    #[arg(long, value_name = "DATE")]
    ends_to: Option<String>,
}

fn date(flag: &str, s: &str) -> Result<IsoDate, Failure> {
    IsoDate::parse(s).map_err(|m| Failure::usage(format!("--{flag}: {m}")))
}

impl FilterArgs {
    fn filter(&self) -> Result<AnalysisFilter, Failure> {
        Ok(AnalysisFilter {
            organisation: self.org.clone(),
            supplier: self.supplier.clone(),
            product: self.product.clone(),
            service_area: self
                .service_area
                .as_deref()
                .map(|a| {
                    ServiceArea::from_id(a).ok_or_else(|| {
                        Failure::usage(format!(
                            "--service-area: '{a}' is not a service area (see `city enums`)"
                        ))
                    })
                })
                .transpose()?,
            ends_from: self
                .ends_from
                .as_deref()
                .map(|d| date("ends-from", d))
                .transpose()?,
            ends_to: self
                .ends_to
                .as_deref()
                .map(|d| date("ends-to", d))
                .transpose()?,
        })
    }
}

impl DateArgs {
    fn options(&self) -> DecisionOptions {
        DecisionOptions {
            lead_months: self.lead_months,
            use_latest_end: self.use_latest_end,
            ..DecisionOptions::default()
        }
    }
}

fn readiness_options(
    as_of: Option<&str>,
    within_days: u32,
    full: bool,
    ctx: &Context,
) -> Result<ReadinessOptions, Failure> {
    let as_of = match as_of {
        Some(d) => date("as-of", d)?,
        None => IsoDate(ctx.now.date_naive()),
    };
    Ok(ReadinessOptions {
        within_days,
        include_sensitive: full,
        ..ReadinessOptions::as_of(as_of)
    })
}

/// The store and cycle to analyse, or the returns file.
fn source(
    a: &AnalysisArgs,
    store_path: Option<&Path>,
    cycle: Option<&str>,
) -> Result<Analysis, Failure> {
    match a.returns.as_slice() {
        [] => {}
        [f] => return Ok(Analysis::from_returns_file(f)?),
        _ => {
            return Err(Failure::usage(
                "give one returns file (two only for `city analysis progress`)",
            ));
        }
    }
    let mut s = open(store_path)?;
    let cycle = newest_cycle(&mut s, cycle)?;
    Ok(s.analysis(&cycle)?)
}

fn open(store_path: Option<&Path>) -> Result<Store, Failure> {
    let p = store_path.ok_or_else(|| {
        Failure::usage(
            "give LOTI's central store with --store PATH (or a returns file with --returns FILE)",
        )
    })?;
    Ok(Store::open(p)?)
}

fn newest_cycle(s: &mut Store, cycle: Option<&str>) -> Result<String, Failure> {
    match cycle {
        Some(c) => Ok(c.to_string()),
        None => s
            .info()?
            .cycles
            .pop()
            .ok_or_else(|| Failure::failed("the store has no returns to analyse")),
    }
}

fn money(p: Option<Pence>) -> String {
    p.map_or_else(|| "-".into(), |p| p.to_string())
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
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

fn short(code: &str) -> &str {
    code.strip_prefix("gss:").unwrap_or(code)
}

/// What every view of `city analysis` is given: the command's global options.
#[derive(Clone, Copy)]
struct View<'a> {
    a: &'a AnalysisArgs,
    store_path: Option<&'a Path>,
    cycle: Option<&'a str>,
    as_json: bool,
    ctx: &'a Context,
}

/// Runs `city analysis`: one function per view reads it and prints it (as text, or as JSON).
pub(crate) fn run(
    a: &AnalysisArgs,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let view = View {
        a,
        store_path,
        cycle,
        as_json,
        ctx,
    };
    match &a.command {
        AnalysisCommand::Aliases(c) => return aliases(a, c, store_path, cycle, as_json, ctx),
        AnalysisCommand::Suppliers { products } => suppliers_view(&view, products)?,
        AnalysisCommand::Products { min_orgs, filter } => products_view(&view, min_orgs, filter)?,
        AnalysisCommand::Decisions { dates, filter } => decisions_view(&view, dates, filter)?,
        AnalysisCommand::Windows {
            window_months,
            group_by,
            min_orgs,
            detail,
            dates,
            filter,
        } => windows_view(
            &view,
            window_months,
            group_by,
            min_orgs,
            detail,
            dates,
            filter,
        )?,
        AnalysisCommand::Concentration { top, filter } => concentration_view(&view, top, filter)?,
        AnalysisCommand::Readiness {
            as_of,
            within_days,
            full,
        } => readiness_view(&view, as_of, within_days, full)?,
        AnalysisCommand::Skills { min_gap, area } => skills_view(&view, min_gap, area)?,
        AnalysisCommand::Progress {
            from,
            to,
            from_closes,
            to_closes,
            window_months,
            full,
            changes,
            dates,
            filter,
        } => progress_view(
            &view,
            from,
            to,
            from_closes,
            to_closes,
            window_months,
            full,
            changes,
            dates,
            filter,
        )?,
        AnalysisCommand::Report {
            window_months,
            dates,
            as_of,
            within_days,
            full,
        } => report_view(&view, window_months, dates, as_of, within_days, full)?,
    }
    Ok(())
}

/// `city analysis suppliers`.
fn suppliers_view(v: &View<'_>, products: &bool) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
    let n = source(a, store_path, cycle)?.normalisation();
    let list = if *products { &n.products } else { &n.suppliers };
    if as_json {
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

/// `city analysis products`.
fn products_view(v: &View<'_>, min_orgs: &usize, filter: &FilterArgs) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
    let list = source(a, store_path, cycle)?.shared_products(
        &ProductOptions {
            min_organisations: *min_orgs,
        },
        &filter.filter()?,
    )?;
    if as_json {
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

/// `city analysis decisions`.
fn decisions_view(v: &View<'_>, dates: &DateArgs, filter: &FilterArgs) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
    let rows = source(a, store_path, cycle)?.decisions(&dates.options(), &filter.filter()?)?;
    if as_json {
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

/// `city analysis windows`.
fn windows_view(
    v: &View<'_>,
    window_months: &u32,
    group_by: &[String],
    min_orgs: &usize,
    detail: &bool,
    dates: &DateArgs,
    filter: &FilterArgs,
) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
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
        window_months: *window_months,
        group_by: groups,
        min_organisations: *min_orgs,
    };
    let list = source(a, store_path, cycle)?.windows(&opts, &filter.filter()?)?;
    if as_json {
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
        if *detail {
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

/// `city analysis concentration`.
fn concentration_view(v: &View<'_>, top: &usize, filter: &FilterArgs) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
    let r = source(a, store_path, cycle)?.concentration(&filter.filter()?)?;
    if as_json {
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
    for s in o.suppliers.iter().take(*top) {
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

/// `city analysis readiness`.
fn readiness_view(
    v: &View<'_>,
    as_of: &Option<String>,
    within_days: &u32,
    full: &bool,
) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ctx,
    } = *v;
    let opts = readiness_options(as_of.as_deref(), *within_days, *full, ctx)?;
    let r = source(a, store_path, cycle)?.readiness(&opts)?;
    if as_json {
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

/// `city analysis skills`.
fn skills_view(v: &View<'_>, min_gap: &u32, area: &Option<String>) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
    let area = area
        .as_deref()
        .map(|s| {
            SkillArea::from_id(s).ok_or_else(|| {
                Failure::usage(format!(
                    "--area: '{s}' is not a skill area (see `city enums`)"
                ))
            })
        })
        .transpose()?;
    let list = source(a, store_path, cycle)?.skills(&SkillOptions {
        min_gap: *min_gap,
        area,
    })?;
    if as_json {
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

/// `city analysis progress` (its options, as clap gives them).
#[allow(clippy::too_many_arguments)]
fn progress_view(
    v: &View<'_>,
    from: &Option<String>,
    to: &Option<String>,
    from_closes: &Option<String>,
    to_closes: &Option<String>,
    window_months: &u32,
    full: &bool,
    changes: &bool,
    dates: &DateArgs,
    filter: &FilterArgs,
) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ..
    } = *v;
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
    let r = match a.returns.as_slice() {
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
            let mut s = open(store_path)?;
            let to = match to {
                Some(t) => t.clone(),
                None => newest_cycle(&mut s, cycle)?,
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
    if as_json {
        json(&r);
    } else {
        print_progress(&r, *changes);
    }
    Ok(())
}

/// `city analysis report`.
fn report_view(
    v: &View<'_>,
    window_months: &u32,
    dates: &DateArgs,
    as_of: &Option<String>,
    within_days: &u32,
    full: &bool,
) -> Result<(), Failure> {
    let View {
        a,
        store_path,
        cycle,
        as_json,
        ctx,
    } = *v;
    let w = WindowOptions {
        decision: dates.options(),
        window_months: *window_months,
        ..WindowOptions::default()
    };
    let r = readiness_options(as_of.as_deref(), *within_days, *full, ctx)?;
    let report = source(a, store_path, cycle)?.report(&w, &r)?;
    if as_json {
        json(&report);
    } else {
        say_line(&format!(
            "{}: {} organisations, {} shared products, {} contracts, {} windows, {} skills pairs, {} alias suggestions (use --json for everything)",
            report.cycle,
            report.organisations,
            report.shared_products.len(),
            report.decisions.len(),
            report.windows.len(),
            report.skills.len(),
            report.suggestions.len()
        ));
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

fn aliases(
    a: &AnalysisArgs,
    c: &AliasCommand,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    match c {
        AliasCommand::Suggest => {
            let list = source(a, store_path, cycle)?.suggestions();
            if as_json {
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
            if !a.returns.is_empty() {
                return Err(Failure::usage(
                    "alias decisions live in the central store: give --store",
                ));
            }
            let list = open(store_path)?.alias_decisions()?;
            if as_json {
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
            if !a.returns.is_empty() {
                return Err(Failure::usage(
                    "alias decisions are kept in the central store: give --store",
                ));
            }
            let confirmed = matches!(c, AliasCommand::Confirm(_));
            let mut s = open(store_path)?;
            let cycle = newest_cycle(&mut s, cycle)?;
            let out = match (&d.id, &d.names) {
                (Some(id), None) => s.decide_alias(&cycle, id, confirmed, &d.note, ctx)?,
                (None, Some(n)) if n.len() == 2 => {
                    let kind = AliasKind::from_id(&d.kind).ok_or_else(|| {
                        Failure::usage(format!("--kind: '{}' is not supplier or product", d.kind))
                    })?;
                    s.decide_alias_names(&cycle, kind, &n[0], &n[1], confirmed, &d.note, ctx)?
                }
                _ => {
                    return Err(Failure::usage(
                        "give a suggestion id, or two names with --names A B",
                    ));
                }
            };
            if as_json {
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
