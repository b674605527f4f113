//! `city publish postgres` against a real PostgreSQL started by the test (`pg_cluster`): the
//! London data set published, then again with no row changed (table hashes, row versions);
//! other cycles untouched; every table and column commented; what `citytools` holds equal to
//! the committee workbook (counts and sums per sheet, the workbook read back with calamine); a
//! connection dropped half-way leaving the previous publication whole; a newer schema refused
//! untouched; no sensitive value in a committee or open database; a central store's returns
//! with their received time, sequence and signer.

use crate::pg_cluster::Cluster;
use crate::publish::{NOTE, VULN, full_values, planted_returns};
use crate::support::ctx;
use calamine::{Data, Reader};
use city_core::api::{self, Context, ErrorKind, ExportProfile, PgConnection, Store};
use postgres::Client;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn london() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/london/returns.json")
}

fn conn(pg: &Cluster, db: &str) -> PgConnection {
    PgConnection {
        url: Some(pg.conninfo(db)),
        env: Vec::new(),
    }
}

fn publish(
    returns: &Path,
    profile: ExportProfile,
    c: &PgConnection,
    ctx: &Context,
) -> Result<api::PgPublishOutcome, api::Error> {
    api::publish_postgres_from_returns(returns, None, profile, c, ctx, &mut |_| {})
}

fn tables(c: &mut Client) -> Vec<String> {
    c.query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'citytools' AND table_type = 'BASE TABLE' ORDER BY 1",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn has_cycle(c: &mut Client, table: &str) -> bool {
    c.query_one(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'citytools' AND table_name = $1 AND column_name = 'cycle'",
        &[&table],
    )
    .unwrap()
    .get::<_, i64>(0)
        > 0
}

/// Per table: a hash of its rows' content and a hash of their row versions (`xmin`, `ctid`:
/// any rewrite of a row changes them), for the rows of `cycle` (every row when `None` or the
/// table has no cycle).
fn hashes(c: &mut Client, cycle: Option<&str>) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for t in tables(c) {
        let filter = match cycle {
            Some(cy) if has_cycle(c, &t) => format!("WHERE cycle = '{cy}'"),
            _ => String::new(),
        };
        let row = c
            .query_one(
                &format!(
                    "SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), ''), \
                     coalesce(md5(string_agg(x.xmin::text || x.ctid::text, '|' ORDER BY x.ctid)), '') \
                     FROM citytools.{t} x {filter}"
                ),
                &[],
            )
            .unwrap();
        out.insert(t, (row.get(0), row.get(1)));
    }
    out
}

fn count(c: &mut Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

/// The London returns under another cycle.
fn as_cycle(dir: &Path, cycle: &str) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(london()).unwrap()).unwrap();
    v["cycle"] = cycle.into();
    let p = dir.join(format!("{cycle}.json"));
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    p
}

fn next_day(ctx: &Context) -> Context {
    Context {
        now: ctx.now + chrono::Duration::days(1),
        ..ctx.clone()
    }
}

