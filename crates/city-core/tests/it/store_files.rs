//! Creating and opening stores: the frozen schema-1 fixture, newer schemas, foreign files.

use crate::support::*;
use city_core::api::{ErrorKind, RecordKind, ReviewState, SectionId, SectionState, Store};
use std::path::Path;

fn fixture_copy(dir: &Path) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/db/v1.ctstore");
    let dst = dir.join("v1.ctstore");
    std::fs::copy(src, &dst).unwrap();
    dst
}

#[test]
fn the_frozen_schema_1_store_still_opens_and_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture_copy(dir.path());
    let mut store = Store::open(&path).unwrap();
    let returns = store.returns().unwrap();
    let cycles: Vec<_> = returns.iter().map(|r| r.cycle.as_str()).collect();
    assert_eq!(cycles, ["2026-27", "2027-28"]);
    assert_eq!(returns[0].organisation.name, "Camden");
    assert_eq!(returns[1].carried_from.as_deref(), Some("2026-27"));

    let old = store
        .list(Some("2026-27"), RecordKind::System, true)
        .unwrap();
    assert_eq!(old.len(), 2);
    assert!(
        old.iter()
            .any(|s| s.label == "Old intranet" && s.deleted_at.is_some())
    );
    let new = store
        .list(Some("2027-28"), RecordKind::System, false)
        .unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(
        new[0].id, old[0].id,
        "carried-forward records keep their UUIDs"
    );
    assert_eq!(new[0].review_state, ReviewState::ToReview);
    let contracts = store
        .list(Some("2027-28"), RecordKind::Contract, false)
        .unwrap();
    assert_eq!(contracts[0].label, "Housing management system (CAM-0001)");
    let status = store.status(Some("2027-28")).unwrap();
    let systems = status
        .sections
        .iter()
        .find(|s| s.section == SectionId::Systems)
        .unwrap();
    assert_eq!(systems.state, SectionState::InProgress);
    store.integrity_check().unwrap();
}

#[test]
fn a_store_from_a_newer_schema_is_refused_and_left_untouched() {
    let t = TempStore::camden();
    let path = t.path();
    drop(t.store);
    let mut raw = bytes(&path);
    // SQLite keeps user_version (the schema version) at byte offset 60, big-endian.
    raw[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(&path, &raw).unwrap();

    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.kind, ErrorKind::IncompatibleStore);
    assert!(err.message.contains("newer version"), "{}", err.message);
    assert!(err.message.contains("99"), "{}", err.message);
    assert_eq!(
        bytes(&path),
        raw,
        "the refused store must be byte-for-byte unchanged"
    );
}

#[test]
fn files_that_are_not_stores_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        (
            "text.ctstore",
            b"hello, this is not a database at all, just some words".to_vec(),
        ),
        ("empty.ctstore", Vec::new()),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, &content).unwrap();
        let err = Store::open(&p).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotAStore, "{name}: {}", err.message);
        assert_eq!(bytes(&p), content, "{name} changed");
    }
    let missing = Store::open(&dir.path().join("nope.ctstore")).unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    assert!(!dir.path().join("nope.ctstore").exists());
}

#[test]
fn create_refuses_an_existing_file_and_bad_organisations() {
    let t = TempStore::camden();
    let before = bytes(&t.path());
    let err = Store::create(&t.path(), "E09000007", "2026-27", &ctx()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert_eq!(bytes(&t.path()), before);

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.ctstore");
    let err = Store::create(&p, "E09000099", "2026-27", &ctx()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(err.message.contains("E09000099"), "{}", err.message);
    let err = Store::create(&p, "E09000007", "2026-28", &ctx()).unwrap_err();
    assert!(err.message.contains("2026-28"), "{}", err.message);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing left behind"
    );
}

#[test]
fn other_organisations_can_be_added_by_scheme_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let new = city_core::api::NewStore {
        organisation: "gb-lae:GLA".into(),
        organisation_name: Some("Greater London Authority".into()),
        cycle: "2026-27".into(),
    };
    let mut s = Store::create_for(&dir.path().join("gla.ctstore"), &new, &ctx()).unwrap();
    let st = s.status(None).unwrap();
    assert_eq!(st.organisation.id, "gb-lae:GLA");
    assert_eq!(st.organisation.name, "Greater London Authority");
}

fn fixture(name: &str, dir: &Path) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/db")
        .join(name);
    let dst = dir.join(name);
    std::fs::copy(src, &dst).unwrap();
    dst
}

