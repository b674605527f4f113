//! Publishing to PostgreSQL at London and national scale: `publish_postgres_from_returns`
//! (committee profile, replacing the cycle's earlier publication) against a bare `COPY` of the
//! same records read from the same returns file (one row per record: cycle, organisation, id,
//! kind and its fields as `jsonb`, into a table with a primary key, in one transaction), on a
//! throwaway cluster it starts (crate `pg-throwaway`: Debian's server in a temporary folder,
//! reached over a Unix socket). Figures only.

use anyhow::{Context as _, Result, anyhow, bail};
use city_core::api::{self, ExportProfile, PgConnection, RecordKind};
use postgres::Client;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The benchmark's throwaway cluster, with the settings a BI database would have on this
/// machine; durability is left on.
pub(crate) struct Cluster(pg_throwaway::Cluster);

impl Cluster {
    pub(crate) fn start() -> Result<Cluster> {
        Ok(Cluster(pg_throwaway::Cluster::start(&[
            "shared_buffers=256MB",
            "max_wal_size=4GB",
        ])?))
    }

    pub(crate) fn conninfo(&self) -> String {
        self.0.conninfo("postgres")
    }

    pub(crate) fn client(&self) -> Result<Client> {
        Ok(self.0.client("postgres")?)
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
