//! Benchmark inputs made from the generator and cached under the data directory
//! (`target/bench-data/` by default) keyed by seed and size: borough stores filled through
//! `Store::add`, the 50,000-row register spreadsheet, and signed, encrypted bundles with the
//! keys, LOTI identity and cycle pack they need. Making 400 organisations' keys and bundles is
//! slow (scrypt, one `add` transaction per record), so each organisation's files are kept and
//! reused: the 33-bundle set is the first 33 of the 400.

use crate::datagen::{self, Cell, OrgSpec, Scale};
use anyhow::{Context as _, Result, anyhow};
use city_core::api::{self, Context, CyclePackInput, NewStore, RecordKind, Store};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The passphrase of every generated key (benchmark data only).
pub(crate) const PASS: &str = "benchmark passphrase";
/// The cycle every generated return is for.
pub(crate) const CYCLE: &str = "2026-27";

/// A fixed clock and actor, so generated stores do not depend on when they were made.
pub(crate) fn ctx() -> Context {
    Context {
        actor: "city-bench".into(),
        now: chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|_| chrono::Utc::now()),
    }
}

/// Where scratch stores go while generating: memory-backed when the machine has `/dev/shm`
/// (generation is not what is measured; `add` is timed on disk separately).
fn scratch_dir(data_dir: &Path) -> Result<tempfile::TempDir> {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        data_dir.join("scratch")
    };
    std::fs::create_dir_all(&base)?;
    Ok(tempfile::Builder::new()
        .prefix("city-bench-")
        .tempdir_in(base)?)
}

/// Creates a borough store for `org` and fills it with `data` through `Store::add`, one call
/// per record. Returns the store and the time the adds took.
pub(crate) fn fill_store(
    path: &Path,
    org: &OrgSpec,
    data: &datagen::OrgData,
) -> Result<(Store, Duration)> {
    let c = ctx();
    let mut store = Store::create_for(
        path,
        &NewStore {
            organisation: org.id.clone(),
            organisation_name: org.needs_name.then(|| org.name.clone()),
            cycle: CYCLE.into(),
        },
        &c,
    )
    .map_err(|e| anyhow!("creating {}: {}", path.display(), e.message))?;
    let start = Instant::now();
    datagen::fill(data, |kind, fields| {
        store
            .add(None, kind, fields, &c)
            .map(|r| r.id)
            .map_err(|e| anyhow!("adding a {}: {}", kind.id(), e.message))
    })?;
    Ok((store, start.elapsed()))
}

/// Creates a borough store for `org` and fills it with `data` through `Store::add_many`: one
/// transaction per kind of record.
pub(crate) fn fill_store_bulk(
    path: &Path,
    org: &OrgSpec,
    data: &datagen::OrgData,
) -> Result<Store> {
    let c = ctx();
    let mut store = Store::create_for(
        path,
        &NewStore {
            organisation: org.id.clone(),
            organisation_name: org.needs_name.then(|| org.name.clone()),
            cycle: CYCLE.into(),
        },
        &c,
    )
    .map_err(|e| anyhow!("creating {}: {}", path.display(), e.message))?;
    datagen::fill_batched(data, |kind, records| {
        store
            .add_many(None, kind, records, &c, &mut |_| {})
            .map(|added| added.into_iter().map(|r| r.id).collect())
            .map_err(|e| anyhow!("adding {}s: {}", kind.id(), e.message))
    })?;
    Ok(store)
}

/// What one record costs through `Store::add` (one transaction each) and through
/// `Store::add_many` (one transaction per kind), measured on disk in `dir` (fsync included).
pub(crate) fn add_cost(dir: &Path, seed: u64, records: usize) -> Result<(Duration, Duration)> {
    let per = Scale {
        orgs: 1,
        systems: records * 4 / 10,
        contracts: records * 2 / 10,
        suppliers: records / 10,
        products: records - records * 4 / 10 - records * 2 / 10 - records / 10,
    };
    let org = &datagen::organisations(1)[0];
    let data = datagen::org_data(seed, 0, &per);
    std::fs::create_dir_all(dir)?;
    let work = tempfile::Builder::new()
        .prefix("add-cost-")
        .tempdir_in(dir)?;
    let (_store, one_by_one) = fill_store(&work.path().join("add.ctstore"), org, &data)?;
    let start = Instant::now();
    let _bulk = fill_store_bulk(&work.path().join("add-many.ctstore"), org, &data)?;
    let many = start.elapsed();
    let n = data.len().max(1) as u32;
    Ok((one_by_one / n, many / n))
}

