//! `city publish site`: LOTI's static site of a cycle (overview, pipeline, systems, shared
//! products, suppliers, skills, readiness, downloads) from the central store or a returns file;
//! `city publish postgres`: the cycle into LOTI's shared PostgreSQL database (schema
//! `citytools`). Parsing and printing only; the site, the database and what each profile shows
//! are the core's.

use crate::Failure;
use crate::output::{json, say_line};
use crate::status_line::StatusLine;
use city_core::api::{
    self, Context, IsoDate, PgConnection, PgPublishOutcome, PublishOutcome, Store,
};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub(crate) enum PublishCommand {
    /// A static, self-contained site (HTML, CSS, JavaScript, CSV and OCDS) in a folder that
    /// works from file:// and from any web server, with the procurement pipeline.
    Site(SiteArgs),
    /// The cycle's returns and their analysis, as the committee workbook shows them, into a
    /// PostgreSQL database's schema `citytools` (for BI tools), in one transaction: the cycle's
    /// earlier publication is replaced, other cycles are left alone, and publishing the same
    /// store again changes nothing. Connects with --url, else the PGHOST, PGPORT, PGUSER,
    /// PGPASSWORD and PGDATABASE environment variables.
    Postgres(PgArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PgArgs {
    /// postgres://user@host:5432/database, or a libpq key=value string (what it leaves out
    /// comes from the PG* environment variables).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// committee (sensitive answers only as counts per organisation), open, or full (every
    /// answer: OFFICIAL-SENSITIVE, only when asked for).
    #[arg(long, default_value = "committee", value_name = "PROFILE")]
    profile: String,
    /// Publish from a JSON returns file instead of the central store (--store).
    #[arg(long, value_name = "FILE")]
    returns: Option<PathBuf>,
    /// The date decision dates count from (default: today), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Do not print progress.
    #[arg(long)]
    quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    /// The folder to write (an earlier site there is replaced only once the new one is
    /// complete).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// open (to publish) or committee (sensitive answers as counts per organisation).
    #[arg(long, default_value = "open", value_name = "PROFILE")]
    profile: String,
    /// Publish from a JSON returns file instead of the central store (--store).
    #[arg(long, value_name = "FILE")]
    returns: Option<PathBuf>,
    /// The date the pipeline's 36 months count from (default: today), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Do not print progress.
    #[arg(long)]
    quiet: bool,
}

pub(crate) fn run(
    c: &PublishCommand,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let a = match c {
        PublishCommand::Site(a) => a,
        PublishCommand::Postgres(a) => return postgres(a, store_path, cycle, as_json, ctx),
    };
    let profile = api::parse_site_profile(&a.profile)?;
    let ctx = as_of(ctx, a.as_of.as_deref())?;
    let quiet = as_json || a.quiet;
    let mut status = StatusLine::stderr(quiet);
    let mut progress = |p: &api::Progress| status.show(p);
    let outcome = match &a.returns {
        Some(f) => api::publish_site_from_returns(f, cycle, profile, &a.out, &ctx, &mut progress)?,
        None => {
            let path = store_path.ok_or_else(|| {
                Failure::usage(
                    "give LOTI's central store with --store PATH (or a returns file with --returns FILE)",
                )
            })?;
            Store::open(path)?.publish_site(cycle, profile, &a.out, &ctx, &mut progress)?
        }
    };
    status.finish();
    print(&outcome, as_json);
    Ok(())
}

/// The context with the clock set to the start of `as_of`, if given.
fn as_of(ctx: &Context, as_of: Option<&str>) -> Result<Context, Failure> {
    let mut ctx = ctx.clone();
    if let Some(d) = as_of {
        let d = IsoDate::parse(d)
            .map_err(|e| Failure::usage(format!("--as-of {d}: {e} (use YYYY-MM-DD)")))?;
        ctx.now = d.0.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    }
    Ok(ctx)
}

fn postgres(
    a: &PgArgs,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let profile = api::parse_pg_profile(&a.profile)?;
    let ctx = as_of(ctx, a.as_of.as_deref())?;
    let conn = PgConnection::from_process_env(a.url.clone());
    let quiet = as_json || a.quiet;
    let mut status = StatusLine::stderr(quiet);
    let mut progress = |p: &api::Progress| status.show(p);
    let outcome = match &a.returns {
        Some(f) => {
            api::publish_postgres_from_returns(f, cycle, profile, &conn, &ctx, &mut progress)?
        }
        None => {
            let path = store_path.ok_or_else(|| {
                Failure::usage(
                    "give LOTI's central store with --store PATH (or a returns file with --returns FILE)",
                )
            })?;
            Store::open(path)?.publish_postgres(cycle, profile, &conn, &ctx, &mut progress)?
        }
    };
    status.finish();
    print_pg(&outcome, as_json);
    Ok(())
}

fn print_pg(o: &PgPublishOutcome, as_json: bool) {
    if as_json {
        json(o);
        return;
    }
    if o.unchanged {
        say_line(&format!(
            "Cycle {} in {} already holds these rows ({} profile): nothing changed.",
            o.cycle,
            o.database,
            o.profile.id()
        ));
        return;
    }
    say_line(&format!(
        "Published cycle {} ({} organisation{}, {} profile, marked {}) to {}, schema citytools version {}:",
        o.cycle,
        o.organisations,
        if o.organisations == 1 { "" } else { "s" },
        o.profile.id(),
        o.marking,
        o.database,
        o.schema_version
    ));
    for t in &o.tables {
        say_line(&format!("  citytools.{} ({} rows)", t.name, t.rows));
    }
}

fn print(o: &PublishOutcome, as_json: bool) {
    if as_json {
        json(o);
        return;
    }
    say_line(&format!(
        "Published the site for cycle {} ({} organisation{}, {} profile, marked {}) in {}:",
        o.cycle,
        o.organisations,
        if o.organisations == 1 { "" } else { "s" },
        o.profile.id(),
        o.marking,
        o.folder
    ));
    say_line(&format!("  pages: {}", o.pages.join(", ")));
    for f in &o.downloads {
        say_line(&format!("  {} ({} rows)", f.path, f.rows));
    }
    say_line(&format!(
        "  pipeline: {} contracts and {} joint windows in the next 36 months",
        o.pipeline_contracts, o.pipeline_windows
    ));
    say_line(&format!(
        "Open {} in a browser.",
        Path::new(&o.folder).join("index.html").display()
    ));
}
