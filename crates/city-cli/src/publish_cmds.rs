//! `city publish site`: LOTI's static site of a cycle (overview, pipeline, systems, shared
//! products, suppliers, skills, readiness, downloads) from the central store or a returns file.
//! Parsing and printing only; the site and what each profile shows are the core's.

use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::{self, Context, IsoDate, PublishOutcome, Store};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub(crate) enum PublishCommand {
    /// A static, self-contained site (HTML, CSS, JavaScript, CSV and OCDS) in a folder that
    /// works from file:// and from any web server, with the procurement pipeline.
    Site(SiteArgs),
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
    let PublishCommand::Site(a) = c;
    let profile = api::parse_site_profile(&a.profile)?;
    let mut ctx = ctx.clone();
    if let Some(d) = &a.as_of {
        let d = IsoDate::parse(d)
            .map_err(|e| Failure::usage(format!("--as-of {d}: {e} (use YYYY-MM-DD)")))?;
        ctx.now = d.0.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    }
    let quiet = as_json || a.quiet;
    let mut progress = |p: &api::Progress| {
        if !quiet {
            eprintln!("{}: {}/{}", p.stage, p.done, p.total);
        }
    };
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
    print(&outcome, as_json);
    Ok(())
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
