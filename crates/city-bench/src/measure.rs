//! Measuring: medians of wall-clock runs (`std::time::Instant`), peak and current resident
//! memory from `/proc/self/status`, running one measurement in a child process of ourselves
//! (so that its peak memory is its own), and the facts about the machine a table was made on.

use anyhow::{Context as _, Result, bail};
use std::process::Command;
use std::time::Duration;

/// The median of `runs` timings of `f`. `f` returns the time of the part it measures, so that
/// setup (fresh stores, loading inputs) stays outside the figure.
pub(crate) fn median_of(runs: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        times.push(f()?);
    }
    Ok(median(&mut times))
}

/// The median of some timings (the mean of the middle two for an even count).
pub(crate) fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    let n = times.len();
    if n == 0 {
        Duration::ZERO
    } else if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    }
}

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// This process's peak resident memory so far (`VmHWM`), in KiB.
pub(crate) fn peak_rss_kb() -> Option<u64> {
    status_kb("VmHWM:")
}

/// What one child measurement reports on its last line of stdout: `secs peak_kb`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChildReport {
    pub(crate) peak_kb: u64,
}

impl ChildReport {
    pub(crate) fn line(secs: f64) -> String {
        format!("CHILD {secs:.6} {}", peak_rss_kb().unwrap_or(0))
    }
}

/// Runs `city-bench child ARGS…` and reads its report.
pub(crate) fn run_child(args: &[String]) -> Result<ChildReport> {
    let exe = std::env::current_exe().context("finding our own executable")?;
    let out = Command::new(exe)
        .arg("child")
        .args(args)
        .output()
        .context("running a child measurement")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "child {:?} failed: {}{}",
            args,
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("CHILD "))
        .with_context(|| format!("child {args:?} printed no report: {stdout}"))?;
    let mut parts = line.split_whitespace().skip(1);
    let _secs = parts.next();
    let peak_kb = parts.next().unwrap_or("0").parse()?;
    Ok(ChildReport { peak_kb })
}

/// The facts printed above every table: when, on what, and how busy it was.
pub(crate) fn machine_facts() -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("unknown")
        .trim()
        .to_string();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<u64>().ok())
        .map_or("unknown".into(), |k| {
            format!("{:.1} GiB", k as f64 / 1048576.0)
        });
    let load = read("/proc/loadavg");
    let load = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        (
            "date".into(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        ("cpu".into(), format!("{cpu} ({cores} cores available)")),
        ("memory".into(), mem),
        (
            "kernel".into(),
            read("/proc/sys/kernel/osrelease").trim().to_string(),
        ),
        ("load average at start (1, 5, 15 min)".into(), load),
        (
            "build".into(),
            if cfg!(debug_assertions) {
                "debug (figures are not meaningful: use --release)".into()
            } else {
                "release".into()
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(5), ms(1), ms(9)]), ms(5));
        assert_eq!(median(&mut [ms(4), ms(1), ms(9), ms(2)]), ms(3));
        assert_eq!(median(&mut []), Duration::ZERO);
    }

    #[test]
    fn peak_memory_is_read_from_proc() {
        assert!(peak_rss_kb().unwrap_or(0) > 0);
    }
}