#[test]
fn publishing_london_again_changes_no_row_and_leaves_other_cycles_alone() {
    let Some(pg) = Cluster::start() else { return };
    let c = conn(&pg, "postgres");
    let first = publish(&london(), ExportProfile::Committee, &c, &ctx()).unwrap();
    assert!(!first.unchanged);
    assert_eq!((first.organisations, first.cycle.as_str()), (33, "2026-27"));
    assert_eq!(first.schema_version, 3);
    let mut db = pg.client("postgres");
    let rows = |name: &str| {
        first
            .tables
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.rows)
            .unwrap()
    };
    assert!(
        rows("system") > 300 && rows("contract") > 300,
        "{:?}",
        first.tables
    );
    assert_eq!(
        count(&mut db, "SELECT count(*) FROM citytools.system"),
        rows("system") as i64
    );
    let before = hashes(&mut db, None);
    assert!(before.len() > 25, "{before:?}");

    let second = publish(&london(), ExportProfile::Committee, &c, &ctx()).unwrap();
    assert!(second.unchanged, "the same rows again changed something");
    assert_eq!(second.source_hash, first.source_hash);
    assert_eq!(hashes(&mut db, None), before, "a row changed");

    // Another cycle, then this cycle again with other rows (a day later, days to decision
    // move): the other cycle's rows are not touched, this one's are replaced.
    let dir = tempfile::tempdir().unwrap();
    publish(
        &as_cycle(dir.path(), "2025-26"),
        ExportProfile::Committee,
        &c,
        &ctx(),
    )
    .unwrap();
    let other = hashes(&mut db, Some("2025-26"));
    let this = hashes(&mut db, Some("2026-27"));
    let third = publish(&london(), ExportProfile::Committee, &c, &next_day(&ctx())).unwrap();
    assert!(!third.unchanged);
    assert_ne!(third.source_hash, first.source_hash);
    assert_eq!(
        hashes(&mut db, Some("2025-26")),
        other,
        "another cycle changed"
    );
    assert_ne!(
        hashes(&mut db, Some("2026-27"))["contract"],
        this["contract"]
    );
    // The replacing partitions, copied into with no index, got every index of their table
    // when attached, and nothing of their filling is left.
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
             JOIN pg_class c ON c.oid = i.inhrelid \
             WHERE p.relnamespace = 'citytools'::regnamespace \
             AND (SELECT count(*) FROM pg_index x WHERE x.indrelid = c.oid) \
              <> (SELECT count(*) FROM pg_index x WHERE x.indrelid = p.oid)"
        ),
        0,
        "a partition lacks an index of its table"
    );
    assert!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             WHERE c.relnamespace = 'citytools_cycle'::regnamespace AND c.relname LIKE '%2026_27' AND k.contype = 'p'"
        ) > 20
    );
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_class c LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.conname = 'citytools_new_cycle' \
             WHERE c.relnamespace = 'citytools_cycle'::regnamespace AND (c.relname LIKE '%\\_\\_new' OR k.oid IS NOT NULL)"
        ),
        0,
        "a fresh table or its CHECK was left"
    );
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM citytools.publication WHERE profile = 'committee' AND marking = 'OFFICIAL'"
        ),
        2
    );

    // A database of schema version 2 holding both cycles is brought up to date by the next
    // publication: its rows kept (the same rows again: nothing changed), one partition per
    // table and cycle, and a publication after that replaces the cycle's partitions.
    pg.create_db("v2");
    let mut old = pg.client("v2");
    let sql = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/publish/postgres/migrations");
    for (v, name) in [(1, "0001_citytools"), (2, "0002_foreign_key_indexes")] {
        old.batch_execute(&std::fs::read_to_string(sql.join(format!("{name}.sql"))).unwrap())
            .unwrap();
        old.execute(
            "INSERT INTO citytools.schema_migration (version, name) VALUES ($1, $2)",
            &[&v, &name],
        )
        .unwrap();
    }
    let made: Vec<String> = old
        .query(
            "SELECT relname::text FROM pg_class WHERE relnamespace = 'citytools'::regnamespace \
             AND relkind = 'r' AND relname <> 'schema_migration' ORDER BY oid",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(made.len(), before.len() - 1, "{made:?}");
    for t in &made {
        let mut rows = Vec::new();
        std::io::Read::read_to_end(
            &mut db
                .copy_out(&format!("COPY (SELECT * FROM citytools.{t}) TO STDOUT"))
                .unwrap(),
            &mut rows,
        )
        .unwrap();
        let mut w = old
            .copy_in(&format!("COPY citytools.{t} FROM STDIN"))
            .unwrap();
        std::io::Write::write_all(&mut w, &rows).unwrap();
        w.finish().unwrap();
    }
    let v2 = conn(&pg, "v2");
    let again = publish(&london(), ExportProfile::Committee, &v2, &next_day(&ctx())).unwrap();
    assert!(again.unchanged && again.schema_version == 3, "{again:?}");
    // Every table's rows but the migrations' (applied at other times).
    let content = |h: BTreeMap<String, (String, String)>| -> BTreeMap<String, String> {
        h.into_iter()
            .filter(|(t, _)| t != "schema_migration")
            .map(|(t, (c, _))| (t, c))
            .collect()
    };
    assert_eq!(
        content(hashes(&mut old, None)),
        content(hashes(&mut db, None)),
        "the upgrade changed a row"
    );
    let partitions = |c: &mut Client| {
        count(
            c,
            "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent \
             JOIN pg_class c ON c.oid = i.inhrelid \
             WHERE p.relnamespace = 'citytools'::regnamespace AND c.relnamespace = 'citytools_cycle'::regnamespace \
             AND c.relkind = 'r'",
        )
    };
    assert_eq!(partitions(&mut old), 2 * (made.len() as i64 - 2));
    assert_eq!(
        count(
            &mut old,
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'citytools' AND indexname LIKE '%\\_ix'"
        ),
        8
    );
    let other_old = hashes(&mut old, Some("2025-26"));
    let day3 = next_day(&next_day(&ctx()));
    assert!(
        !publish(&london(), ExportProfile::Committee, &v2, &day3)
            .unwrap()
            .unchanged
    );
    assert_eq!(
        hashes(&mut old, Some("2025-26")),
        other_old,
        "another cycle changed"
    );
    assert_eq!(partitions(&mut old), 2 * (made.len() as i64 - 2));
    // The same publication to both databases: the same rows.
    assert!(
        !publish(&london(), ExportProfile::Committee, &c, &day3)
            .unwrap()
            .unchanged
    );
    assert_eq!(
        content(hashes(&mut old, None)),
        content(hashes(&mut db, None))
    );

    // Every table, view and column says what it holds; the keys hold together.
    let uncommented: Vec<String> = db
        .query(
            "SELECT c.relname::text || '.' || coalesce(a.attname::text, '') FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'citytools' \
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             WHERE c.relkind IN ('r', 'p', 'v') \
             AND (coalesce(obj_description(c.oid, 'pg_class'), '') = '' \
                  OR coalesce(col_description(c.oid, a.attnum), '') = '')",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(uncommented.is_empty(), "without a comment: {uncommented:?}");
    // Columns are commented with the questionnaire's labels.
    let label = api::questionnaire()
        .records
        .into_iter()
        .flat_map(|r| r.fields.into_iter().map(move |f| (r.kind, f)))
        .find(|(k, f)| *k == api::RecordKind::Contract && f.name == "notice_period_days")
        .map(|(_, f)| f.label)
        .unwrap();
    let comment: String = db
        .query_one(
            "SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a \
             WHERE a.attrelid = 'citytools.contract'::regclass AND a.attname = 'notice_period_days'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(comment.starts_with(&label), "{comment} is not {label}");
    assert!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE n.nspname = 'citytools' AND c.contype = 'f'"
        ) > 25
    );
    // The BI views answer.
    assert!(
        count(
            &mut db,
            "SELECT count(*) FROM citytools.pipeline WHERE cycle = '2026-27'"
        ) > 10
    );
    assert!(
        count(
            &mut db,
            "SELECT count(*) FROM citytools.products_by_org WHERE organisations_using_it > 1"
        ) > 10
    );
    // Products are grouped across organisations.
    assert!(
        count(
            &mut db,
            "SELECT count(*) FROM citytools.product_group WHERE cycle = '2026-27' AND organisations >= 3"
        ) > 3
    );
}

