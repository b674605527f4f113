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
    pub(crate) records: usize,
}

pub(crate) fn run(dir: &Path, seed: u64, scale: &Scale, runs: usize) -> Result<Figures> {
    measured(dir, seed, scale, runs, runs)
}

/// As [`run`], but the files are read once and the analysis run `runs` times (for profiling).
pub(crate) fn run_once_read(dir: &Path, seed: u64, scale: &Scale, runs: usize) -> Result<Figures> {
    measured(dir, seed, scale, 1, runs)
}

fn measured(dir: &Path, seed: u64, scale: &Scale, reads_n: usize, runs: usize) -> Result<Figures> {
    let (a, b) = files(dir, seed, scale)?;
    let mut reads = Vec::new();
    let mut input = None;
    for _ in 0..reads_n {
        let t = Instant::now();
        let i =
            ProgressInput::from_returns_files(&a, &b).map_err(|e| anyhow::anyhow!(e.message))?;
        reads.push(t.elapsed());
        input = Some(i);
    }
    let input = input.context("no runs")?;
    let mut reports = Vec::new();
    let mut records = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let r = input
            .report(&ProgressOptions::default(), &AnalysisFilter::default())
            .map_err(|e| anyhow::anyhow!(e.message))?;
        reports.push(t.elapsed());
        let l = &r.london.records;
        records = l.unchanged + l.changed + l.new;
        std::hint::black_box(&r);
    }
    Ok(Figures {
        read: measure::median(&mut reads),
        report: measure::median(&mut reports),
        records,
    })
}
