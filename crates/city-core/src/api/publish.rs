//! Publishing LOTI's site through the API: [`Store::publish_site`] gathers a cycle's returns
//! from the central store as the exports do (the same dataset, alias decisions and profile),
//! runs the analysis on them, and has `publish` write the static site folder;
//! [`publish_site_from_returns`] does the same from a JSON returns file (such as the synthetic
//! London data set), every organisation counted as received.

use super::{
    Analysis, Context, Error, ErrorKind, ExportProfile, IsoDate, Location, ProductOptions,
    Progress, ReadinessOptions, Store, WindowOptions,
};
use crate::analysis::{self, AliasRule};
use crate::export::{Dataset, OrgReturn, Table, Value};
use crate::publish::{self, SiteInput};
use serde::Serialize;
use std::path::Path;

/// What publishing the site wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublishOutcome {
    pub profile: ExportProfile,
    /// `OFFICIAL` or `OFFICIAL-SENSITIVE`, as every page shows it.
    pub marking: String,
    pub cycle: String,
    #[ts(type = "number")]
    pub organisations: u64,
    /// The site's folder; open `index.html` in it.
    pub folder: String,
    /// Page file names.
    pub pages: Vec<String>,
    /// Files under `data/`, with their rows (CSV) or releases (OCDS).
    pub downloads: Vec<super::ExportedFile>,
    /// Contracts whose decision date or end falls within the pipeline's 36 months.
    #[ts(type = "number")]
    pub pipeline_contracts: u64,
    /// Joint procurement windows within those months.
    #[ts(type = "number")]
    pub pipeline_windows: u64,
}

/// Parses a site profile: `open` or `committee` (a site is for sharing, so never `full`).
pub fn parse_site_profile(s: &str) -> Result<ExportProfile, Error> {
    match ExportProfile::from_id(s.trim()) {
        Some(p @ (ExportProfile::Open | ExportProfile::Committee)) => Ok(p),
        _ => Err(Error::new(
            ErrorKind::Usage,
            format!("'{s}' is not a site profile (use open or committee)"),
        )),
    }
}

fn check_profile(profile: ExportProfile) -> Result<(), Error> {
    if profile == ExportProfile::Full {
        return Err(Error::new(
            ErrorKind::Usage,
            "a site is for sharing: publish it with the open or committee profile",
        ));
    }
    Ok(())
}

impl Store {
    /// Writes the site of a cycle (newest when `None`) from LOTI's central store into the
    /// folder `out`, replacing an earlier site there only once the new one is complete.
    pub fn publish_site(
        &mut self,
        cycle: Option<&str>,
        profile: ExportProfile,
        out: &Path,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<PublishOutcome, Error> {
        check_profile(profile)?;
        self.require_central("the site is published from LOTI's central store")?;
        let (ds, rules) = self.central_dataset(cycle, profile, ctx)?;
        publish_dataset(&ds, rules, profile, out, ctx, progress)
    }

    /// A cycle's returns in the central store as the exports gather them, with the alias
    /// rules; a cycle with no returns is an error (nothing to publish).
    pub(super) fn central_dataset(
        &mut self,
        cycle: Option<&str>,
        profile: ExportProfile,
        ctx: &Context,
    ) -> Result<(Dataset, Vec<AliasRule>), Error> {
        let (ds, rules) = self.export_input(cycle, profile, ctx, true)?;
        if ds.returns.is_empty() {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("the central store has no returns for cycle {}", ds.cycle),
            ));
        }
        Ok((ds, rules))
    }
}

