//! Publishing a cycle to PostgreSQL through the API: [`Store::publish_postgres`] gathers the
//! cycle as the exports do (the same dataset, alias decisions, profile and analysis report as
//! the committee workbook) with LOTI's tracker for each return's status, and has
//! `publish::postgres` write it into the `citytools` schema in one transaction;
//! [`publish_postgres_from_returns`] does the same from a JSON returns file (every organisation
//! counted as received). Where to publish is a [`PgConnection`]: a URL or `key=value` string
//! over the `PG*` environment variables.

use super::exports::ExportedSheet;
use super::publish::{analysis_of, returns_dataset};
use super::{
    Context, Error, ErrorKind, ExportProfile, IsoDate, Progress, ReadinessOptions, Store,
    WindowOptions,
};
use crate::analysis::AliasRule;
use crate::export::Dataset;
use crate::publish::postgres::{self as pg, PgError, PgInput, ReturnStatus};
use serde::Serialize;
use std::path::Path;

/// Where to publish: a URL (`postgres://user@host:5432/database`) or a libpq `key=value`
/// string, and the environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, …) that fill in what it leaves out.
#[derive(Debug, Clone, Default)]
pub struct PgConnection {
    pub url: Option<String>,
    pub env: Vec<(String, String)>,
}

impl PgConnection {
    /// `url` over this process's `PG*` environment variables.
    pub fn from_process_env(url: Option<String>) -> PgConnection {
        PgConnection {
            url,
            env: std::env::vars()
                .filter(|(k, _)| k.starts_with("PG"))
                .collect(),
        }
    }

    /// `user@host:port/database` (never the password).
    pub fn describe(&self) -> Result<String, Error> {
        Ok(pg::describe(&self.config()?))
    }

    fn config(&self) -> Result<pg::PgConfig, Error> {
        pg::config(self.url.as_deref(), &self.env).map_err(pg_error)
    }
}

/// What a publication to PostgreSQL did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PgPublishOutcome {
    pub profile: ExportProfile,
    pub marking: String,
    pub cycle: String,
    pub organisations: u64,
    /// `user@host:port/database`.
    pub database: String,
    /// The cycle's last publication held the same rows with the same profile: nothing was
    /// written.
    pub unchanged: bool,
    /// SHA-256 of the rows published, recorded in `citytools.publication`.
    pub source_hash: String,
    /// The `citytools` schema's version.
    pub schema_version: u32,
    /// Rows per table of the cycle.
    pub tables: Vec<ExportedSheet>,
}

fn pg_error(e: PgError) -> Error {
    let kind = match &e {
        PgError::Config(_) => ErrorKind::Usage,
        // The analysis' own error, as it is.
        PgError::Report(e) => return e.clone(),
        PgError::Connect { .. } | PgError::Io(_) | PgError::Unmade => ErrorKind::Io,
        PgError::Newer { .. } | PgError::Sheet(_) => ErrorKind::IncompatibleStore,
        PgError::Foreign => ErrorKind::NotAStore,
        PgError::Db(_) => ErrorKind::Storage,
    };
    // The driver's errors keep their cause (a refused connection, an unknown host) in their
    // source: name it.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    Error::new(kind, message)
}

/// Parses a profile for a database publication (`full`, `committee`, `open`).
pub fn parse_pg_profile(s: &str) -> Result<ExportProfile, Error> {
    super::parse_export_profile(s)
}

impl Store {
    /// Publishes a cycle (newest when `None`) of LOTI's central store to PostgreSQL,
    /// replacing that cycle's earlier publication (other cycles untouched) in one transaction.
    pub fn publish_postgres(
        &mut self,
        cycle: Option<&str>,
        profile: ExportProfile,
        conn: &PgConnection,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<PgPublishOutcome, Error> {
        let config = conn.config()?;
        self.require_central("LOTI publishes to PostgreSQL from its central store")?;
        let (ds, rules) = self.central_dataset(cycle, profile, ctx)?;
        let status: Vec<ReturnStatus> = self
            .tracker(&ds.cycle)?
            .rows
            .into_iter()
            .map(|r| ReturnStatus {
                code: r.code,
                name: r.organisation,
                received: r.received,
                received_at: r.received_at,
                sequence: r.seq,
                signer_key_id: r.signer_key_id,
                validated: Some(r.validated),
                records: r.records,
                waiting_in_quarantine: Some(r.waiting_in_quarantine),
            })
            .collect();
        let source = file_name(self.path());
        publish(&config, &ds, rules, &status, profile, source, ctx, progress)
    }
}

/// Publishes a JSON returns file (the format [`super::Analysis::from_returns_file`] reads) to
/// PostgreSQL, every organisation in it counted as received.
pub fn publish_postgres_from_returns(
    returns: &Path,
    cycle: Option<&str>,
    profile: ExportProfile,
    conn: &PgConnection,
    ctx: &Context,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PgPublishOutcome, Error> {
    let config = conn.config()?;
    let ds = returns_dataset(returns, cycle, ctx)?;
    publish(
        &config,
        &ds,
        Vec::new(),
        &[],
        profile,
        file_name(returns),
        ctx,
        progress,
    )
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[allow(clippy::too_many_arguments)]
fn publish(
    config: &pg::PgConfig,
    ds: &Dataset,
    rules: Vec<AliasRule>,
    status: &[ReturnStatus],
    profile: ExportProfile,
    source: String,
    ctx: &Context,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PgPublishOutcome, Error> {
    progress(&Progress {
        stage: "Analysing the returns".into(),
        done: 0,
        total: 1,
    });
    let analysis = analysis_of(ds, rules);
    let readiness = ReadinessOptions {
        include_sensitive: profile == ExportProfile::Full,
        ..ReadinessOptions::as_of(IsoDate(ds.today))
    };
    let report = || analysis.workbook_report(&WindowOptions::default(), &readiness);
    let input = PgInput {
        ds,
        analysis: &analysis,
        report: &report,
        status,
        profile,
        source,
        published_at: ctx.now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        made_by: format!("City Tools {}", env!("CARGO_PKG_VERSION")),
    };
    let written = pg::publish(config, &input, progress).map_err(pg_error)?;
    Ok(PgPublishOutcome {
        profile,
        marking: profile.marking().to_string(),
        cycle: ds.cycle.clone(),
        organisations: ds.returns.len() as u64,
        database: pg::describe(config),
        unchanged: written.unchanged,
        source_hash: written.source_hash,
        schema_version: written.schema_version.max(0) as u32,
        tables: written
            .tables
            .into_iter()
            .map(|(name, rows)| ExportedSheet { name, rows })
            .collect(),
    })
}