fn snake(header: &str) -> String {
    let mut out = String::new();
    for c in header.replace('%', " pct ").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A sheet of the workbook as calamine reads it: headers and data rows.
fn sheet(
    xlsx: &mut calamine::Xlsx<std::io::BufReader<std::fs::File>>,
    name: &str,
) -> (Vec<String>, Vec<Vec<Data>>) {
    let range = xlsx.worksheet_range(name).unwrap();
    let mut rows = range.rows();
    let headers = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let data = rows
        .filter(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
        .map(<[Data]>::to_vec)
        .collect();
    (headers, data)
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// A record sheet, its table, and (header, column, pence per unit) of the numbers to sum.
type RecordSheet = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, f64)],
);

/// organisation, received, sequence, signer, received at given.
type ReturnRow = (String, bool, Option<i64>, Option<String>, bool);

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn citytools_holds_what_the_committee_workbook_shows() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let xlsx_path = dir.path().join("committee.xlsx");
    let wb = api::export_workbook_from_returns(
        &london(),
        None,
        ExportProfile::Committee,
        &xlsx_path,
        &ctx(),
        &mut |_| {},
    )
    .unwrap();
    publish(
        &london(),
        ExportProfile::Committee,
        &conn(&pg, "postgres"),
        &ctx(),
    )
    .unwrap();
    let mut db = pg.client("postgres");
    let mut xlsx: calamine::Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();

    // Record sheets: rows, and the sums of their numbers.
    let records: [RecordSheet; 5] = [
        ("Systems", "system", &[("Number of users", "users", 1.0)]),
        (
            "Contracts",
            "contract",
            &[
                ("Annual value (£)", "annual_value_pence", 100.0),
                ("Notice period in days", "notice_period_days", 1.0),
                ("Days to decision", "days_to_decision", 1.0),
            ],
        ),
        ("Suppliers", "supplier", &[]),
        ("Products", "product", &[]),
        ("Skills", "skill", &[]),
    ];
    let mut compared = 0;
    for (name, table, sums) in records {
        let (headers, rows) = sheet(&mut xlsx, name);
        assert_eq!(
            rows.len() as i64,
            count(&mut db, &format!("SELECT count(*) FROM citytools.{table}")),
            "{name}"
        );
        for (header, column, scale) in sums {
            let i = headers
                .iter()
                .position(|h| h == header)
                .unwrap_or_else(|| panic!("{name}: no {header} in {headers:?}"));
            let in_sheet: f64 = rows.iter().filter_map(|r| number(&r[i])).sum();
            let in_db: f64 = db
                .query_one(
                    &format!("SELECT coalesce(sum({column}), 0)::float8 FROM citytools.{table}"),
                    &[],
                )
                .unwrap()
                .get(0);
            assert!(
                close(in_sheet, in_db / scale),
                "{name}.{header}: {in_sheet} vs {in_db}"
            );
            assert!(in_sheet != 0.0, "{name}.{header} sums to nothing");
            compared += 1;
        }
    }
    let (_, status) = sheet(&mut xlsx, "Returns status");
    assert_eq!(
        status.len() as i64,
        count(
            &mut db,
            "SELECT count(*) FROM citytools.organisation_return"
        )
    );

    // The readiness and analysis sheets: rows, and every numeric column's sum.
    let sheets = [
        ("Readiness", "readiness"),
        ("Joint procurement windows", "joint_window"),
        ("Decision dates", "decision_date"),
        ("Supplier concentration", "concentration"),
        ("Supplier shares", "supplier_share"),
        ("CAF heatmap", "caf_heatmap"),
        ("ICO heatmap", "ico_heatmap"),
        ("Certificates", "certificate"),
        ("Systems out of support", "support"),
        ("Skills pairs", "skills_pair"),
    ];
    let names: Vec<String> = wb.sheets.iter().map(|s| s.name.clone()).collect();
    for (name, table) in sheets {
        assert!(
            names.contains(&name.to_string()),
            "no sheet {name} in {names:?}"
        );
        let (headers, rows) = sheet(&mut xlsx, name);
        assert_eq!(
            rows.len() as i64,
            count(&mut db, &format!("SELECT count(*) FROM citytools.{table}")),
            "{name}"
        );
        assert!(!rows.is_empty(), "{name} is empty");
        let cols: Vec<String> = db
            .query(
                "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'citytools' AND table_name = $1",
                &[&table],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for (i, h) in headers.iter().enumerate() {
            let values: Vec<f64> = rows
                .iter()
                .filter_map(|r| r.get(i).and_then(number))
                .collect();
            if values.is_empty() {
                continue;
            }
            let base = snake(h);
            let (column, scale) = if cols.contains(&format!("{base}_pence")) {
                (format!("{base}_pence"), 100.0)
            } else {
                (base, 1.0)
            };
            assert!(cols.contains(&column), "{name}: no column {column} for {h}");
            let in_db: f64 = db
                .query_one(
                    &format!(
                        "SELECT coalesce(sum(\"{column}\"), 0)::float8 FROM citytools.{table}"
                    ),
                    &[],
                )
                .unwrap()
                .get(0);
            let in_sheet: f64 = values.iter().sum();
            assert!(
                close(in_sheet, in_db / scale),
                "{name}.{h}: {in_sheet} vs {in_db}"
            );
            compared += 1;
        }
    }
    assert!(compared > 30, "compared only {compared} sums");
}