/// Writes the site from a JSON returns file (the format [`Analysis::from_returns_file`]
/// reads), every organisation in it counted as received. With a `cycle`, the file must hold
/// that cycle.
pub fn publish_site_from_returns(
    returns: &Path,
    cycle: Option<&str>,
    profile: ExportProfile,
    out: &Path,
    ctx: &Context,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PublishOutcome, Error> {
    check_profile(profile)?;
    let ds = returns_dataset(returns, cycle, ctx)?;
    publish_dataset(&ds, Vec::new(), profile, out, ctx, progress)
}

/// A returns file (the format [`Analysis::from_returns_file`] reads) as an export's dataset,
/// every organisation counted as received. With a `cycle`, the file must hold that cycle.
pub(crate) fn returns_dataset(
    returns: &Path,
    cycle: Option<&str>,
    ctx: &Context,
) -> Result<Dataset, Error> {
    let a = Analysis::from_returns_file(returns)?;
    if let Some(want) = cycle.map(super::parse_cycle).transpose()?
        && want.to_string() != a.cycle()
    {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "{} holds cycle {}, not {want}",
                returns.display(),
                a.cycle()
            ),
        ));
    }
    let cycle = a.cycle().to_string();
    let mut status = Table::new(
        "Returns status",
        &["Organisation", "Organisation code", "Received"],
    );
    let returns: Vec<OrgReturn> = a
        .into_orgs()
        .into_iter()
        .map(|o| {
            let (scheme, code) = o
                .organisation
                .split_once(':')
                .map_or(("other".to_string(), o.organisation.clone()), |(s, c)| {
                    (s.to_string(), c.to_string())
                });
            status.rows.push(vec![
                Value::Text(o.name.clone()),
                Value::Text(code.clone()),
                Value::Bool(true),
            ]);
            OrgReturn {
                name: o.name,
                scheme,
                code,
                records: o.records,
            }
        })
        .collect();
    let ds = Dataset {
        cycle,
        central: true,
        returns,
        status,
        today: ctx.now.date_naive(),
    };
    Ok(ds)
}

/// The analysis of a dataset's records (a copy; organisations in the same order) under the
/// alias `rules`.
pub(crate) fn analysis_of(ds: &Dataset, rules: Vec<AliasRule>) -> Analysis {
    let orgs = ds
        .returns
        .iter()
        .map(|r| analysis::OrgReturn {
            organisation: format!("{}:{}", r.scheme, r.code),
            name: r.name.clone(),
            records: r.records.clone(),
        })
        .collect();
    Analysis::from_parts(ds.cycle.clone(), orgs, rules)
}

fn publish_dataset(
    ds: &Dataset,
    rules: Vec<AliasRule>,
    profile: ExportProfile,
    out: &Path,
    ctx: &Context,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PublishOutcome, Error> {
    progress(&Progress {
        stage: "Analysing the returns".into(),
        done: 0,
        total: 1,
    });
    let a = analysis_of(ds, rules);
    let readiness = ReadinessOptions {
        include_sensitive: false,
        ..ReadinessOptions::as_of(IsoDate(ds.today))
    };
    let report = a.workbook_report(&WindowOptions::default(), &readiness)?;
    let shared = a.shared_products(&ProductOptions::default(), &Default::default())?;
    let input = SiteInput {
        ds,
        analysis: &a,
        report: &report,
        shared: &shared,
        profile,
        published: ctx.now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        made_on: ctx.now.format("%-d %B %Y").to_string(),
    };
    let written = publish::write_site(out, &input, progress).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("could not write the site to {}: {e}", out.display()),
        )
        .at(Location::File {
            file: out.display().to_string(),
            sheet: None,
            row: None,
            column: None,
        })
    })?;
    Ok(PublishOutcome {
        profile,
        marking: profile.marking().to_string(),
        cycle: ds.cycle.clone(),
        organisations: ds.returns.len() as u64,
        folder: out.display().to_string(),
        pages: written.pages,
        downloads: written
            .downloads
            .into_iter()
            .map(|(name, rows)| super::ExportedFile {
                path: out.join("data").join(name).display().to_string(),
                rows: rows as u64,
            })
            .collect(),
        pipeline_contracts: written.pipeline_contracts as u64,
        pipeline_windows: written.pipeline_windows as u64,
    })
}
