//! Year on year: the progress analysis between two cycles (`ProgressInput::report`) at London
//! and national size, from two returns files made by [`datagen::two_cycles`] (cached per seed
//! and size), against reading those files; and its time per organisation at the national size
//! against London's (linear growth keeps it near 1×).

use crate::datagen::{self, Scale};
use crate::measure;
use anyhow::{Context, Result};
use city_core::api::{AnalysisFilter, ProgressInput, ProgressOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The two returns files for `scale` (written once per seed and size).
pub(crate) fn files(dir: &Path, seed: u64, scale: &Scale) -> Result<(PathBuf, PathBuf)> {
    let name = |cycle: &str| dir.join(format!("progress-{seed}-{}-{cycle}.json", scale.key()));
    let (a, b) = (name("2026-27"), name("2027-28"));
    if !a.exists() || !b.exists() {
        let (x, y, _) = datagen::two_cycles(seed, scale);
        std::fs::write(&a, x.to_string()).with_context(|| format!("writing {}", a.display()))?;
        std::fs::write(&b, y.to_string()).with_context(|| format!("writing {}", b.display()))?;
    }
    Ok((a, b))
}

/// What one size measured: medians of reading the files and of the analysis, and records.
pub(crate) struct Figures {
    pub(crate) read: Duration,
    pub(crate) report: Duration,
    /// The reference: one bare pass joining the two cycles' records (`reference_pass`).
    pub(crate) reference: Duration,
    pub(crate) records: usize,
}

/// Every size in `scales`: the files read `runs` times each, then the analyses (and the
/// reference pass) of all sizes run in turn, `runs` rounds, so that a burst of other work on a
/// shared machine falls on every size alike rather than on whichever was being measured.
pub(crate) fn run(dir: &Path, seed: u64, scales: &[Scale], runs: usize) -> Result<Vec<Figures>> {
    measured(dir, seed, scales, runs, runs)
}

/// As [`run`], but each size's files are read once (for the scaling measurement over many
/// sizes, where reading them again and again would take most of the time and tell nothing).
pub(crate) fn scaling(
    dir: &Path,
    seed: u64,
    scales: &[Scale],
    runs: usize,
) -> Result<Vec<Figures>> {
    measured(dir, seed, scales, 1, runs)
}

/// As [`run`] for one size, but the files are read once and the analysis run `runs` times (for
/// profiling).
pub(crate) fn run_once_read(dir: &Path, seed: u64, scale: &Scale, runs: usize) -> Result<Figures> {
    measured(dir, seed, std::slice::from_ref(scale), 1, runs)?
        .pop()
        .context("no figures")
}

fn measured(
    dir: &Path,
    seed: u64,
    scales: &[Scale],
    reads_n: usize,
    runs: usize,
) -> Result<Vec<Figures>> {
    let mut inputs = Vec::new();
    let mut reads = Vec::new();
    for scale in scales {
        let (a, b) = files(dir, seed, scale)?;
        let mut times = Vec::new();
        let mut input = None;
        for _ in 0..reads_n.max(1) {
            let t = Instant::now();
            let i = ProgressInput::from_returns_files(&a, &b)
                .map_err(|e| anyhow::anyhow!(e.message))?;
            times.push(t.elapsed());
            input = Some(i);
        }
        inputs.push(input.context("no runs")?);
        reads.push(times);
    }
    let n = inputs.len();
    let mut reports = vec![Vec::new(); n];
    let mut references = vec![Vec::new(); n];
    let mut records = vec![0; n];
    for _ in 0..runs.max(1) {
        for (k, input) in inputs.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(input.reference_pass());
            references[k].push(t.elapsed());
            let t = Instant::now();
            let r = input
                .report(&ProgressOptions::default(), &AnalysisFilter::default())
                .map_err(|e| anyhow::anyhow!(e.message))?;
            reports[k].push(t.elapsed());
            let l = &r.london.records;
            records[k] = l.unchanged + l.changed + l.new;
            std::hint::black_box(&r);
        }
    }
    Ok((0..n)
        .map(|k| Figures {
            read: measure::median(&mut reads[k]),
            report: measure::median(&mut reports[k]),
            reference: measure::median(&mut references[k]),
            records: records[k],
        })
        .collect())
}

/// The analysis's stages at one size: the median time of each over `runs` analyses of one
/// reading of the files, in the order they run (for profiling which stage grows).
pub(crate) fn stages(
    dir: &Path,
    seed: u64,
    scale: &Scale,
    runs: usize,
) -> Result<Vec<(&'static str, Duration)>> {
    let (a, b) = files(dir, seed, scale)?;
    let input =
        ProgressInput::from_returns_files(&a, &b).map_err(|e| anyhow::anyhow!(e.message))?;
    let mut laps: Vec<(&'static str, Vec<Duration>)> = Vec::new();
    for _ in 0..runs.max(1) {
        let mut t = Instant::now();
        let mut k = 0;
        let r = input
            .report_laps(
                &ProgressOptions::default(),
                &AnalysisFilter::default(),
                &mut |name| {
                    let now = Instant::now();
                    if laps.len() <= k {
                        laps.push((name, Vec::new()));
                    }
                    laps[k].1.push(now - t);
                    k += 1;
                    t = now;
                },
            )
            .map_err(|e| anyhow::anyhow!(e.message))?;
        std::hint::black_box(&r);
        drop(r);
    }
    Ok(laps
        .into_iter()
        .map(|(n, mut v)| (n, measure::median(&mut v)))
        .collect())
}

/// Writes the report (default options) as JSON to `path`, and the full-profile report (sensitive
/// detail, 18-month windows) to `path` + `.full`.
pub(crate) fn dump(dir: &Path, seed: u64, scale: &Scale, path: &Path) -> Result<()> {
    let (a, b) = files(dir, seed, scale)?;
    let input =
        ProgressInput::from_returns_files(&a, &b).map_err(|e| anyhow::anyhow!(e.message))?;
    let mut full = ProgressOptions {
        include_sensitive: true,
        ..ProgressOptions::default()
    };
    full.windows.window_months = 18;
    for (o, p) in [
        (ProgressOptions::default(), path.to_path_buf()),
        (full, PathBuf::from(format!("{}.full", path.display()))),
    ] {
        let r = input
            .report(&o, &AnalysisFilter::default())
            .map_err(|e| anyhow::anyhow!(e.message))?;
        let text = serde_json::to_string_pretty(&r)?;
        std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(())
}
