//! Publishing to PostgreSQL at London and national scale: `publish_postgres_from_returns`
//! (committee profile, replacing the cycle's earlier publication) against a bare `COPY` of the
//! same records read from the same returns file (one row per record: cycle, organisation, id,
//! kind and its fields as `jsonb`, into a table with a primary key, in one transaction), on a
//! throwaway cluster this module starts (Debian's `initdb` and `pg_ctl`, as the `postgres`
//! user when run as root; a Unix socket in a temporary folder). Figures only.

use anyhow::{Context as _, Result, anyhow, bail};
use city_core::api::{self, ExportProfile, PgConnection, RecordKind};
use postgres::{Client, NoTls};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A throwaway cluster, stopped when dropped.
pub(crate) struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
}

fn bin_dir() -> Option<PathBuf> {
    let mut v: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((n, bin))
        })
        .collect();
    v.sort();
    v.pop().map(|(_, b)| b)
}

impl Cluster {
    /// Starts a cluster in a new folder of the system's temporary folder (not the data folder,
    /// whose parents the `postgres` user may not be allowed to enter).
    pub(crate) fn start() -> Result<Cluster> {
        let bin = bin_dir().ok_or_else(|| {
            anyhow!("PostgreSQL is not installed: `cargo xtask setup` installs Debian's postgresql")
        })?;
        let dir = tempfile::Builder::new()
            .prefix("city-bench-pg-")
            .tempdir_in(std::env::temp_dir())?;
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()?
                .success();
            if !ok {
                bail!(
                    "could not give {} to the postgres user",
                    dir.path().display()
                );
            }
        }
        let c = Cluster {
            dir,
            bin,
            as_postgres,
        };
        let data = c.dir.path().join("data");
        c.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "-N",
            ],
        )?;
        // Settings a BI database would have on this machine; durability is left on.
        let opts = format!(
            "-c listen_addresses='' -k {} -p 5432 -c shared_buffers=256MB -c max_wal_size=4GB",
            c.dir.path().display()
        );
        c.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &c.dir.path().join("log").to_string_lossy(),
                "-o",
                &opts,
                "-w",
                "start",
            ],
        )?;
        Ok(c)
    }

    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<()> {
        let out = self
            .command(tool)
            .args(args)
            .current_dir(self.dir.path())
            .output()?;
        if !out.status.success() {
            bail!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    pub(crate) fn conninfo(&self) -> String {
        format!(
            "host={} port=5432 user=postgres dbname=postgres",
            self.dir.path().display()
        )
    }

    pub(crate) fn client(&self) -> Result<Client> {
        Ok(Client::connect(&self.conninfo(), NoTls)?)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "fast", "-w", "stop"])
            .output();
    }
}

/// A returns file (the format `Analysis::from_returns_file` reads) of the generator's first
/// `scale.orgs` organisations, cached in `dir`.
pub(crate) fn returns_file(
    dir: &Path,
    seed: u64,
    scale: &crate::datagen::Scale,
) -> Result<PathBuf> {
    let path = dir.join(format!("returns-{seed}-{}.json", scale.key()));
    if path.exists() {
        return Ok(path);
    }
    let mut orgs = Vec::new();
    for (i, org) in crate::datagen::organisations(scale.orgs).iter().enumerate() {
        let data = crate::datagen::org_data(seed, i, scale);
        let mut records = Vec::new();
        let mut n = 0u64;
        crate::datagen::fill(&data, |kind: RecordKind, fields: Value| {
            n += 1;
            // Ids as a store would give them, but reproducible.
            let id = uuid::Uuid::from_u64_pair(seed ^ (i as u64) << 32, n);
            records.push(json!({"id": id, "kind": kind.id(), "data": fields}));
            Ok::<_, anyhow::Error>(id)
        })?;
        let organisation = if org.id.contains(':') {
            org.id.clone()
        } else {
            format!("gss:{}", org.id)
        };
        orgs.push(json!({"name": org.name, "organisation": organisation, "records": records}));
    }
    let v = json!({"cycle": crate::inputs::CYCLE, "organisations": orgs});
    let tmp = path.with_extension("json.part");
    std::fs::write(&tmp, serde_json::to_vec(&v)?)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// Ours: the committee publication of `returns` a day after `day` days (so the rows differ
/// from the last run's and the cycle's publication is replaced); returns the time and rows.
pub(crate) fn publish(returns: &Path, cluster: &Cluster, day: i64) -> Result<(Duration, u64)> {
    let conn = PgConnection {
        url: Some(cluster.conninfo()),
        env: Vec::new(),
    };
    let mut ctx = crate::inputs::ctx();
    ctx.now += chrono::Duration::days(day);
    let start = Instant::now();
    let o = api::publish_postgres_from_returns(
        returns,
        None,
        ExportProfile::Committee,
        &conn,
        &ctx,
        &mut |_| {},
    )
    .map_err(|e| anyhow!(e.message))?;
    let t = start.elapsed();
    if o.unchanged {
        bail!("the publication changed nothing");
    }
    Ok((t, o.tables.iter().map(|t| t.rows).sum()))
}

fn escape(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// The baseline: the same records read from the same file and copied, one row each, into
/// `bare.record` (replacing the cycle's rows) in one transaction.
pub(crate) fn bare_copy(returns: &Path, cluster: &Cluster) -> Result<(Duration, u64)> {
    let mut client = cluster.client()?;
    client.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS bare; \
         CREATE TABLE IF NOT EXISTS bare.record (cycle text NOT NULL, organisation text NOT NULL, id uuid NOT NULL, kind text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (cycle, organisation, id))",
    )?;
    let start = Instant::now();
    let v: Value = serde_json::from_slice(&std::fs::read(returns)?)?;
    let cycle = v["cycle"].as_str().context("no cycle")?.to_string();
    let mut buf = Vec::new();
    let mut rows = 0u64;
    for org in v["organisations"].as_array().context("no organisations")? {
        let o = org["organisation"].as_str().unwrap_or_default();
        for r in org["records"].as_array().context("no records")? {
            escape(&cycle, &mut buf);
            buf.push(b'\t');
            escape(o, &mut buf);
            buf.push(b'\t');
            escape(r["id"].as_str().unwrap_or_default(), &mut buf);
            buf.push(b'\t');
            escape(r["kind"].as_str().unwrap_or_default(), &mut buf);
            buf.push(b'\t');
            escape(&r["data"].to_string(), &mut buf);
            buf.push(b'\n');
            rows += 1;
        }
    }
    let mut tx = client.transaction()?;
    tx.execute("DELETE FROM bare.record WHERE cycle = $1", &[&cycle])?;
    let mut w = tx.copy_in("COPY bare.record (cycle, organisation, id, kind, data) FROM STDIN")?;
    w.write_all(&buf)?;
    w.finish()?;
    tx.commit()?;
    Ok((start.elapsed(), rows))
}