#[test]
fn the_frozen_schema_2_stores_still_open_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut borough = Store::open(&fixture("v2-borough.ctstore", dir.path())).unwrap();
    let sent = borough.sent_bundles(None).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].seq, 1);
    assert!(sent[0].file.starts_with("E09000007_2026-27_r1"));

    let mut central = Store::open(&fixture("v2-central.ctstore", dir.path())).unwrap();
    let keys = central.keyring().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].organisation, "gss:E09000007");
    let q = central.quarantine().unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].claimed_organisation, "gss:E09000003");
    let t = central.tracker("2026-27").unwrap();
    assert_eq!(t.received, 1);
    let systems = central
        .list(Some("2026-27"), RecordKind::System, false)
        .unwrap();
    assert_eq!(systems[0].label, "Civica APP");
    central.integrity_check().unwrap();
}

#[test]
fn the_frozen_schema_3_central_store_opens_with_its_alias_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let mut central = Store::open(&fixture("v3-central.ctstore", dir.path())).unwrap();
    let decisions = central.alias_decisions().unwrap();
    assert_eq!(decisions.len(), 2);
    assert!(decisions[0].confirmed && decisions[0].current);
    assert_eq!(decisions[0].label_a, "Northgate Pubic Services");
    assert_eq!(decisions[0].decided_by, "fixture");
    assert!(!decisions[1].confirmed);
    assert_eq!(
        (decisions[1].name_a.as_str(), decisions[1].name_b.as_str()),
        ("capita", "civica")
    );
    let a = central.analysis("2026-27").unwrap();
    assert_eq!(a.organisations(), 2);
    let n = a.normalisation();
    // Civica by its Companies House number (written with and without the leading zero), and
    // Northgate's two spellings through the confirmed alias: 2 suppliers, no suggestions left.
    assert_eq!(n.suppliers.len(), 2, "{:#?}", n.suppliers);
    assert!(
        n.suppliers
            .iter()
            .any(|e| e.key == "ch:01628868" && e.organisations.len() == 2)
    );
    assert!(
        n.suppliers
            .iter()
            .any(|e| e.matched_by.contains(&"confirmed alias".to_string()))
    );
    assert!(n.suggestions.is_empty());
    central.integrity_check().unwrap();
}

#[test]
fn the_frozen_schema_4_central_store_opens_and_reads_its_merged_return() {
    let dir = tempfile::tempdir().unwrap();
    let mut central = Store::open(&fixture("v4-central.ctstore", dir.path())).unwrap();
    let t = central.tracker("2026-27").unwrap();
    assert_eq!(t.received, 1);
    let contracts = central
        .list(Some("2026-27"), RecordKind::Contract, false)
        .unwrap();
    assert_eq!(contracts.len(), 1);
    assert_eq!(contracts[0].label, "Housing system support");
    let systems = central
        .list(Some("2026-27"), RecordKind::System, false)
        .unwrap();
    assert_eq!(systems[0].label, "Civica CX Housing");
    central.integrity_check().unwrap();
}

#[test]
fn a_schema_2_central_store_migrates_forward_for_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let mut central = Store::open(&fixture("v2-central.ctstore", dir.path())).unwrap();
    assert!(central.alias_decisions().unwrap().is_empty());
    let a = central.analysis("2026-27").unwrap();
    assert_eq!(a.organisations(), 1);
    let d = central
        .decide_alias_names(
            "2026-27",
            city_core::api::AliasKind::Product,
            "Civica APP",
            "APP",
            true,
            "",
            &ctx(),
        )
        .unwrap();
    assert!(d.current);
    assert_eq!(central.alias_decisions().unwrap().len(), 1);
}

