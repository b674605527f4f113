//! A throwaway PostgreSQL cluster, started and stopped by the program that needs one (the core's
//! publishing tests and `city-bench`'s publishing benchmark): Debian's `postgresql` server
//! (`initdb` and `pg_ctl` from the newest `/usr/lib/postgresql/<version>/bin`) in a new folder
//! of the system's temporary folder, run as the `postgres` user when the caller is root (initdb
//! refuses root), listening only on a Unix socket in that folder, stopped and removed when
//! dropped. Nothing here touches a cluster it did not start.

use postgres::{Client, NoTls};
use std::path::PathBuf;
use std::process::Command;

/// Why a cluster could not be started or reached.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): \
         `cargo xtask setup` installs Debian's postgresql package"
    )]
    NotInstalled,
    #[error("could not give {0} to the postgres user")]
    Chown(PathBuf),
    #[error("{tool} failed: {output}")]
    Tool { tool: String, output: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
}

/// A running cluster in its own temporary folder; stopped (immediately) when dropped.
pub struct Cluster {
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

/// A TCP port no one listens on now. The cluster listens on no TCP address, but the port names
/// its socket, so clusters started at once by parallel tests stay apart.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or(54_329, |a| a.port())
}

impl Cluster {
    /// Starts a cluster with the given server settings (`name=value`, as `postgres -c` takes
    /// them) on top of a Unix socket in its folder and no TCP address.
    pub fn start(settings: &[&str]) -> Result<Cluster, Error> {
        let bin = bin_dir().ok_or(Error::NotInstalled)?;
        // In the system's temporary folder, whose parents the postgres user may enter.
        let dir = tempfile::Builder::new()
            .prefix("city-pg-")
            .tempdir_in(std::env::temp_dir())?;
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()?
                .success();
            if !ok {
                return Err(Error::Chown(dir.path().to_path_buf()));
            }
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
        )?;
        let mut opts = format!(
            "-c listen_addresses='' -k {} -p {}",
            c.dir.path().display(),
            c.port
        );
        for s in settings {
            opts.push_str(" -c ");
            opts.push_str(s);
        }
        c.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &c.log().to_string_lossy(),
                "-o",
                &opts,
                "-w",
                "start",
            ],
        )?;
        Ok(c)
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("log")
    }

    /// One of the cluster's tools, run as the user that owns the cluster.
    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        cmd.current_dir(self.dir.path());
        cmd
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<(), Error> {
        let out = self.command(tool).args(args).output()?;
        if out.status.success() {
            return Ok(());
        }
        Err(Error::Tool {
            tool: tool.to_string(),
            output: format!(
                "{}{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(self.log()).unwrap_or_default()
            ),
        })
    }

    /// A libpq `key=value` string for database `db`, as the `postgres` superuser.
    pub fn conninfo(&self, db: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={db}",
            self.dir.path().display(),
            self.port
        )
    }

    /// A connection to database `db`.
    pub fn client(&self, db: &str) -> Result<Client, Error> {
        Ok(Client::connect(&self.conninfo(db), NoTls)?)
    }

    /// Makes a new empty database named `db` (a plain identifier).
    pub fn create_db(&self, db: &str) -> Result<(), Error> {
        self.client("postgres")?
            .batch_execute(&format!("CREATE DATABASE {db}"))?;
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}