#[test]
fn a_connection_dropped_half_way_leaves_the_previous_publication_whole() {
    let Some(pg) = Cluster::start() else { return };
    let c = conn(&pg, "postgres");
    publish(&london(), ExportProfile::Committee, &c, &ctx()).unwrap();
    let mut db = pg.client("postgres");
    let before = hashes(&mut db, None);

    // A publication with other rows, its connection terminated from a second one as it
    // copies the contracts (system, supplier and product rows already sent).
    let mut killer = pg.client("postgres");
    let mut killed = 0;
    let e = api::publish_postgres_from_returns(
        &london(),
        None,
        ExportProfile::Committee,
        &c,
        &next_day(&ctx()),
        &mut |p| {
            if p.stage == "Copying citytools.contract" {
                killed = killer
                    .query_one(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'city-tools publish'",
                        &[],
                    )
                    .unwrap()
                    .get::<_, i64>(0);
            }
        },
    )
    .unwrap_err();
    assert_eq!(killed, 1, "the publication's connection was not found");
    assert!(
        matches!(e.kind, ErrorKind::Io | ErrorKind::Storage),
        "{e:?}"
    );
    assert!(e.message.contains("nothing was changed"), "{}", e.message);
    assert_eq!(hashes(&mut db, None), before, "the old publication changed");

    // A schema written by a newer City Tools is refused, untouched.
    db.batch_execute(
        "INSERT INTO citytools.schema_migration (version, name) VALUES (99, '0099_future')",
    )
    .unwrap();
    let before = hashes(&mut db, None);
    let e = publish(&london(), ExportProfile::Committee, &c, &next_day(&ctx())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::IncompatibleStore, "{e:?}");
    assert!(e.message.contains("version 99"), "{}", e.message);
    assert_eq!(hashes(&mut db, None), before);

    // A citytools schema City Tools did not make is refused too.
    pg.create_db("other");
    let mut other = pg.client("other");
    other
        .batch_execute("CREATE SCHEMA citytools; CREATE TABLE citytools.mine (x int)")
        .unwrap();
    let e = publish(
        &london(),
        ExportProfile::Committee,
        &conn(&pg, "other"),
        &ctx(),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotAStore, "{e:?}");
    assert_eq!(
        count(
            &mut other,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'citytools'"
        ),
        1
    );
}

