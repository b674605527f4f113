//! `city export`: the committee workbook, CSV per record type and OCDS JSON for contracts, from
//! a borough store or LOTI's central store. Parsing and printing only; what each profile shows
//! is decided in the core.

use crate::Failure;
use crate::output::{json, say_line};
use crate::status_line::StatusLine;
use city_core::api::{self, Context, ExportOutcome, ExportProfile, Store};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub(crate) enum ExportCommand {
    /// The committee workbook (xlsx): summary with charts, returns status, systems, contracts,
    /// suppliers, products, readiness, skills.
    Workbook {
        /// The xlsx file to write (replaced only once the new one is complete).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// full (LOTI's central store only), committee or open.
        #[arg(long, default_value = "committee", value_name = "PROFILE")]
        profile: String,
        #[command(flatten)]
        quiet: Quiet,
    },
    /// CSV (UTF-8 with BOM, CRLF): one record type to a file, or with no --kind every type into
    /// a folder.
    Csv {
        /// system, contract, supplier, product, skill, gdpr or cyber (default: all, into --out
        /// as a folder, plus readiness.csv).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// The CSV file to write, or the folder when --kind is not given.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// full (LOTI's central store only), committee or open.
        #[arg(long, default_value = "open", value_name = "PROFILE")]
        profile: String,
        #[command(flatten)]
        quiet: Quiet,
    },
    /// Contracts as an OCDS 1.1 release package (JSON, open profile).
    Ocds {
        /// The JSON file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        quiet: Quiet,
    },
}

#[derive(Debug, Args)]
pub(crate) struct Quiet {
    /// Do not print progress.
    #[arg(long)]
    quiet: bool,
}

pub(crate) fn export(
    c: &ExportCommand,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let path = store_path.ok_or_else(|| {
        Failure::usage("give the store file with --store PATH (or set CITY_STORE)")
    })?;
    let mut store = Store::open(path)?;
    let quiet = as_json
        || match c {
            ExportCommand::Workbook { quiet, .. }
            | ExportCommand::Csv { quiet, .. }
            | ExportCommand::Ocds { quiet, .. } => quiet.quiet,
        };
    let mut status = StatusLine::stderr(quiet);
    let mut progress = |p: &api::Progress| status.show(p);
    let outcome = match c {
        ExportCommand::Workbook { out, profile, .. } => {
            let profile = api::parse_export_profile(profile)?;
            store.export_workbook(cycle, profile, out, ctx, &mut progress)?
        }
        ExportCommand::Csv {
            kind, out, profile, ..
        } => {
            let profile = api::parse_export_profile(profile)?;
            let kind = kind.as_deref().map(api::parse_kind).transpose()?;
            store.export_csv(cycle, kind, profile, out, ctx, &mut progress)?
        }
        ExportCommand::Ocds { out, .. } => store.export_ocds(cycle, out, ctx, &mut progress)?,
    };
    status.finish();
    print(&outcome, as_json);
    Ok(())
}

fn print(o: &ExportOutcome, as_json: bool) {
    if as_json {
        json(o);
        return;
    }
    let profile = match o.profile {
        ExportProfile::Full => "full",
        ExportProfile::Committee => "committee",
        ExportProfile::Open => "open",
    };
    say_line(&format!(
        "Exported {} for cycle {} ({} organisation{}, {profile} profile):",
        o.format,
        o.cycle,
        o.organisations,
        if o.organisations == 1 { "" } else { "s" }
    ));
    for f in &o.files {
        say_line(&format!("  {} ({} rows)", f.path, f.rows));
    }
    for s in &o.sheets {
        say_line(&format!("  sheet {}: {} rows", s.name, s.rows));
    }
}