/// The app's folder keeps one store per organisation: a second start for the same one is
/// refused with the way to its store; an organisation not on the list is a validation error.
#[test]
fn an_organisation_has_one_store_in_the_apps_folder() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::create_in_folder(dir.path(), "E09000007", "2026-27", &ctx()).unwrap();
    assert_eq!(s.path(), dir.path().join("E09000007.ctstore"));
    drop(s);
    let e = Store::create_in_folder(dir.path(), "gss:E09000007", "2027-28", &ctx()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert!(
        e.message.starts_with("Camden already has a store"),
        "{}",
        e.message
    );
    let e = Store::create_in_folder(dir.path(), "Camden", "2026-27", &ctx()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A schema-5 store (record texts written in full, every empty field `null` or `[]`) opens
/// under schema 6, reads every record back exactly as it was stored, keeps its history and
/// undo, and writes new texts without empty fields that read back the same.
#[test]
fn the_frozen_schema_5_store_reads_back_its_records_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("v5-borough.ctstore", dir.path());
    // The texts as schema 5 wrote them, read before the store is opened (and migrated).
    let stored: std::collections::BTreeMap<String, (String, serde_json::Value)> = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 5);
        let mut stmt = conn.prepare("SELECT id, kind, data FROM record").unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            ))
        })
        .unwrap()
        .map(|row| {
            let (id, (kind, data)) = row.unwrap();
            assert!(data.contains("null"), "schema 5 wrote empty fields: {data}");
            (id, (kind, serde_json::from_str(&data).unwrap()))
        })
        .collect()
    };
    assert_eq!(stored.len(), 119);
    let mut store = Store::open(&path).unwrap();
    let mut read = 0;
    for kind in [
        RecordKind::Supplier,
        RecordKind::System,
        RecordKind::Contract,
    ] {
        for r in store.list(Some("2026-27"), kind, true).unwrap() {
            let (stored_kind, fields) = &stored[&r.id.to_string()];
            assert_eq!(stored_kind, kind.id());
            assert_eq!(&r.record.to_json(), fields, "{}", r.label);
            read += 1;
        }
    }
    assert_eq!(read, stored.len());
    let deleted = store
        .list(Some("2026-27"), RecordKind::System, true)
        .unwrap()
        .into_iter()
        .filter(|s| s.deleted_at.is_some())
        .count();
    assert_eq!(deleted, 1);
    let history = store.history(Some("2026-27"), 500).unwrap();
    assert_eq!(history.len(), 122);
    // The newest entry is the import's last record: undoing it deletes that record.
    let c = ctx();
    let undone = store.undo(Some("2026-27"), &c).unwrap();
    assert_eq!(undone.undone, "add");
    let gone = store
        .get(Some("2026-27"), undone.kind, &undone.id.to_string())
        .unwrap();
    assert!(gone.deleted_at.is_some());
    // The contract updated under schema 5 is written again under 6: compact, and the same.
    let contract = store
        .list(Some("2026-27"), RecordKind::Contract, false)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "Housing system support")
        .unwrap();
    let mut fields = contract.record.to_json();
    fields["notes"] = serde_json::json!("checked");
    let updated = store
        .update(
            Some("2026-27"),
            RecordKind::Contract,
            &contract.id.to_string(),
            serde_json::json!({"notes": "checked"}),
            &c,
        )
        .unwrap();
    assert_eq!(updated.record.to_json(), fields);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let text: String = conn
        .query_row(
            "SELECT data FROM record WHERE id = ?1",
            [contract.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!text.contains("null") && !text.contains("[]"), "{text}");
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'record_by_kind'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 0);
    let mut store = Store::open(&path).unwrap();
    store.integrity_check().unwrap();
}

/// A schema-6 store (the `record` table a rowid table whose key is a second b-tree, the audit
/// log indexed by return) opens under schema 7 with every row of `record` and `audit` as it
/// was, its records read back, its history newest first and its undo as before; the table is
/// then kept in its key's order and the log's index is gone.
#[test]
fn the_frozen_schema_6_store_keeps_every_row_and_its_history() {
    type Rows = Vec<Vec<Option<String>>>;
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("v6-borough.ctstore", dir.path());
    let dump = |conn: &rusqlite::Connection, sql: &str| -> Rows {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => None,
                        v => Some(format!("{v:?}")),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    const RECORDS: &str = "SELECT * FROM record ORDER BY return_id, id";
    const AUDIT: &str = "SELECT * FROM audit ORDER BY seq";
    let (records, audit) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 6);
        (dump(&conn, RECORDS), dump(&conn, AUDIT))
    };
    assert_eq!((records.len(), audit.len()), (119, 122));
    let mut store = Store::open(&path).unwrap();
    let mut read = 0;
    for kind in [
        RecordKind::Supplier,
        RecordKind::System,
        RecordKind::Contract,
    ] {
        read += store.list(Some("2026-27"), kind, true).unwrap().len();
    }
    assert_eq!(read, records.len());
    let history = store.history(Some("2026-27"), 500).unwrap();
    assert_eq!(history.len(), 122);
    assert!(history.windows(2).all(|w| w[0].seq > w[1].seq));
    assert_eq!(history.last().unwrap().action, "create_store");
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(dump(&conn, RECORDS), records);
        assert_eq!(dump(&conn, AUDIT), audit);
        let (sql, indexes): (String, i64) = conn
            .query_row(
                "SELECT (SELECT sql FROM sqlite_schema WHERE name = 'record'),
                        (SELECT count(*) FROM sqlite_schema WHERE name = 'audit_by_return')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(sql.ends_with("WITHOUT ROWID"), "{sql}");
        assert_eq!(indexes, 0);
    }
    // The newest entry is the import's last record: undoing it deletes that record, and the
    // entry is then marked undone.
    let mut store = Store::open(&path).unwrap();
    let c = ctx();
    let undone = store.undo(Some("2026-27"), &c).unwrap();
    assert_eq!(undone.undone, "add");
    let gone = store
        .get(Some("2026-27"), undone.kind, &undone.id.to_string())
        .unwrap();
    assert!(gone.deleted_at.is_some());
    let history = store.history(Some("2026-27"), 2).unwrap();
    assert_eq!(history[0].action, "undo");
    assert!(history[1].undone);
    store.integrity_check().unwrap();
}
