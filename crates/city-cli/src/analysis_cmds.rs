//! `city analysis …`: LOTI's collaboration analysis over the central store (or a JSON file of
//! returns such as `fixtures/london/returns.json`): suppliers, products, decisions, windows,
//! concentration, readiness, skills, aliases, progress between two cycles (over the store, or two
//! returns files) and the whole report. Parses flags and prints
//! tables (or `--json`); every rule lives in the core.
//!
//! This module holds the flags, the global options every view shares ([`Global`]) and the
//! dispatcher ([`run`]); each view prints from its own module.

mod aliases;
mod dates;
mod market;
mod progress;
mod readiness;
mod report;

use crate::Failure;
use city_core::api::{
    Analysis, AnalysisFilter, Context, DecisionOptions, IsoDate, Pence, ReadinessOptions,
    ServiceArea, Store,
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
    Progress(ProgressArgs),
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

#[derive(Debug, Args)]
struct ProgressArgs {
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

/// The global options every view shares: where to read, which cycle, and how to print.
#[derive(Clone, Copy)]
struct Global<'a> {
    args: &'a AnalysisArgs,
    store_path: Option<&'a Path>,
    cycle: Option<&'a str>,
    as_json: bool,
    ctx: &'a Context,
}

impl Global<'_> {
    /// The store and cycle to analyse, or the returns file.
    fn source(&self) -> Result<Analysis, Failure> {
        match self.args.returns.as_slice() {
            [] => {}
            [f] => return Ok(Analysis::from_returns_file(f)?),
            _ => {
                return Err(Failure::usage(
                    "give one returns file (two only for `city analysis progress`)",
                ));
            }
        }
        let mut s = self.open()?;
        let cycle = newest_cycle(&mut s, self.cycle)?;
        Ok(s.analysis(&cycle)?)
    }

    /// The central store given with --store.
    fn open(&self) -> Result<Store, Failure> {
        open(self.store_path)
    }
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

fn short(code: &str) -> &str {
    code.strip_prefix("gss:").unwrap_or(code)
}

/// `city analysis …`: one view, printed as a table or `--json`.
pub(crate) fn run(
    a: &AnalysisArgs,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let g = Global {
        args: a,
        store_path,
        cycle,
        as_json,
        ctx,
    };
    match &a.command {
        AnalysisCommand::Suppliers { products } => market::suppliers(&g, *products),
        AnalysisCommand::Products { min_orgs, filter } => market::products(&g, *min_orgs, filter),
        AnalysisCommand::Decisions { dates, filter } => dates::decisions(&g, dates, filter),
        AnalysisCommand::Windows {
            window_months,
            group_by,
            min_orgs,
            detail,
            dates,
            filter,
        } => dates::windows(
            &g,
            *window_months,
            group_by,
            *min_orgs,
            *detail,
            dates,
            filter,
        ),
        AnalysisCommand::Concentration { top, filter } => market::concentration(&g, *top, filter),
        AnalysisCommand::Readiness {
            as_of,
            within_days,
            full,
        } => readiness::readiness(&g, as_of.as_deref(), *within_days, *full),
        AnalysisCommand::Skills { min_gap, area } => {
            readiness::skills(&g, *min_gap, area.as_deref())
        }
        AnalysisCommand::Aliases(c) => aliases::aliases(&g, c),
        AnalysisCommand::Progress(p) => progress::progress(&g, p),
        AnalysisCommand::Report {
            window_months,
            dates,
            as_of,
            within_days,
            full,
        } => report::report(
            &g,
            *window_months,
            dates,
            as_of.as_deref(),
            *within_days,
            *full,
        ),
    }
}
