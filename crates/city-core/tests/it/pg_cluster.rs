//! A throwaway PostgreSQL cluster for the tests, started by the test itself: Debian's
//! `postgresql` server (`initdb`, `pg_ctl` from `/usr/lib/postgresql/<version>/bin`) in a
//! temporary folder, run as the `postgres` user when the tests run as root (initdb refuses
//! root), listening only on a Unix socket in that folder; stopped when dropped. Without
//! PostgreSQL installed the test says so (and fails under CI, where `cargo xtask setup`
//! installs it).

use postgres::{Client, NoTls};
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The newest installed PostgreSQL's binaries.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or(54_329, |a| a.port())
}

impl Cluster {
    /// Starts a cluster, or says why not: `None` (with a message) only outside CI.
    pub(crate) fn start() -> Option<Cluster> {
        let Some(bin) = bin_dir() else {
            let msg = "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): \
                       `cargo xtask setup` installs Debian's postgresql package; this test did not run";
            assert!(std::env::var_os("CI").is_none(), "{msg}");
            eprintln!("SKIPPED: {msg}");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap()
                .success();
            assert!(
                ok,
                "could not give {} to the postgres user",
                dir.path().display()
            );
        }
        let c = Cluster {
            port: free_port(),
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
        );
        let opts = format!(
            "-c listen_addresses='' -k {} -p {} -c fsync=off -c full_page_writes=off",
            c.dir.path().display(),
            c.port
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
        );
        Some(c)
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{tool} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
        );
    }

    /// A libpq `key=value` string for database `db`.
    pub(crate) fn conninfo(&self, db: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={db}",
            self.dir.path().display(),
            self.port
        )
    }

    pub(crate) fn client(&self, db: &str) -> Client {
        Client::connect(&self.conninfo(db), NoTls).unwrap()
    }

    /// Makes a new empty database.
    pub(crate) fn create_db(&self, db: &str) {
        self.client("postgres")
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .unwrap();
    }

    #[allow(dead_code)]
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let exe = self.bin.join("pg_ctl");
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let _ = cmd
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}
