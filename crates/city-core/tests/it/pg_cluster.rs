//! The publishing tests' throwaway PostgreSQL cluster (crate `pg-throwaway`), with durability
//! off to keep them quick. Without PostgreSQL installed a test says so and does not run, except
//! under CI, where `cargo xtask setup` installs it and its absence fails the test.

use postgres::Client;

pub(crate) struct Cluster(pg_throwaway::Cluster);

impl Cluster {
    /// Starts a cluster, or says why not: `None` (with a message) only outside CI.
    pub(crate) fn start() -> Option<Cluster> {
        match pg_throwaway::Cluster::start(&["fsync=off", "full_page_writes=off"]) {
            Ok(c) => Some(Cluster(c)),
            Err(e @ pg_throwaway::Error::NotInstalled) => {
                assert!(std::env::var_os("CI").is_none(), "{e}");
                eprintln!("SKIPPED: {e}; this test did not run");
                None
            }
            Err(e) => panic!("could not start a PostgreSQL cluster: {e}"),
        }
    }

    /// A libpq `key=value` string for database `db`.
    pub(crate) fn conninfo(&self, db: &str) -> String {
        self.0.conninfo(db)
    }

    pub(crate) fn client(&self, db: &str) -> Client {
        self.0.client(db).expect("a connection to the test cluster")
    }

    /// Makes a new empty database.
    pub(crate) fn create_db(&self, db: &str) {
        self.0
            .create_db(db)
            .expect("a new database in the test cluster");
    }
}