/// The register spreadsheet (`rows` data rows plus a heading row), written once per seed and
/// size with rust_xlsxwriter.
pub(crate) fn register_xlsx(data_dir: &Path, seed: u64, rows: usize) -> Result<PathBuf> {
    // v2: procurement routes in the register's own words (answer mapping).
    let path = data_dir.join(format!("register-v2-{seed}-{rows}.xlsx"));
    if path.is_file() {
        return Ok(path);
    }
    std::fs::create_dir_all(data_dir)?;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Contracts")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let money = rust_xlsxwriter::Format::new().set_num_format("#,##0.00");
    for (c, h) in datagen::REGISTER_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in datagen::register_rows(seed, rows).iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Date(d) => ws.write_datetime_with_format(
                    r,
                    c,
                    rust_xlsxwriter::ExcelDateTime::parse_from_str(&d.to_string())?,
                    &date,
                )?,
                Cell::Number(n) if c >= 9 => ws.write_number_with_format(r, c, *n, &money)?,
                Cell::Number(n) => ws.write_number(r, c, *n)?,
            };
        }
    }
    let tmp = path.with_extension("xlsx.tmp");
    wb.save(&tmp)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// The same register as CSV (UTF-8, comma, dates as `31/03/2027`, amounts in pounds), cached
/// per seed and size.
pub(crate) fn register_csv(data_dir: &Path, seed: u64, rows: usize) -> Result<PathBuf> {
    let path = data_dir.join(format!("register-v2-{seed}-{rows}.csv"));
    if path.is_file() {
        return Ok(path);
    }
    std::fs::create_dir_all(data_dir)?;
    let tmp = path.with_extension("csv.tmp");
    let mut w = csv::Writer::from_path(&tmp)?;
    w.write_record(datagen::REGISTER_COLUMNS)?;
    for row in datagen::register_rows(seed, rows) {
        w.write_record(row.iter().map(|cell| match cell {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Number(n) => format!("{n}"),
        }))?;
    }
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// A set of bundles ready for LOTI to merge.
#[derive(Debug, Clone)]
pub(crate) struct BundleSet {
    pub(crate) bundles: Vec<PathBuf>,
    /// Each organisation's public key, id and (outside London) name, for the keyring.
    pub(crate) keys: Vec<(PathBuf, String, Option<String>)>,
    /// Each organisation's records as stored (one JSON line each: id, kind, data).
    pub(crate) rows: Vec<PathBuf>,
    /// LOTI's identity for the cycle.
    pub(crate) identity: PathBuf,
    /// What `Store::add` cost per record while generating (scratch store in memory).
    pub(crate) add_per_record: Option<Duration>,
}

/// The first `scale.orgs` organisations' bundles, generated on first use.
pub(crate) fn bundle_set(
    data_dir: &Path,
    seed: u64,
    scale: &Scale,
    progress: &mut dyn FnMut(&str),
) -> Result<BundleSet> {
    let per_org = scale.with_orgs(1).key();
    let dir = data_dir.join(format!("bundles-{seed}-{per_org}"));
    std::fs::create_dir_all(dir.join("orgs"))?;
    let c = ctx();
    // LOTI: root key, cycle identity and backup identity, and the cycle pack.
    let pack = dir.join("2026-27.ctcycle");
    let identity = dir.join("loti.age");
    if !pack.is_file() {
        for f in ["root.key", "root.pub", "loti.age", "backup.age"] {
            let _ = std::fs::remove_file(dir.join(f));
        }
        api::generate_signing_key(&dir.join("root.key"), &dir.join("root.pub"), PASS)
            .map_err(|e| anyhow!("{}", e.message))?;
        let loti = api::generate_identity(&identity, &c).map_err(|e| anyhow!("{}", e.message))?;
        let backup = api::generate_identity(&dir.join("backup.age"), &c)
            .map_err(|e| anyhow!("{}", e.message))?;
        let input = CyclePackInput {
            cycle: CYCLE.into(),
            opens: "2026-04-01".into(),
            closes: "2026-07-31".into(),
            recipients: vec![loti, backup],
        };
        let tmp = dir.join("pack.tmp");
        let _ = std::fs::remove_file(&tmp);
        api::create_cycle_pack(&tmp, &input, &dir.join("root.key"), PASS)
            .map_err(|e| anyhow!("{}", e.message))?;
        std::fs::rename(&tmp, &pack)?;
    }
    let mut set = BundleSet {
        bundles: Vec::new(),
        keys: Vec::new(),
        rows: Vec::new(),
        identity,
        add_per_record: None,
    };
    let mut add_total = Duration::ZERO;
    let mut added = 0u32;
    for (i, org) in datagen::organisations(scale.orgs).iter().enumerate() {
        let org_dir = dir.join("orgs").join(&org.code);
        let done = org_dir.join("done");
        if !done.is_file() {
            progress(&format!(
                "generating {} ({}/{}): {} records through Store::add, key, bundle",
                org.name,
                i + 1,
                scale.orgs,
                scale.records_per_org()
            ));
            let _ = std::fs::remove_dir_all(&org_dir);
            std::fs::create_dir_all(&org_dir)?;
            let scratch = scratch_dir(data_dir)?;
            let data = datagen::org_data(seed, i, scale);
            let (mut store, took) =
                fill_store(&scratch.path().join("borough.ctstore"), org, &data)?;
            add_total += took;
            added += data.len() as u32;
            store
                .import_cycle_pack(&pack, Some(&dir.join("root.pub")), &c)
                .map_err(|e| anyhow!("{}", e.message))?;
            api::generate_signing_key(&org_dir.join("org.key"), &org_dir.join("org.pub"), PASS)
                .map_err(|e| anyhow!("{}", e.message))?;
            let sent = store
                .export_bundle(None, &org_dir, &org_dir.join("org.key"), PASS, &c)
                .map_err(|e| anyhow!("{}", e.message))?;
            std::fs::rename(&sent.file, org_dir.join("return.ctbundle"))?;
            let mut rows =
                std::io::BufWriter::new(std::fs::File::create(org_dir.join("rows.jsonl"))?);
            for kind in RecordKind::ALL {
                for r in store
                    .list(None, *kind, false)
                    .map_err(|e| anyhow!("{}", e.message))?
                {
                    let line = serde_json::json!({
                        "id": r.id,
                        "kind": kind.id(),
                        "data": api::RecordData::to_json(&r.record).to_string(),
                    });
                    writeln!(rows, "{line}")?;
                }
            }
            rows.flush()?;
            drop(rows);
            std::fs::write(&done, org.id.as_bytes())?;
        }
        set.bundles.push(org_dir.join("return.ctbundle"));
        set.keys.push((
            org_dir.join("org.pub"),
            org.id.clone(),
            org.needs_name.then(|| org.name.clone()),
        ));
        set.rows.push(org_dir.join("rows.jsonl"));
    }
    if added > 0 {
        set.add_per_record = Some(add_total / added);
    }
    for b in &set.bundles {
        if !b.is_file() {
            return Err(anyhow!("{} is missing", b.display())).context("bundle cache");
        }
    }
    Ok(set)
}

/// Reads one organisation's stored rows (id, kind, data JSON text).
pub(crate) fn read_rows(path: &Path) -> Result<Vec<(String, String, String)>> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l)?;
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Ok((s("id"), s("kind"), s("data")))
        })
        .collect()
}
