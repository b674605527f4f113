//! `city-bench`: the benchmarks of City Tools at London and national scale. Each figure is
//! the median of several runs set against a baseline doing the same work in the same process
//! or script; the result is a ratio table printed to the terminal and, with `--write`, written
//! as Markdown (docs/benchmarks.md). `--quick` runs tiny sizes in seconds (the harness test
//! uses it; its figures mean nothing).
//!
//! Run it in release mode: `cargo run --release -p city-bench -- --write docs/benchmarks.md`.

/// The allocator the app and `city` ship with: "ours" in process runs as in the app, and the
/// baselines in this process use it as well.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod app;
mod datagen;
mod hooks;
mod import;
mod inputs;
mod measure;
mod merge;
mod pg;
mod progress;
mod python;
mod report;
mod site;
mod workbook;

use anyhow::Result;
use clap::{Parser, Subcommand};
use datagen::Scale;
use report::{Goal, Row, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "city-bench",
    about = "Benchmarks of City Tools at London and national scale: ratios against baselines"
)]
struct Cli {
    /// Tiny sizes and one run each: proves the harness works in seconds (figures mean nothing).
    #[arg(long)]
    quick: bool,
    /// Also write the table as Markdown to this file (e.g. docs/benchmarks.md).
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
    /// The app binary for the cold-start benchmark (e.g. target/release/city-tools).
    #[arg(long, value_name = "PATH")]
    app: Option<PathBuf>,
    /// The `city` binary for the import through the command line, as a user runs it (e.g.
    /// target/release/city).
    #[arg(long, value_name = "PATH")]
    city: Option<PathBuf>,
    /// Runs per figure (the median is reported). Default 5, or 1 with --quick.
    #[arg(long)]
    runs: Option<usize>,
    /// Seed of the data generator.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Where generated inputs are cached (default: $CARGO_TARGET_DIR/bench-data or
    /// target/bench-data).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Run only these groups (merge, import, workbook, app, site, postgres, progress); default
    /// all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Organisations in the national-scale merge.
    #[arg(long, default_value_t = 400)]
    national: usize,
    #[command(subcommand)]
    command: Option<Sub>,
}

#[derive(Subcommand, Debug)]
enum Sub {
    /// One measurement in its own process (so that its peak memory is its own); prints
    /// `CHILD seconds peak_kib`.
    #[command(hide = true)]
    Child {
        #[command(subcommand)]
        what: ChildWhat,
    },
    /// Generates (or finds cached) the bundle sets and register without measuring anything.
    Generate,
}

#[derive(Subcommand, Debug)]
enum ChildWhat {
    /// Ours: the committee workbook of a central store.
    WorkbookOurs {
        #[arg(long)]
        central: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Bare rust_xlsxwriter writing the workbook's cells for `orgs` organisations.
    WorkbookBare {
        #[arg(long)]
        orgs: usize,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        quick: bool,
        #[arg(long)]
        constant_memory: bool,
        #[arg(long)]
        out: PathBuf,
    },
    /// The progress analysis once over the two cached returns files of `orgs` organisations of
    /// the progress benchmark's size (for profiling `ProgressInput::report`, e.g. under
    /// callgrind with `--toggle-collect='*ProgressInput*report*'`).
    ProgressOurs {
        #[arg(long)]
        orgs: usize,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        data_dir: PathBuf,
        /// Analyses run over the one reading of the files (the median is printed).
        #[arg(long, default_value_t = 1)]
        runs: usize,
        /// Also print each stage's median time (and per organisation) to stderr.
        #[arg(long)]
        stages: bool,
        /// Also write the report as JSON to `FILE` and the full-profile one to `FILE.full` (to
        /// check that a change to the analysis leaves every figure as it was).
        #[arg(long, value_name = "FILE")]
        dump: Option<PathBuf>,
    },
    /// Ours only: merge the first `orgs` London-size bundles into a fresh central store in
    /// `work` (for profiling `Store::import_bundles`, e.g. under callgrind).
    MergeOurs {
        #[arg(long)]
        orgs: usize,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        work: PathBuf,
    },
}

/// The sizes a run uses.
#[derive(Debug, Clone)]
struct Plan {
    runs: usize,
    per_org: Scale,
    london: usize,
    national: usize,
    register_rows: usize,
    /// Organisations in the workbook at each size of the memory check (the last is London).
    workbook_orgs: Vec<usize>,
    /// Organisations at each size of the progress analysis's scaling measurement (time per
    /// organisation from London's size to twice the national one).
    progress_sizes: Vec<usize>,
}

impl Plan {
    fn new(cli: &Cli) -> Plan {
        if cli.quick {
            Plan {
                runs: cli.runs.unwrap_or(1),
                per_org: quick_scale(),
                london: 3,
                national: 6,
                register_rows: 2_000,
                workbook_orgs: vec![1, 2],
                progress_sizes: vec![3, 6, 12],
            }
        } else {
            Plan {
                runs: cli.runs.unwrap_or(5),
                per_org: Scale::LONDON,
                london: 33,
                national: cli.national,
                register_rows: 50_000,
                workbook_orgs: vec![8, 16, 33],
                progress_sizes: {
                    let mut v = vec![33, 100, 200, cli.national, 2 * cli.national];
                    v.sort_unstable();
                    v.dedup();
                    v
                },
            }
        }
    }
}

fn quick_scale() -> Scale {
    Scale {
        orgs: 1,
        systems: 40,
        contracts: 20,
        suppliers: 10,
        products: 15,
    }
}

fn data_dir(cli: &Cli) -> PathBuf {
    cli.data_dir.clone().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| python::workspace().join("target"))
            .join("bench-data")
    })
}