/// Every value of every table, as text.
fn everything(c: &mut Client) -> String {
    let mut out = String::new();
    for t in tables(c) {
        for r in c
            .query(&format!("SELECT x::text FROM citytools.{t} x"), &[])
            .unwrap()
        {
            out.push_str(&r.get::<_, String>(0));
            out.push('\n');
        }
    }
    out
}

#[test]
fn no_sensitive_value_reaches_a_committee_or_open_database() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let returns = planted_returns(dir.path());
    let (sensitive, out_of_support) = full_values(&returns);
    assert!(sensitive.len() > 3 && !out_of_support.is_empty());
    let security = [
        "system_security",
        "system_caf",
        "cyber_security",
        "cyber_caf",
    ];
    for (db, profile) in [
        ("db_full", ExportProfile::Full),
        ("db_committee", ExportProfile::Committee),
        ("db_open", ExportProfile::Open),
    ] {
        pg.create_db(db);
        let o = publish(&returns, profile, &conn(&pg, db), &ctx()).unwrap();
        assert_eq!(o.marking, profile.marking());
        let mut c = pg.client(db);
        let all = everything(&mut c);
        let found: Vec<&String> = sensitive
            .iter()
            .filter(|v| all.contains(v.as_str()))
            .collect();
        let held: i64 = security
            .iter()
            .map(|t| count(&mut c, &format!("SELECT count(*) FROM citytools.{t}")))
            .sum();
        if profile == ExportProfile::Full {
            // The search finds what is there.
            assert!(
                all.contains(VULN) && found.len() == sensitive.len(),
                "full lacks {found:?}"
            );
            assert!(held > 100);
            continue;
        }
        assert!(found.is_empty(), "{db} holds sensitive values {found:?}");
        assert_eq!(held, 0, "{db} has rows in a security table");
        assert_eq!(
            all.contains(NOTE),
            profile == ExportProfile::Committee,
            "{db}: notes"
        );
        if profile == ExportProfile::Open {
            assert_eq!(
                count(
                    &mut c,
                    "SELECT count(*) FROM citytools.system WHERE support_status IS NOT NULL OR end_of_support IS NOT NULL"
                ),
                0
            );
            assert_eq!(
                count(&mut c, "SELECT count(*) FROM citytools.caf_heatmap"),
                0
            );
            assert_eq!(
                count(
                    &mut c,
                    "SELECT count(*) FROM citytools.readiness WHERE systems_not_patched_within_14_days IS NOT NULL"
                ),
                0
            );
        } else {
            assert!(
                count(
                    &mut c,
                    "SELECT count(*) FROM citytools.readiness WHERE systems_not_patched_within_14_days IS NOT NULL"
                ) > 0
            );
        }
    }
}

