//! `cargo xtask`: the project's developer commands, in Rust so that they run wherever cargo
//! does. `setup` installs what is missing, `dev` starts the app, `test` runs every check and
//! test in the order CI needs (`.ci/run` calls it). Depends on no workspace crate.

mod setup;
mod steps;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  setup   install what is missing: Debian packages, tauri-driver, the UI's npm packages
  dev     setup, build the UI and the app, then start the app (extra arguments go to the app,
          e.g. cargo xtask dev -- --store camden.ctstore)
  test    setup, then every check and test: rustfmt, UI type check, clippy, unit and
          integration tests, generated-type drift, end-to-end tests of the real app under Xvfb
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("dev") => steps::dev(&args[1..]),
        Some("test") => steps::test(),
        Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            Ok(())
        }
        _ => {
            eprint!("{HELP}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