fn say(msg: &str) {
    eprintln!("city-bench: {msg}");
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    if let Some(Sub::Child { what }) = &cli.command {
        return child(what);
    }
    let plan = Plan::new(cli);
    let dir = data_dir(cli);
    std::fs::create_dir_all(&dir)?;
    if let Some(Sub::Generate) = &cli.command {
        for orgs in [plan.london, plan.national] {
            inputs::bundle_set(&dir, cli.seed, &plan.per_org.with_orgs(orgs), &mut |m| {
                say(m)
            })?;
        }
        inputs::register_xlsx(&dir, cli.seed, plan.register_rows)?;
        return Ok(());
    }
    let facts = measure::machine_facts();
    let wants = |g: &str| cli.only.is_empty() || cli.only.iter().any(|o| o == g);
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    if wants("merge") {
        merge_rows(cli, &plan, &dir, &mut rows, &mut notes)?;
    }
    if wants("import") {
        import_rows(cli, &plan, &dir, &mut rows)?;
    }
    if wants("workbook") {
        workbook_rows(cli, &plan, &dir, &mut rows)?;
    }
    if wants("app") {
        app_rows(cli, &plan, &dir, &mut rows, &mut notes)?;
    }
    if wants("site") {
        site_rows(cli, &plan, &dir, &mut rows)?;
    }
    if wants("postgres") {
        pg_rows(cli, &plan, &dir, &mut rows)?;
    }
    if wants("progress") {
        progress_rows(cli, &plan, &dir, &mut rows)?;
    }
    notes.push(format!(
        "{} runs per figure; seed {}; inputs cached in {}.",
        plan.runs,
        cli.seed,
        dir.display()
    ));
    println!("{}", report::text(&rows));
    if let Some(out) = &cli.write {
        let command = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
        let command = format!("cargo run --release -p city-bench -- {command}");
        let mut md = report::markdown(&rows, &facts, command.trim(), &notes);
        // Hand-written findings (profiles, causes, before/after) survive a re-run.
        if let Ok(old) = std::fs::read_to_string(out)
            && let Some(at) = old.find(report::FINDINGS)
        {
            md.push('\n');
            md.push_str(&old[at..]);
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(out, md)?;
        say(&format!("wrote {}", out.display()));
    }
    Ok(())
}

fn missing(e: impl std::fmt::Display) -> Value {
    Value::Missing(e.to_string())
}

fn merge_rows(
    cli: &Cli,
    plan: &Plan,
    dir: &Path,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let work = dir.join("work");
    let (add, add_many) = inputs::add_cost(&work, cli.seed, if cli.quick { 50 } else { 500 })?;
    rows.push(Row {
        bench: "Store::add, per record (on disk)".into(),
        ours: Value::Secs(add.as_secs_f64()),
        baseline_name: "Store::add_many, per record".into(),
        baseline: Value::Secs(add_many.as_secs_f64()),
        goal: Goal::None,
        note: "add: one transaction (and fsync) per record; add_many: one per kind; includes creating the store".into(),
    });
    let mut per_bundle = Vec::new();
    for orgs in [plan.london, plan.national] {
        let scale = plan.per_org.with_orgs(orgs);
        say(&format!(
            "merge: preparing {orgs} bundles ({})",
            scale.key()
        ));
        let set = inputs::bundle_set(dir, cli.seed, &scale, &mut |m| say(m))?;
        if let Some(a) = set.add_per_record {
            notes.push(format!(
                "Generating {orgs} bundles: Store::add took {:.3} ms per record on a memory-backed scratch store.",
                a.as_secs_f64() * 1000.0
            ));
        }
        say(&format!("merge: {orgs} bundles, {} runs", plan.runs));
        let f = merge::run(&work, &set, plan.runs)?;
        per_bundle.push((orgs, f.ours / orgs as u32));
        rows.push(Row {
            bench: format!(
                "verify + decrypt + merge {orgs} bundles ({} records)",
                f.records
            ),
            ours: Value::Secs(f.ours.as_secs_f64()),
            baseline_name: "bare SQLite insert of the same rows".into(),
            baseline: Value::Secs(f.bare.as_secs_f64()),
            goal: Goal::AtMostTimes(2.0),
            note: format!(
                "{} records per bundle; one transaction per bundle in both",
                scale.records_per_org()
            ),
        });
        rows.push(Row {
            bench: format!("reference: merge {orgs} bundles"),
            ours: Value::Secs(f.ours.as_secs_f64()),
            baseline_name: "bare insert of the same rows + each bundle as a blob".into(),
            baseline: Value::Secs(f.bare_with_bundle.as_secs_f64()),
            goal: Goal::None,
            note: "the central store keeps every accepted bundle: the same bytes written".into(),
        });
    }
    if let [(a, ta), (b, tb)] = per_bundle[..] {
        rows.push(Row {
            bench: format!("merge growth: time per bundle at {b} vs at {a}"),
            ours: Value::Secs(tb.as_secs_f64()),
            baseline_name: format!("per bundle at {a}"),
            baseline: Value::Secs(ta.as_secs_f64()),
            goal: Goal::AtMostTimes(1.25),
            note: "linear growth keeps this near 1×".into(),
        });
    }
    Ok(())
}

/// One run of one of ours in the import group: its time and the rows it planned.
type OursRun = Result<(std::time::Duration, u64), hooks::NotYet>;

fn import_rows(cli: &Cli, plan: &Plan, dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let n = plan.register_rows;
    say(&format!("import: {n}-row register"));
    let xlsx = inputs::register_xlsx(dir, cli.seed, n)?;
    let csv = inputs::register_csv(dir, cli.seed, n)?;
    let work = tempfile::Builder::new().prefix("import-").tempdir_in(dir)?;
    let mut i = 0;
    let bare = measure::median_of(plan.runs, || {
        i += 1;
        Ok(import::bare_import(&xlsx, &work.path().join(format!("bare{i}.sqlite")))?.0)
    })?;
    let bare_csv = measure::median_of(plan.runs, || {
        i += 1;
        Ok(import::bare_csv_import(&csv, &work.path().join(format!("bare{i}.sqlite")))?.0)
    })?;
    let read = measure::median_of(plan.runs, || Ok(import::calamine_read(&xlsx)?.0))?;
    let mut imported = 0;
    let mut k = 0;
    // The median of `runs` runs of one of ours, or why it is missing.
    let mut ours_of = |f: &mut dyn FnMut(&Path) -> OursRun| {
        let mut times = Vec::new();
        for _ in 0..plan.runs {
            k += 1;
            match f(&work.path().join(format!("ours{k}.ctstore"))) {
                Ok((t, n)) => {
                    times.push(t);
                    if n > 0 {
                        imported = n;
                    }
                }
                Err(e) => return missing(&e.0),
            }
        }
        Value::Secs(measure::median(&mut times).as_secs_f64())
    };
    let ours = ours_of(&mut |store| hooks::import_register(&xlsx, store));
    let ours_cli = ours_of(&mut |store| {
        hooks::import_register_cli(cli.city.as_deref(), &xlsx, store).map(|t| (t, 0))
    });
    let ours_csv = ours_of(&mut |store| hooks::import_register(&csv, store));
    let ours_csv_cli = ours_of(&mut |store| {
        hooks::import_register_cli(cli.city.as_deref(), &csv, store).map(|t| (t, 0))
    });
    rows.push(Row {
        bench: format!("import {n}-row register through `city spreadsheet import` (release CLI)"),
        ours: ours_cli,
        baseline_name: "bare calamine read + bare SQLite insert".into(),
        baseline: Value::Secs(bare.as_secs_f64()),
        goal: Goal::AtMostTimes(3.0),
        note: "the whole process as a user runs it: inspect, answers, commit, the plan printed to a pipe".into(),
    });
    rows.push(Row {
        bench: format!("import {n}-row register as CSV (default path, in process)"),
        ours: ours_csv,
        baseline_name: "bare csv read + bare SQLite insert".into(),
        baseline: Value::Secs(bare_csv.as_secs_f64()),
        goal: Goal::AtMostTimes(3.0),
        note: "the same rows saved as UTF-8 CSV".into(),
    });
    rows.push(Row {
        bench: format!("import {n}-row register as CSV through `city spreadsheet import`"),
        ours: ours_csv_cli,
        baseline_name: "bare csv read + bare SQLite insert".into(),
        baseline: Value::Secs(bare_csv.as_secs_f64()),
        goal: Goal::AtMostTimes(3.0),
        note: String::new(),
    });
    let runs = plan.runs.to_string();
    let file = xlsx.display().to_string();
    let py = |script: &str| match python::run(script, &[file.clone(), runs.clone()]) {
        Ok(t) => Value::Secs(t.as_secs_f64()),
        Err(e) => missing(e),
    };
    let py_calamine = py("read_calamine.py");
    let openpyxl = py("read_openpyxl.py");
    let bench = format!("import {n}-row register (read, map, answer, validate, store)");
    rows.insert(
        rows.len() - 3,
        Row {
            bench: bench.clone(),
            ours: ours.clone(),
            baseline_name: "bare calamine read + bare SQLite insert".into(),
            baseline: Value::Secs(bare.as_secs_f64()),
            goal: Goal::AtMostTimes(3.0),
            note: format!(
                "ours: the default path in process — inspect (suggested columns and answers), then Store::import_commit into a new store, {imported} rows planned; one transaction"
            ),
        },
    );
    rows.push(Row {
        bench: bench.clone(),
        ours: ours.clone(),
        baseline_name: "python-calamine bare read".into(),
        baseline: py_calamine.clone(),
        goal: Goal::FasterBy(1.0),
        note: String::new(),
    });
    rows.push(Row {
        bench,
        ours,
        baseline_name: "openpyxl read-only".into(),
        baseline: openpyxl.clone(),
        goal: Goal::FasterBy(10.0),
        note: String::new(),
    });
    rows.push(Row {
        bench: format!("reference: bare calamine read of the {n}-row register"),
        ours: Value::Secs(read.as_secs_f64()),
        baseline_name: "python-calamine bare read".into(),
        baseline: py_calamine,
        goal: Goal::None,
        note: "the floor ours can reach".into(),
    });
    rows.push(Row {
        bench: "reference: bare calamine read + bare SQLite insert".into(),
        ours: Value::Secs(bare.as_secs_f64()),
        baseline_name: "openpyxl read-only".into(),
        baseline: openpyxl,
        goal: Goal::None,
        note: String::new(),
    });
    Ok(())
}

/// The size of each organisation's return in the progress benchmark: a tenth of a London-size
/// return's systems and contracts (two cycles of 400 such returns are 300,000 records in memory).
fn progress_scale(per_org: Scale) -> Scale {
    if per_org == Scale::LONDON {
        Scale {
            orgs: 1,
            systems: 200,
            contracts: 100,
            suppliers: 30,
            products: 40,
        }
    } else {
        per_org
    }
}

/// Year on year at London and national size, and its growth per organisation.
fn progress_rows(cli: &Cli, plan: &Plan, dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let sizes = [plan.london, plan.national];
    let scales: Vec<Scale> = sizes
        .iter()
        .map(|&orgs| progress_scale(plan.per_org).with_orgs(orgs))
        .collect();
    say(&format!(
        "progress: two cycles of {} and of {} organisations, measured in turn",
        sizes[0], sizes[1]
    ));
    let figures = progress::run(dir, cli.seed, &scales, plan.runs)?;
    let mut per_org = Vec::new();
    for ((orgs, scale), f) in sizes.iter().copied().zip(&scales).zip(&figures) {
        per_org.push((orgs, f.report / orgs as u32, f.reference / orgs as u32));
        rows.push(Row {
            bench: format!(
                "progress 2026-27 → 2027-28, {orgs} orgs ({} records now)",
                f.records
            ),
            ours: Value::Secs(f.report.as_secs_f64()),
            baseline_name: "reading the two returns files".into(),
            baseline: Value::Secs(f.read.as_secs_f64()),
            goal: Goal::None,
            note: format!(
                "`ProgressInput::report`: {} systems and {} contracts per organisation, one in fifty without a second return; both sizes measured in turn, round by round",
                scale.systems, scale.contracts
            ),
        });
    }
    if let [(a, ta, ra), (b, tb, rb)] = per_org[..] {
        rows.push(Row {
            bench: format!("progress growth: time per organisation at {b} vs at {a}"),
            ours: Value::Secs(tb.as_secs_f64()),
            baseline_name: format!("per organisation at {a}"),
            baseline: Value::Secs(ta.as_secs_f64()),
            goal: Goal::AtMostTimes(1.25),
            note: "linear growth keeps this near 1×".into(),
        });
        rows.push(Row {
            bench: format!(
                "reference: a bare linear pass, time per organisation at {b} vs at {a}"
            ),
            ours: Value::Secs(rb.as_secs_f64()),
            baseline_name: format!("per organisation at {a}"),
            baseline: Value::Secs(ra.as_secs_f64()),
            goal: Goal::None,
            note: "not a goal: each organisation's records of both cycles hash-joined by id and compared, systems joined by product; what the memory hierarchy gives even a trivially linear pass".into(),
        });
    }
    progress_scaling(cli, plan, dir, rows)
}

/// Time per organisation of the progress analysis and of the reference pass at every size of
/// `plan.progress_sizes` (each size's files read once, then all sizes analysed in turn, round
/// by round): whether the time per organisation stays flat once the two cycles no longer fit in
/// the caches, which the two sizes of the goal alone cannot show (at 33 organisations the data
/// fits in the last-level cache, at 400 it does not).
fn progress_scaling(cli: &Cli, plan: &Plan, dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let sizes = &plan.progress_sizes;
    let scales: Vec<Scale> = sizes
        .iter()
        .map(|&orgs| progress_scale(plan.per_org).with_orgs(orgs))
        .collect();
    say(&format!(
        "progress scaling: {} organisations, measured in turn",
        sizes
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let figures = progress::scaling(dir, cli.seed, &scales, plan.runs)?;
    let per_org: Vec<(usize, Duration, Duration)> = sizes
        .iter()
        .zip(&figures)
        .map(|(&n, f)| (n, f.report / n as u32, f.reference / n as u32))
        .collect();
    let Some(&(first, t0, r0)) = per_org.first() else {
        return Ok(());
    };
    let times = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-12);
    eprintln!("progress scaling: time per organisation (analysis / reference pass)");
    let mut prev: Option<(usize, Duration, Duration)> = None;
    for &(n, t, r) in &per_org {
        // Against the size before (when that is not the first, already shown).
        let before = prev.filter(|(m, _, _)| *m != first);
        let step = before.map_or(String::new(), |(m, pt, pr)| {
            format!("; against {m}: {:.2}× / {:.2}×", times(t, pt), times(r, pr))
        });
        eprintln!(
            "  {n:>5} orgs: {:>7.1} µs / {:>6.1} µs  (against {first}: {:.2}× / {:.2}×{step})",
            t.as_secs_f64() * 1e6,
            r.as_secs_f64() * 1e6,
            times(t, t0),
            times(r, r0),
        );
        if n != first {
            rows.push(Row {
                bench: format!("progress scaling: time per organisation at {n} vs at {first}"),
                ours: Value::Secs(t.as_secs_f64()),
                baseline_name: format!("per organisation at {first}"),
                baseline: Value::Secs(t0.as_secs_f64()),
                goal: Goal::None,
                note: format!(
                    "not a goal: whether the time per organisation stays flat once the data no longer fits in the caches; reference pass {:.0} µs per organisation, {:.2}× its time at {first}{}",
                    r.as_secs_f64() * 1e6,
                    times(r, r0),
                    before.map_or(String::new(), |(m, pt, pr)| format!(
                        "; against {m} organisations: analysis {:.2}×, reference {:.2}×",
                        times(t, pt),
                        times(r, pr)
                    ))
                ),
            });
        }
        prev = Some((n, t, r));
    }
    Ok(())
}

/// A central store with the first `orgs` organisations' bundles merged (cached).
fn central_for(cli: &Cli, plan: &Plan, dir: &Path, orgs: usize) -> Result<PathBuf> {
    let scale = plan.per_org.with_orgs(orgs);
    let set = inputs::bundle_set(dir, cli.seed, &scale, &mut |m| say(m))?;
    let path = dir.join(format!("central-{}-{}.ctstore", cli.seed, scale.key()));
    merge::central_store(&path, &set)?;
    Ok(path)
}

/// Publishing to PostgreSQL: 33 and `national` organisations against a bare COPY of the same
/// records, and the growth of the time per organisation.
fn pg_rows(cli: &Cli, plan: &Plan, dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let cluster = match pg::Cluster::start() {
        Ok(c) => c,
        Err(e) => {
            rows.push(Row {
                bench: "publish to PostgreSQL".into(),
                ours: missing(format!("{e:#}")),
                baseline_name: "bare COPY of the same records".into(),
                baseline: missing("no cluster"),
                goal: Goal::AtMostTimes(2.0),
                note: String::new(),
            });
            return Ok(());
        }
    };
    let mut per_org = Vec::new();
    let mut bare_per_org = Vec::new();
    for orgs in [plan.london, plan.national] {
        let scale = plan.per_org.with_orgs(orgs);
        say(&format!("postgres: returns of {orgs} organisations"));
        let returns = pg::returns_file(dir, cli.seed, &scale)?;
        // The first publication creates the schema and the cycle (not timed); each timed one
        // replaces the cycle with other rows (a day later).
        let published = match pg::publish(&returns, &cluster, 0) {
            Ok((_, n)) => n,
            Err(e) => {
                rows.push(Row {
                    bench: format!("publish to PostgreSQL, {orgs} orgs"),
                    ours: missing(format!("{e:#}")),
                    baseline_name: "bare COPY of the same records".into(),
                    baseline: missing("not run"),
                    goal: Goal::AtMostTimes(2.0),
                    note: String::new(),
                });
                continue;
            }
        };
        let mut day = 0;
        let ours = measure::median_of(plan.runs, || {
            day += 1;
            pg::publish(&returns, &cluster, day).map(|(t, _)| t)
        });
        let mut copied = 0;
        let bare = measure::median_of(plan.runs, || {
            pg::bare_copy(&returns, &cluster).map(|(t, n)| {
                copied = n;
                t
            })
        });
        let value = |r: &Result<Duration>| match r {
            Ok(t) => Value::Secs(t.as_secs_f64()),
            Err(e) => missing(format!("{e:#}")),
        };
        if let Ok(t) = &ours {
            per_org.push((orgs, t.as_secs_f64() / orgs as f64));
        }
        if let Ok(t) = &bare {
            bare_per_org.push(t.as_secs_f64() / orgs as f64);
        }
        rows.push(Row {
            bench: format!(
                "publish to PostgreSQL, {orgs} orgs × {} records ({copied} records)",
                scale.records_per_org()
            ),
            ours: value(&ours),
            baseline_name: "bare COPY of the same records (one jsonb row each), read from the same file".into(),
            baseline: value(&bare),
            goal: Goal::AtMostTimes(2.0),
            note: format!(
                "committee profile, replacing the cycle's publication: analysis, {published} rows with keys and foreign keys, hash"
            ),
        });
    }
    if let [(a, small), (b, large)] = per_org[..] {
        rows.push(Row {
            bench: format!("PostgreSQL growth: time per organisation at {b} vs at {a}"),
            ours: Value::Secs(large),
            baseline_name: format!("per organisation at {a}"),
            baseline: Value::Secs(small),
            goal: Goal::AtMostTimes(1.25),
            note: match bare_per_org[..] {
                // The bare COPY's own growth in the same run: how much the machine (load, the
                // server's caches) alone adds per organisation at the larger size.
                [small_bare, large_bare] => format!(
                    "linear growth keeps this near 1×; the bare COPY grew {:.2}× in the same run",
                    large_bare / small_bare
                ),
                _ => "linear growth keeps this near 1×".into(),
            },
        });
    }
    Ok(())
}

/// LOTI's published site of the London-size central store: written (against the CSV export it
/// contains) and its heaviest page's time to interactive in headless Chromium (against a blank
/// page).
fn site_rows(cli: &Cli, plan: &Plan, dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let orgs = plan.london;
    say(&format!("site: central store of {orgs} organisations"));
    let central = central_for(cli, plan, dir, orgs)?;
    let work = tempfile::Builder::new().prefix("site-").tempdir_in(dir)?;
    let out = work.path().join("site");
    let median = |f: &dyn Fn() -> Result<Duration>| -> Value {
        let mut times = Vec::new();
        for _ in 0..plan.runs {
            match f() {
                Ok(t) => times.push(t),
                Err(e) => return missing(format!("{e:#}")),
            }
        }
        Value::Secs(measure::median(&mut times).as_secs_f64())
    };
    let ours = median(&|| site::publish(&central, &out));
    let csv = median(&|| site::csv(&central, &work.path().join("csv")));
    let scale = plan.per_org;
    rows.push(Row {
        bench: format!(
            "publish the open site, {orgs} orgs × {} systems",
            scale.systems
        ),
        ours,
        baseline_name: "the open CSV export of the same cycle (part of the site)".into(),
        baseline: csv,
        goal: Goal::None,
        note: "`Store::publish_site`: analysis, CSV, OCDS, pipeline OCDS and eight pages".into(),
    });
    let (tti, blank, note) = match site::heaviest_page(&out) {
        Ok((page, bytes)) => {
            let name = page
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ms = |p: &Path| -> Value {
                let mut times = Vec::new();
                for _ in 0..plan.runs {
                    match site::ready_ms(p) {
                        Ok(ms) => times.push(Duration::from_secs_f64(ms / 1000.0)),
                        Err(e) => return missing(format!("{e:#}")),
                    }
                }
                Value::Secs(measure::median(&mut times).as_secs_f64())
            };
            let blank = match site::blank_page(work.path()) {
                Ok(b) => ms(&b),
                Err(e) => missing(format!("{e:#}")),
            };
            (
                ms(&page),
                blank,
                format!(
                    "{name}, {:.1} MiB; from navigation to its script's handlers bound",
                    bytes as f64 / (1024.0 * 1024.0)
                ),
            )
        }
        Err(e) => (missing(format!("{e:#}")), missing("no site"), String::new()),
    };
    rows.push(Row {
        bench: "the site's heaviest page interactive in headless Chromium".into(),
        ours: tti,
        baseline_name: "a blank page with a script".into(),
        baseline: blank,
        goal: Goal::BelowSecs(1.0),
        note,
    });
    Ok(())
}

fn workbook_rows(cli: &Cli, plan: &Plan, dir: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let orgs = *plan.workbook_orgs.last().unwrap_or(&1);
    let small = plan.workbook_orgs[0];
    say(&format!("workbook: central store of {orgs} organisations"));
    let central = central_for(cli, plan, dir, orgs)?;
    let work = tempfile::Builder::new()
        .prefix("workbook-")
        .tempdir_in(dir)?;
    let ours_file = work.path().join("ours.xlsx");
    let mut times = Vec::new();
    let mut why = None;
    for _ in 0..plan.runs {
        match hooks::export_workbook(&central, &ours_file) {
            Ok(t) => times.push(t),
            Err(e) => {
                why = Some(e.0);
                break;
            }
        }
    }
    let ours = match why {
        Some(w) => missing(w),
        None => Value::Secs(measure::median(&mut times).as_secs_f64()),
    };
    // The baselines write the very cells ours wrote (values only), or, without ours, the
    // generated systems and contracts.
    let (sheets, what) = if ours_file.is_file() {
        (
            workbook::cells_from_xlsx(&ours_file)?,
            "the cells of our workbook",
        )
    } else {
        (
            workbook::cells(cli.seed, &plan.per_org.with_orgs(orgs)),
            "generated systems and contracts",
        )
    };
    let cells = workbook::cell_count(&sheets);
    let out = work.path().join("bare.xlsx");
    let bare = measure::median_of(plan.runs, || workbook::write_bare(&sheets, &out, false))?;
    let json = workbook::cells_json(&work.path().join("cells.json"), &sheets)?;
    let sheet_count = sheets.len();
    drop(sheets);
    let python = match python::run(
        "write_xlsxwriter.py",
        &[
            json.display().to_string(),
            work.path().join("py.xlsx").display().to_string(),
            plan.runs.to_string(),
        ],
    ) {
        Ok(t) => Value::Secs(t.as_secs_f64()),
        Err(e) => missing(e),
    };
    let bench = format!("committee workbook, {orgs} organisations ({cells} cells)");
    let note = format!(
        "baselines write {what}: {sheet_count} sheets, values only (ours adds formats, tables, charts)"
    );
    rows.push(Row {
        bench: bench.clone(),
        ours: ours.clone(),
        baseline_name: "bare rust_xlsxwriter, same cells".into(),
        baseline: Value::Secs(bare.as_secs_f64()),
        goal: Goal::AtMostTimes(1.3),
        note: note.clone(),
    });
    rows.push(Row {
        bench,
        ours,
        baseline_name: "Python XlsxWriter constant_memory".into(),
        baseline: python.clone(),
        goal: Goal::FasterBy(5.0),
        note,
    });
    rows.push(Row {
        bench: "reference: bare rust_xlsxwriter, same cells".into(),
        ours: Value::Secs(bare.as_secs_f64()),
        baseline_name: "Python XlsxWriter constant_memory".into(),
        baseline: python,
        goal: Goal::None,
        note: "the floor ours can reach".into(),
    });
    // Peak memory as the rows grow: each size in its own process.
    let mut ours_peaks = Vec::new();
    let mut ours_failed = None;
    for &n in &plan.workbook_orgs {
        let central = central_for(cli, plan, dir, n)?;
        let args = vec![
            "workbook-ours".to_string(),
            "--central".into(),
            central.display().to_string(),
            "--out".into(),
            work.path()
                .join(format!("ours{n}.xlsx"))
                .display()
                .to_string(),
        ];
        match measure::run_child(&args) {
            Ok(r) => ours_peaks.push((n, r.peak_kb)),
            Err(e) => {
                ours_failed = Some(format!("{e:#}"));
                break;
            }
        }
    }
    rows.push(peak_row(
        format!("committee workbook peak memory, {orgs} vs {small} organisations"),
        &ours_peaks,
        ours_failed,
        Goal::AtMostTimes(1.5),
        "flat: peak must not grow with the rows",
    ));
    for constant_memory in [false, true] {
        let mut peaks = Vec::new();
        for &n in &plan.workbook_orgs {
            let mut args = vec![
                "workbook-bare".to_string(),
                "--orgs".into(),
                n.to_string(),
                "--seed".into(),
                cli.seed.to_string(),
                "--out".into(),
                work.path()
                    .join(format!("mem{n}.xlsx"))
                    .display()
                    .to_string(),
            ];
            if cli.quick {
                args.push("--quick".into());
            }
            if constant_memory {
                args.push("--constant-memory".into());
            }
            peaks.push((n, measure::run_child(&args)?.peak_kb));
        }
        rows.push(peak_row(
            format!(
                "reference: bare rust_xlsxwriter{} peak memory (generated cells), {orgs} vs {small} organisations",
                if constant_memory { " (constant_memory)" } else { "" }
            ),
            &peaks,
            None,
            Goal::None,
            "",
        ));
    }
    Ok(())
}

/// A row comparing the peak memory at the largest size with the smallest.
fn peak_row(
    bench: String,
    peaks: &[(usize, u64)],
    failed: Option<String>,
    goal: Goal,
    note: &str,
) -> Row {
    let mib = |kb: u64| kb as f64 / 1024.0;
    let (ours, baseline, baseline_name) = match (peaks.first(), peaks.last(), failed) {
        (_, _, Some(e)) => (
            missing(&e),
            Value::Missing("—".into()),
            "smallest".to_string(),
        ),
        (Some((n0, k0)), Some((_, k1)), None) => (
            Value::Mib(mib(*k1)),
            Value::Mib(mib(*k0)),
            format!("at {n0}"),
        ),
        _ => (
            missing("no sizes"),
            Value::Missing("—".into()),
            "smallest".into(),
        ),
    };
    let shown: Vec<String> = peaks
        .iter()
        .map(|(n, kb)| format!("{n} orgs: {:.1} MiB", mib(*kb)))
        .collect();
    Row {
        bench,
        ours,
        baseline_name,
        baseline,
        goal,
        note: format!(
            "{}peak RSS of a child process: {}",
            if note.is_empty() {
                String::new()
            } else {
                format!("{note}; ")
            },
            shown.join(", ")
        ),
    }
}

fn app_rows(
    cli: &Cli,
    plan: &Plan,
    dir: &Path,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let figures = match &cli.app {
        None => Err("give --app target/release/city-tools".to_string()),
        Some(bin) => app::cold_start(bin, dir, cli.seed, &plan.per_org, plan.runs)
            .map_err(|e| format!("{e:#}")),
    };
    let (start, rss) = match &figures {
        Ok(f) => {
            notes.push(format!(
                "App: {}; resident memory is the proportional set size (PSS, shared pages split between processes) summed over the app and its WebKit processes ({}).",
                f.how, f.memory_detail
            ));
            (Value::Secs(f.start.as_secs_f64()), Value::Mib(f.rss_mib))
        }
        Err(e) => (missing(e), missing(e)),
    };
    let systems = plan.per_org.systems;
    rows.push(Row {
        bench: format!("app: cold start to the task list, {systems} systems"),
        ours: start,
        baseline_name: "goal only".into(),
        baseline: Value::Missing("—".into()),
        goal: Goal::BelowSecs(1.0),
        note: "launch to #status-systems rendered, over WebDriver".into(),
    });
    let blank = match app::blank_webview_pss(plan.runs) {
        Ok(mib) => Value::Mib(mib),
        Err(e) => missing(format!("{e:#}")),
    };
    rows.push(Row {
        bench: format!("app: resident memory (PSS), {systems} systems"),
        ours: rss,
        baseline_name: "bare WebKitGTK window, blank page".into(),
        baseline: blank.clone(),
        goal: Goal::BelowMib(150.0),
        note: "PSS of the app and its WebKit processes; the baseline is the engine's floor (same window size and setting)".into(),
    });
    rows.push(Row {
        bench: "reference: bare WebKitGTK window, blank page".into(),
        ours: blank,
        baseline_name: "goal only".into(),
        baseline: Value::Missing("—".into()),
        goal: Goal::None,
        note: "no City Tools code: GTK 3 + one WebKit2 4.1 web view (python3-gi); compare with the < 150 MiB goal".into(),
    });
    let (filter, filter_note) = match hooks::ui_filter(cli.app.as_deref(), dir, cli.seed, plan.runs)
    {
        Ok((t, own, note)) => (
            Value::Secs(t.as_secs_f64()),
            format!(
                "in the page: input event to the list's DOM updated (no paint); the list's own filter time {}; {note}",
                own.map_or("not shown".into(), |ms| format!("{ms:.1} ms"))
            ),
        ),
        Err(e) => (missing(&e.0), String::new()),
    };
    rows.push(Row {
        bench: "app: filter a 10,000-row list".into(),
        ours: filter,
        baseline_name: "goal only".into(),
        baseline: Value::Missing("—".into()),
        goal: Goal::BelowSecs(0.05),
        note: filter_note,
    });
    Ok(())
}

fn child(what: &ChildWhat) -> Result<()> {
    match what {
        ChildWhat::MergeOurs {
            orgs,
            seed,
            data_dir,
            work,
        } => {
            let set =
                inputs::bundle_set(data_dir, *seed, &Scale::LONDON.with_orgs(*orgs), &mut |m| {
                    say(m)
                })?;
            let t = merge::ours_once(work, &set)?;
            println!("{}", measure::ChildReport::line(t.as_secs_f64()));
            Ok(())
        }
        ChildWhat::ProgressOurs {
            orgs,
            seed,
            data_dir,
            runs,
            stages,
            dump,
        } => {
            let scale = progress_scale(Scale::LONDON).with_orgs(*orgs);
            if let Some(path) = dump {
                progress::dump(data_dir, *seed, &scale, path)?;
            }
            if *stages {
                for (name, t) in progress::stages(data_dir, *seed, &scale, *runs)? {
                    eprintln!(
                        "{name:>24}: {:>9.2} ms  {:>7.1} µs per organisation",
                        t.as_secs_f64() * 1e3,
                        t.as_secs_f64() * 1e6 / *orgs as f64
                    );
                }
            }
            let f = progress::run_once_read(data_dir, *seed, &scale, *runs)?;
            if *stages {
                for (name, t) in [("report", f.report), ("reference pass", f.reference)] {
                    eprintln!(
                        "{name:>24}: {:>9.2} ms  {:>7.1} µs per organisation",
                        t.as_secs_f64() * 1e3,
                        t.as_secs_f64() * 1e6 / *orgs as f64
                    );
                }
            }
            println!("{}", measure::ChildReport::line(f.report.as_secs_f64()));
            Ok(())
        }
        ChildWhat::WorkbookOurs { central, out } => {
            let t = hooks::export_workbook(central, out).map_err(|e| anyhow::anyhow!(e.0))?;
            println!("{}", measure::ChildReport::line(t.as_secs_f64()));
            Ok(())
        }
        ChildWhat::WorkbookBare {
            orgs,
            seed,
            quick,
            constant_memory,
            out,
        } => {
            let per = if *quick { quick_scale() } else { Scale::LONDON };
            // Cells are made one organisation at a time: the peak is the writer's.
            let t: Duration =
                workbook::write_streaming(*seed, &per.with_orgs(*orgs), out, *constant_memory)?;
            println!("{}", measure::ChildReport::line(t.as_secs_f64()));
            Ok(())
        }
    }
}
