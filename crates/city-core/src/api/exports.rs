//! Exports through the API: the committee workbook (xlsx), CSV per record type and OCDS JSON
//! for contracts, from a borough store (its own return) or LOTI's central store (every
//! organisation's return for the cycle). This module gathers the data and maps errors; what
//! each profile shows is `export::profile`'s business and the file formats are `export`'s.

use super::analysis::current_rules;
use super::{
    Analysis, AnalysisFilter, Context, Error, ErrorKind, IsoDate, Location, Progress,
    ProgressOptions, ProgressReport, ReadinessOptions, Store, WindowOptions, parse_cycle,
};
use crate::analysis::{self, AliasRule};
use crate::domain::completeness::{self, LiveRecord};
use crate::domain::enums::{RecordKind, ReviewState};
use crate::export::{self, Dataset, ExportError, OrgReturn, Table, Value};
use serde::Serialize;
use std::path::Path;

pub use crate::export::ExportProfile;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportOutcome {
    /// `xlsx`, `csv` or `ocds`.
    pub format: String,
    pub profile: ExportProfile,
    pub cycle: String,
    /// Organisations whose returns are in the export.
    #[ts(type = "number")]
    pub organisations: u64,
    pub files: Vec<ExportedFile>,
    /// The workbook's sheets (empty for CSV and OCDS).
    pub sheets: Vec<ExportedSheet>,
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportedFile {
    pub path: String,
    /// Data rows (CSV), releases (OCDS) or sheets (xlsx).
    #[ts(type = "number")]
    pub rows: u64,
}

/// One sheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportedSheet {
    pub name: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// Parses a profile id (`full`, `committee`, `open`).
pub fn parse_export_profile(s: &str) -> Result<ExportProfile, Error> {
    ExportProfile::from_id(s.trim()).ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            format!("'{s}' is not an export profile (use one of: full, committee, open)"),
        )
    })
}

fn file_loc(path: &Path) -> Location {
    Location::File {
        file: path.display().to_string(),
        sheet: None,
        row: None,
        column: None,
    }
}

fn write_failed(path: &Path, e: ExportError) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("could not write {}: {e}", path.display()),
    )
    .at(file_loc(path))
}

fn date_of(ctx: &Context) -> String {
    ctx.now.format("%-d %B %Y").to_string()
}

