//! The numbered, append-only schema migrations of a store, applied with `rusqlite_migration`
//! (the schema version lives in SQLite's `user_version`). A shipped migration is never edited.

use rusqlite_migration::{M, Migrations};

/// Every migration, in order; the position + 1 is the schema version it produces.
const STEPS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_bundles.sql"),
    include_str!("migrations/0003_analysis.sql"),
    include_str!("migrations/0004_checks_as_comparisons.sql"),
    include_str!("migrations/0005_json_checked_by_the_writer.sql"),
    include_str!("migrations/0006_records_found_by_key.sql"),
    include_str!("migrations/0007_records_keyed_without_rowid.sql"),
];

/// The schema version this build writes.
pub(crate) const LATEST_VERSION: i64 = STEPS.len() as i64;

/// The migrations as `rusqlite_migration` wants them.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    /// Schema 4 rewrote the record table's CHECKs on `kind` and `review_state`: the same
    /// values are accepted and refused as under schema 3, and rows survive the upgrade.
    #[test]
    fn record_checks_accept_and_refuse_the_same_values_after_schema_4() {
        use rusqlite::{Connection, params};
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        super::migrations().to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO organisation VALUES ('gss:E09000007', 'gss', 'E09000007', 'Camden');
             INSERT INTO cycle VALUES ('2026-27', '2026.1');
             INSERT INTO survey_return VALUES ('r', 'gss:E09000007', '2026-27', NULL, 't');",
        )
        .unwrap();
        let insert = |conn: &Connection, id: &str, kind: &str, state: &str, ret: &str| {
            conn.execute(
                "INSERT INTO record VALUES (?1, ?2, ?3, '{}', ?4, 't', 't', NULL)",
                params![ret, id, kind, state],
            )
            .is_ok()
        };
        let kinds = [
            "system", "contract", "supplier", "product", "skill", "gdpr", "cyber",
        ];
        let states = ["to_review", "confirmed", "changed", "new", "retired"];
        let check = |conn: &Connection, version: u8| {
            for (i, kind) in kinds.iter().enumerate() {
                let id = format!("v{version}-{kind}");
                assert!(insert(conn, &id, kind, states[i % states.len()], "r"));
            }
            for state in states {
                assert!(insert(
                    conn,
                    &format!("v{version}-{state}"),
                    "skill",
                    state,
                    "r"
                ));
            }
            for bad in ["System", "systems", "", "gdpr ", "audit"] {
                assert!(
                    !insert(conn, &format!("v{version}-bad"), bad, "new", "r"),
                    "{bad}"
                );
                assert!(
                    !insert(conn, &format!("v{version}-bad"), "skill", bad, "r"),
                    "{bad}"
                );
            }
            // The foreign key to the return still holds.
            assert!(!insert(
                conn,
                &format!("v{version}-orphan"),
                "skill",
                "new",
                "nope"
            ));
        };
        check(&conn, 3);
        super::migrations().to_version(&mut conn, 4).unwrap();
        let kept: i64 = conn
            .query_row(
                "SELECT count(*) FROM record WHERE id LIKE 'v3-%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, (kinds.len() + states.len()) as i64);
        check(&conn, 4);
        let index: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'record_by_kind'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
    }

    /// Schema 4 also rewrote the audit table's CHECK on `action`: the same actions are
    /// accepted and refused, entries keep their sequence numbers and undo links, and new
    /// entries continue the sequence.
    #[test]
    fn audit_checks_accept_and_refuse_the_same_actions_after_schema_4() {
        use rusqlite::{Connection, params};
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        super::migrations().to_version(&mut conn, 3).unwrap();
        let actions = [
            "create_store",
            "add",
            "update",
            "delete",
            "restore",
            "review",
            "carry_forward",
            "undo",
        ];
        let insert = |conn: &Connection, action: &str| {
            conn.execute(
                "INSERT INTO audit (at, actor, action) VALUES ('t', 'a', ?1)",
                params![action],
            )
            .is_ok()
        };
        let check = |conn: &Connection| {
            for action in actions {
                assert!(insert(conn, action), "{action}");
            }
            for bad in ["Add", "adds", "", "undo ", "carry forward"] {
                assert!(!insert(conn, bad), "{bad}");
            }
        };
        check(&conn);
        conn.execute("UPDATE audit SET undone_by = 8 WHERE seq = 2", [])
            .unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let (count, max, undone): (i64, i64, i64) = conn
            .query_row(
                "SELECT count(*), max(seq), (SELECT undone_by FROM audit WHERE seq = 2) FROM audit",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((count, max, undone), (8, 8, 8));
        check(&conn);
        let next: i64 = conn
            .query_row("SELECT min(seq) FROM audit WHERE seq > 8", [], |r| r.get(0))
            .unwrap();
        assert_eq!(next, 9);
        // The undo link still refers to the audit table itself.
        assert!(
            conn.execute("UPDATE audit SET undone_by = 999 WHERE seq = 1", [])
                .is_err()
        );
    }
    /// Schema 5 dropped `json_valid` from the record and audit tables' CHECKs: a JSON object is
    /// still required to start as one, every other CHECK holds, and rows and audit entries
    /// survive the upgrade with their sequence.
    #[test]
    fn schema_5_keeps_rows_and_asks_only_for_an_object() {
        use rusqlite::{Connection, params};
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        super::migrations().to_version(&mut conn, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO organisation VALUES ('gss:E09000007', 'gss', 'E09000007', 'Camden');
             INSERT INTO cycle VALUES ('2026-27', '2026.1');
             INSERT INTO survey_return VALUES ('r', 'gss:E09000007', '2026-27', NULL, 't');
             INSERT INTO record VALUES ('r', 'a', 'system', '{\"name\":\"A\"}', 'new', 't', 't', NULL);
             INSERT INTO audit (at, actor, action, return_id, record_id, kind, after)
                 VALUES ('t', 'x', 'add', 'r', 'a', 'system', '{\"data\":{}}');",
        )
        .unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let record = |conn: &Connection, id: &str, kind: &str, data: &str| {
            conn.execute(
                "INSERT INTO record VALUES ('r', ?1, ?2, ?3, 'new', 't', 't', NULL)",
                params![id, kind, data],
            )
            .is_ok()
        };
        assert!(record(&conn, "b", "contract", "{\"title\":\"B\"}"));
        for (id, bad) in [("c", "x"), ("d", "[1]"), ("e", ""), ("f", "\"{\"")] {
            assert!(!record(&conn, id, "contract", bad), "{bad}");
        }
        assert!(
            !record(&conn, "g", "System", "{}"),
            "the kind is still checked"
        );
        let audit = |conn: &Connection, before: Option<&str>, after: Option<&str>| {
            conn.execute(
                "INSERT INTO audit (at, actor, action, before, after) VALUES ('t', 'x', 'update', ?1, ?2)",
                params![before, after],
            )
            .is_ok()
        };
        assert!(audit(&conn, None, None));
        assert!(audit(&conn, Some("{}"), Some("{\"data\":{}}")));
        assert!(!audit(&conn, Some("null"), None));
        assert!(!audit(&conn, None, Some("1")));
        let (records, seq): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM record), (SELECT min(seq) FROM audit WHERE record_id = 'a')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((records, seq), (2, 1));
    }

    /// Schema 6 drops `record_by_kind`: rows survive, a return's records are still read by
    /// the primary key's index, and inserts keep every CHECK.
    #[test]
    fn schema_6_reads_a_returns_records_by_the_primary_key() {
        use rusqlite::Connection;
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        super::migrations().to_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO organisation VALUES ('gss:E09000007', 'gss', 'E09000007', 'Camden');
             INSERT INTO cycle VALUES ('2026-27', '2026.1');
             INSERT INTO survey_return VALUES ('r', 'gss:E09000007', '2026-27', NULL, 't');
             INSERT INTO record VALUES ('r', 'a', 'system', '{\"name\":\"A\",\"notes\":null}', 'new', 't', 't', NULL);",
        )
        .unwrap();
        super::migrations().to_version(&mut conn, 6).unwrap();
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'record_by_kind'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 0);
        let data: String = conn
            .query_row(
                "SELECT data FROM record WHERE return_id = 'r' AND id = 'a'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(data, "{\"name\":\"A\",\"notes\":null}");
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT * FROM record WHERE return_id = ?1
                   AND (?2 IS NULL OR kind = ?2) AND (?3 OR deleted_at IS NULL)",
                rusqlite::params!["r", "system", false],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("sqlite_autoindex_record_1"), "{plan}");
        assert!(
            conn.execute(
                "INSERT INTO record VALUES ('r', 'b', 'System', '{}', 'new', 't', 't', NULL)",
                []
            )
            .is_err()
        );
    }

    /// Schema 7 stores `record` in its primary key's order (`WITHOUT ROWID`: one b-tree, no
    /// separate key index) and drops `audit_by_return`: rows and audit entries survive, a
    /// return's records are read by the key, the history and the entry to undo by a backward
    /// walk of the log (no sort), and inserts keep every CHECK and the key's uniqueness.
    #[test]
    fn schema_7_keeps_records_in_key_order_and_reads_the_log_newest_first() {
        use rusqlite::{Connection, params};
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        super::migrations().to_version(&mut conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO organisation VALUES ('gss:E09000007', 'gss', 'E09000007', 'Camden');
             INSERT INTO cycle VALUES ('2026-27', '2026.1');
             INSERT INTO survey_return VALUES ('r', 'gss:E09000007', '2026-27', NULL, 't');
             INSERT INTO record VALUES ('r', 'b', 'system', '{\"name\":\"B\"}', 'new', 't1', 't2', NULL);
             INSERT INTO record VALUES ('r', 'a', 'contract', '{\"title\":\"A\"}', 'changed', 't0', 't3', 't4');
             INSERT INTO audit (at, actor, action, return_id, record_id, kind)
                 VALUES ('t', 'me', 'add', 'r', 'b', 'system');
             INSERT INTO audit (at, actor, action, return_id, record_id, kind, before, after)
                 VALUES ('t', 'me', 'update', 'r', 'a', 'contract', '{}', '{}');",
        )
        .unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 7);
        let (sql, indexes): (String, i64) = conn
            .query_row(
                "SELECT (SELECT sql FROM sqlite_schema WHERE name = 'record'),
                        (SELECT count(*) FROM sqlite_schema WHERE type = 'index'
                           AND tbl_name IN ('record', 'audit'))",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(sql.ends_with("STRICT, WITHOUT ROWID"), "{sql}");
        assert_eq!(indexes, 0);
        let rows: Vec<(String, String, String, Option<String>)> = conn
            .prepare("SELECT id, data, updated_at, deleted_at FROM record ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    "a".into(),
                    "{\"title\":\"A\"}".into(),
                    "t3".into(),
                    Some("t4".into())
                ),
                ("b".into(), "{\"name\":\"B\"}".into(), "t2".into(), None),
            ]
        );
        let plan = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> String {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let lines: Vec<String> = stmt
                .query_map(p, |r| r.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            lines.join("; ")
        };
        let by_return = plan(
            "SELECT * FROM record WHERE return_id = ?1
               AND (?2 IS NULL OR kind = ?2) AND (?3 OR deleted_at IS NULL)",
            params!["r", "system", false],
        );
        assert!(
            by_return.contains("USING PRIMARY KEY (return_id=?)"),
            "{by_return}"
        );
        let by_key = plan(
            "SELECT * FROM record WHERE return_id = ?1 AND id = ?2",
            params!["r", "a"],
        );
        assert!(
            by_key.contains("USING PRIMARY KEY (return_id=? AND id=?)"),
            "{by_key}"
        );
        let history = plan(
            "SELECT * FROM audit WHERE return_id = ?1 ORDER BY seq DESC LIMIT ?2",
            params!["r", 10],
        );
        assert!(
            history.starts_with("SCAN audit") && !history.contains("TEMP B-TREE"),
            "{history}"
        );
        let log: Vec<(i64, String)> = conn
            .prepare("SELECT seq, action FROM audit WHERE return_id = 'r' ORDER BY seq DESC")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(log, [(2, "update".into()), (1, "add".into())]);
        let insert = |id: &str, kind: &str| {
            conn.execute(
                "INSERT INTO record VALUES ('r', ?1, ?2, '{}', 'new', 't', 't', NULL)",
                params![id, kind],
            )
        };
        assert!(insert("c", "skill").is_ok());
        assert!(insert("c", "skill").is_err(), "the key stays unique");
        assert!(insert("d", "System").is_err(), "the CHECKs stay");
        assert!(
            conn.execute(
                "INSERT INTO record VALUES ('nope', 'e', 'skill', '{}', 'new', 't', 't', NULL)",
                []
            )
            .is_err(),
            "the return must exist"
        );
    }
}
