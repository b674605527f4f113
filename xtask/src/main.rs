//! `cargo xtask`: the project's developer commands, in Rust so that they run wherever cargo
//! does. `setup` installs what is missing, `dev` starts the app, `test` runs every check and
//! test in the order CI needs (`.ci/run` calls it), `package` makes the Linux packages and
//! `test-installed` tests the installed .deb. Depends on no workspace crate.

mod changelog;
mod package;
mod setup;
mod steps;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  setup   install what is missing: Debian packages, tauri-driver, the UI's npm packages
  dev     setup, build the UI and the app, then start the app (extra arguments go to the app,
          e.g. cargo xtask dev -- --store camden.ctstore)
  test    setup, then every check and test: rustfmt, UI type check, clippy, unit and
          integration tests, generated-type drift, end-to-end tests of the real app under Xvfb,
          then package and test-installed
  package build the .deb and .rpm (Tauri bundler, release build; `city` inside) into
          target/release/bundle/, and check them with lintian and rpmlint
  test-installed
          install the .deb (apt-get), run the end-to-end tests against /usr/bin/city-tools,
          check `city --version`, remove the package and check the user's files are still there
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("dev") => steps::dev(&args[1..]),
        Some("test") => steps::test(),
        Some("package") => package::package(),
        Some("test-installed") => package::test_installed(),
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

#[cfg(test)]
mod tests {
    use crate::steps::root;

    /// The user guide's pictures are screenshots the end-to-end suite takes (and copies into
    /// docs/guide/images each run): every picture a guide page names must be one it takes.
    #[test]
    fn every_guide_picture_is_taken_by_the_end_to_end_suite() {
        let mut suite = String::new();
        for entry in std::fs::read_dir(root().join("tests/e2e/tests")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "rs") {
                suite.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
        let mut pictures = 0;
        for entry in std::fs::read_dir(root().join("docs/guide")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("](images/").skip(1) {
                let name = part.split(".png)").next().unwrap();
                pictures += 1;
                assert!(
                    suite.contains(&format!("screenshot(\"{name}\")")),
                    "{}: images/{name}.png is not a screenshot the e2e suite takes",
                    path.display()
                );
                assert!(
                    root()
                        .join(format!("docs/guide/images/{name}.png"))
                        .is_file(),
                    "{}: images/{name}.png is missing (run the e2e suite)",
                    path.display()
                );
            }
        }
        assert!(pictures > 0);
    }
}