fn timestamp(ctx: &Context) -> String {
    ctx.now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    fn is_central(&mut self) -> Result<bool, Error> {
        Ok(self.role()? == super::StoreRole::Central)
    }

    /// The cycle's returns (every organisation's in a central store), their live records
    /// (retired ones left out) and the returns status.
    fn export_dataset(
        &mut self,
        cycle: Option<&str>,
        profile: ExportProfile,
        ctx: &Context,
    ) -> Result<Dataset, Error> {
        Ok(self.export_input(cycle, profile, ctx, false)?.0)
    }

    /// [`Store::export_dataset`], and with `rules` (in a central store) the alias rules in
    /// force, read in the same transaction, for the analysis sheets.
    pub(super) fn export_input(
        &mut self,
        cycle: Option<&str>,
        profile: ExportProfile,
        ctx: &Context,
        rules: bool,
    ) -> Result<(Dataset, Vec<AliasRule>), Error> {
        let central = self.is_central()?;
        if profile == ExportProfile::Full && !central {
            return Err(Error::new(
                ErrorKind::Usage,
                "the full profile is for LOTI's central store only: use committee or open",
            ));
        }
        let wanted = cycle.map(parse_cycle).transpose()?;
        let (cycle, returns, rules) = self.db.read(|tx| {
            let all = tx.returns()?;
            let cycle =
                match wanted {
                    Some(c) => c,
                    None => all.iter().map(|r| r.cycle.clone()).max().ok_or_else(|| {
                        Error::new(ErrorKind::NotFound, "this store has no returns")
                    })?,
                };
            let mut out = Vec::new();
            for r in all.iter().filter(|r| r.cycle == cycle) {
                let records = tx
                    .records(r.id, None, false)?
                    .into_iter()
                    .filter(|rec| rec.review_state != ReviewState::Retired)
                    .collect::<Vec<_>>();
                out.push((r.organisation.clone(), records));
            }
            let rules = if rules && central {
                current_rules(tx)?
            } else {
                Vec::new()
            };
            Ok::<_, Error>((cycle.to_string(), out, rules))
        })?;
        if returns.is_empty() && !central {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("this store has no return for cycle {cycle}"),
            ));
        }
        let status = if central {
            tracker_table(self.tracker(&cycle)?.rows)
        } else {
            let mut t = Table::new(
                "Returns status",
                &[
                    "Organisation",
                    "Section",
                    "State",
                    "Still needed",
                    "Records to review",
                ],
            );
            for (org, records) in &returns {
                let live: Vec<LiveRecord> = records
                    .iter()
                    .map(|r| LiveRecord {
                        id: r.id,
                        review_state: r.review_state,
                        data: r.data.clone(),
                    })
                    .collect();
                for s in completeness::assess(&live) {
                    let to_review = records
                        .iter()
                        .filter(|r| {
                            r.review_state == ReviewState::ToReview
                                && s.section == section_of(r.data.kind())
                        })
                        .count();
                    t.rows.push(vec![
                        Value::Text(org.name.clone()),
                        Value::Text(s.section.label().into()),
                        Value::Text(s.state.label().into()),
                        Value::Int(s.missing.len() as i64),
                        Value::Int(to_review as i64),
                    ]);
                }
            }
            t
        };
        let ds = Dataset {
            cycle,
            central,
            returns: returns
                .into_iter()
                .map(|(org, records)| OrgReturn {
                    name: org.name.clone(),
                    scheme: org.scheme.clone(),
                    code: org.code.clone(),
                    records: records.into_iter().map(|r| (r.id, r.data)).collect(),
                })
                .collect(),
            status,
            today: ctx.now.date_naive(),
        };
        Ok((ds, rules))
    }

    /// Writes the committee workbook for a cycle (newest when `None`) to `path`, replacing any
    /// file there only once the new one is complete. `full` needs LOTI's central store.
    pub fn export_workbook(
        &mut self,
        cycle: Option<&str>,
        profile: ExportProfile,
        path: &Path,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ExportOutcome, Error> {
        let (ds, rules) = self.export_input(cycle, profile, ctx, true)?;
        let since = self.since_last_year(&ds, profile)?;
        write_workbook_of(ds, rules, since, profile, path, ctx, progress)
    }

    /// For a central store's workbook: progress from the newest earlier cycle with returns to
    /// the cycle exported (sensitive detail only for `full`), or `None` without one.
    fn since_last_year(
        &mut self,
        ds: &Dataset,
        profile: ExportProfile,
    ) -> Result<Option<ProgressReport>, Error> {
        if !ds.central || ds.returns.is_empty() {
            return Ok(None);
        }
        let Some(previous) = self.previous_cycle(&ds.cycle)? else {
            return Ok(None);
        };
        let options = ProgressOptions {
            include_sensitive: profile == ExportProfile::Full,
            ..ProgressOptions::default()
        };
        self.progress(&previous, &ds.cycle, &options, &AnalysisFilter::default())
            .map(Some)
    }

    /// Writes CSV: with a `kind`, that record type to the file `out`; without, every record
    /// type plus `readiness.csv` into the folder `out` (created if missing).
    pub fn export_csv(
        &mut self,
        cycle: Option<&str>,
        kind: Option<RecordKind>,
        profile: ExportProfile,
        out: &Path,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ExportOutcome, Error> {
        let ds = self.export_dataset(cycle, profile, ctx)?;
        let jobs: Vec<(Option<RecordKind>, std::path::PathBuf)> = match kind {
            Some(k) => vec![(Some(k), out.to_path_buf())],
            None => {
                std::fs::create_dir_all(out).map_err(|e| write_failed(out, e.into()))?;
                RecordKind::ALL
                    .iter()
                    .map(|k| Some(*k))
                    .chain([None])
                    .map(|k| (k, export::csv_file_name(out, k)))
                    .collect()
            }
        };
        let total = jobs.len() as u64;
        let mut files = Vec::new();
        for (i, (k, path)) in jobs.into_iter().enumerate() {
            progress(&Progress {
                stage: format!("Writing {}", path.display()),
                done: i as u64,
                total,
            });
            let rows =
                export::write_csv(&path, &ds, k, profile).map_err(|e| write_failed(&path, e))?;
            files.push(ExportedFile {
                path: path.display().to_string(),
                rows: rows as u64,
            });
        }
        progress(&Progress {
            stage: "CSV written".into(),
            done: total,
            total,
        });
        Ok(ExportOutcome {
            format: "csv".into(),
            profile,
            cycle: ds.cycle,
            organisations: ds.returns.len() as u64,
            files,
            sheets: Vec::new(),
        })
    }

    /// Writes the cycle's contracts as an OCDS 1.1 release package (always the `open` profile).
    pub fn export_ocds(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ExportOutcome, Error> {
        let profile = ExportProfile::Open;
        let ds = self.export_dataset(cycle, profile, ctx)?;
        progress(&Progress {
            stage: "Writing OCDS releases".into(),
            done: 0,
            total: 1,
        });
        let n =
            export::write_ocds(path, &ds, &timestamp(ctx)).map_err(|e| write_failed(path, e))?;
        progress(&Progress {
            stage: "OCDS written".into(),
            done: 1,
            total: 1,
        });
        Ok(ExportOutcome {
            format: "ocds".into(),
            profile,
            cycle: ds.cycle,
            organisations: ds.returns.len() as u64,
            files: vec![ExportedFile {
                path: path.display().to_string(),
                rows: n as u64,
            }],
            sheets: Vec::new(),
        })
    }
}

/// Writes the committee workbook of a JSON returns file (the format
/// [`Analysis::from_returns_file`] reads; every organisation counted as received), with the
/// analysis sheets, as a central store's workbook of the same returns.
pub fn export_workbook_from_returns(
    returns: &Path,
    cycle: Option<&str>,
    profile: ExportProfile,
    path: &Path,
    ctx: &Context,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ExportOutcome, Error> {
    let ds = super::returns_dataset(returns, cycle, ctx)?;
    write_workbook_of(ds, Vec::new(), None, profile, path, ctx, progress)
}

/// The central workbook's *Returns status* sheet: the tracker's rows.
pub(super) fn tracker_table(rows: Vec<super::TrackerRow>) -> Table {
    let mut t = Table::new(
        "Returns status",
        &[
            "Organisation",
            "Organisation code",
            "Received",
            "Received at",
            "Sequence",
            "Records",
            "Waiting in quarantine",
        ],
    );
    for r in rows {
        t.rows.push(vec![
            Value::Text(r.organisation),
            Value::Text(r.code),
            Value::Bool(r.received),
            r.received_at.map_or(Value::Empty, Value::Text),
            r.seq.map_or(Value::Empty, Value::Int),
            r.records.map_or(Value::Empty, Value::Int),
            Value::Bool(r.waiting_in_quarantine),
        ]);
    }
    t
}

/// Writes the workbook of a gathered dataset to `path`: for a central store's dataset, with
/// the analysis sheets (made from the same records, under the alias `rules`) and, given the
/// progress from the cycle before, the *since last year* sheets.
pub(super) fn write_workbook_of(
    mut ds: Dataset,
    rules: Vec<AliasRule>,
    since: Option<ProgressReport>,
    profile: ExportProfile,
    path: &Path,
    ctx: &Context,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ExportOutcome, Error> {
    let analysis = if ds.central && !ds.returns.is_empty() {
        let readiness = ReadinessOptions {
            include_sensitive: profile == ExportProfile::Full,
            ..ReadinessOptions::as_of(IsoDate(ds.today))
        };
        // The analysis works on the records the data sheets are written from (moved in and
        // back out, not read again nor copied).
        let orgs = ds
            .returns
            .iter_mut()
            .map(|r| analysis::OrgReturn {
                organisation: format!("{}:{}", r.scheme, r.code),
                name: r.name.clone(),
                records: std::mem::take(&mut r.records),
            })
            .collect();
        let a = Analysis::from_parts(ds.cycle.clone(), orgs, rules);
        let report = a.workbook_report(&WindowOptions::default(), &readiness);
        for (r, o) in ds.returns.iter_mut().zip(a.into_orgs()) {
            r.records = o.records;
        }
        Some(report?)
    } else {
        None
    };
    let (cycle, organisations) = (ds.cycle.clone(), ds.returns.len() as u64);
    let sheets = export::write_workbook(
        path,
        ds,
        profile,
        analysis.as_ref(),
        since.as_ref(),
        &date_of(ctx),
        progress,
    )
    .map_err(|e| write_failed(path, e))?;
    Ok(ExportOutcome {
        format: "xlsx".into(),
        profile,
        cycle,
        organisations,
        files: vec![ExportedFile {
            path: path.display().to_string(),
            rows: sheets.len() as u64,
        }],
        sheets: sheets
            .into_iter()
            .map(|s| ExportedSheet {
                name: s.name,
                rows: s.rows as u64,
            })
            .collect(),
    })
}

fn section_of(kind: RecordKind) -> crate::domain::enums::SectionId {
    use crate::domain::enums::SectionId;
    match kind {
        RecordKind::System => SectionId::Systems,
        RecordKind::Contract => SectionId::Contracts,
        RecordKind::Supplier | RecordKind::Product => SectionId::Suppliers,
        RecordKind::Skill => SectionId::Skills,
        RecordKind::Gdpr => SectionId::Gdpr,
        RecordKind::Cyber => SectionId::Cyber,
    }
}
