//! Running the real `city` binary in a temporary directory, with failures that show everything.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_city")
}

pub(crate) struct TestDir {
    pub(crate) dir: tempfile::TempDir,
}

pub(crate) struct Run {
    pub(crate) out: Output,
    pub(crate) args: Vec<String>,
}

impl Run {
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    pub(crate) fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    fn describe(&self) -> String {
        format!(
            "city {}\nstatus: {:?}\nstdout:\n{}\nstderr:\n{}",
            self.args.join(" "),
            self.out.status,
            self.stdout(),
            self.stderr()
        )
    }
    /// Asserts success and returns stdout.
    pub(crate) fn ok(&self) -> String {
        assert!(
            self.out.status.success(),
            "expected success\n{}",
            self.describe()
        );
        self.stdout()
    }
    /// Asserts failure with `code`, a single stderr line, and returns that line.
    pub(crate) fn fails(&self, code: i32) -> String {
        assert_eq!(
            self.code(),
            code,
            "expected exit {code}\n{}",
            self.describe()
        );
        let err = self.stderr();
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one-line error expected\n{}",
            self.describe()
        );
        err.trim_end().to_string()
    }
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok())
            .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", self.describe()))
    }
}

impl TestDir {
    pub(crate) fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn store(&self) -> PathBuf {
        self.dir.path().join("camden.ctstore")
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.current_dir(self.dir.path())
            .env("CITY_STORE", self.store())
            .env("USER", "tester")
            .args(args);
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().unwrap();
        Run {
            out,
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A Camden store for 2026-27.
    pub(crate) fn camden() -> TestDir {
        let t = TestDir::new();
        t.run(&["create", "--org", "E09000007", "--cycle", "2026-27"])
            .ok();
        t
    }

    /// Adds a record and returns its id.
    pub(crate) fn add(&self, kind: &str, sets: &[&str]) -> String {
        let mut args = vec![kind, "add", "--json"];
        for s in sets {
            args.push("--set");
            args.push(s);
        }
        self.run(&args).json()["id"].as_str().unwrap().to_string()
    }
}

/// The bytes of a file and of its WAL, if one is left.
pub(crate) fn snapshot(path: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    (std::fs::read(path).unwrap(), std::fs::read(wal).ok())
}