#[test]
fn a_central_store_publishes_its_returns_with_their_bundles() {
    let Some(pg) = Cluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = crate::exports::central(dir.path());
    let c = conn(&pg, "postgres");
    let o = Store::open(&path)
        .unwrap()
        .publish_postgres(
            Some("2026-27"),
            ExportProfile::Committee,
            &c,
            &ctx(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(o.organisations, 2);
    let mut db = pg.client("postgres");
    let received: Vec<ReturnRow> = db
        .query(
            "SELECT organisation, received, sequence, signer_key_id, received_at IS NOT NULL \
             FROM citytools.organisation_return WHERE received ORDER BY organisation",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    assert_eq!(received.len(), 2, "{received:?}");
    assert!(
        received
            .iter()
            .all(|r| r.2.is_some() && r.3.is_some() && r.4),
        "{received:?}"
    );
    assert!(
        count(
            &mut db,
            "SELECT count(*) FROM citytools.organisation_return WHERE NOT received"
        ) >= 31
    );
    assert_eq!(
        db.query_one("SELECT source FROM citytools.publication", &[])
            .unwrap()
            .get::<_, String>(0),
        path.file_name().unwrap().to_string_lossy()
    );
    let again = Store::open(&path)
        .unwrap()
        .publish_postgres(None, ExportProfile::Committee, &c, &ctx(), &mut |_| {})
        .unwrap();
    assert!(again.unchanged);

    let mut borough = crate::bundles::borough(dir.path(), "E09000001", "city");
    let e = borough
        .publish_postgres(None, ExportProfile::Committee, &c, &ctx(), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
}
