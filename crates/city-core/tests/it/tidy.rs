//! Architecture rules checked as tests: every Rust file says what it owns, each outside
//! library is named only where ARCHITECTURE.md says it may be (and every library the core
//! depends on has such a place), and the writers and readers (`export`, `import`, the sheet
//! layout they share) never reach into `api` or into each other.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "node_modules" | "gen" | ".git" | "fuzz"
            ) {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri", "xtask", "tests"] {
        rust_files(&workspace().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} files", files.len());
    files
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let missing: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! module doc: {missing:?}"
    );
}

/// Whether `text` uses the crate `lib` (`lib::…` or `use lib`), as a whole word.
fn names(text: &str, lib: &str) -> bool {
    let pattern = format!("{lib}::");
    text.match_indices(&pattern).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

/// Where each outside library of the core may be named.
fn library_homes() -> Vec<(&'static str, PathBuf)> {
    let core = workspace().join("crates/city-core/src");
    vec![
        ("rusqlite", core.join("store")),
        ("rusqlite_migration", core.join("store")),
        ("calamine", core.join("import")),
        ("rust_xlsxwriter", core.join("export")),
        ("minisign", core.join("bundle")),
        ("minisign_verify", core.join("bundle")),
        ("age", core.join("bundle")),
        ("zip", core.join("bundle")),
        // The importer reads xlsx/ods files' ZIP parts with it: to refuse zip bombs, and to see
        // whether any part declares merged cells.
        ("zip", core.join("import")),
        ("sha2", core.join("bundle")),
        // LOTI's shared database: `city publish postgres`.
        ("postgres", core.join("publish/postgres")),
        // The throwaway cluster the publishing tests and benchmark start and connect to.
        ("postgres", workspace().join("crates/pg-throwaway")),
        // CSV is written by the exports and read by the importer (CSV / TSV registers).
        ("csv", core.join("export")),
        ("csv", core.join("import")),
        ("encoding_rs", core.join("import")),
        ("strsim", core.join("analysis")),
        // Answer mapping suggests an option for a register's word by similar spelling.
        ("strsim", core.join("import")),
    ]
}

/// Libraries every part of the core may use: dates, (de)serialisation, error derives, the
/// TypeScript bindings, ids.
const EVERYWHERE: [&str; 7] = [
    "chrono",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "thiserror",
    "ts_rs",
    "uuid",
];

#[test]
fn every_library_of_the_core_has_a_home() {
    let manifest =
        std::fs::read_to_string(workspace().join("crates/city-core/Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    let homes = library_homes();
    let mut found = 0;
    for line in deps.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line
            .split(['.', '=', ' '])
            .next()
            .unwrap()
            .replace('-', "_");
        found += 1;
        assert!(
            EVERYWHERE.contains(&name.as_str()) || homes.iter().any(|(lib, _)| *lib == name),
            "city-core depends on {name}: give it a home in tidy.rs and ARCHITECTURE.md"
        );
    }
    assert!(found > 10, "read only {found} dependencies");
}

#[test]
fn outside_libraries_are_named_only_in_their_module() {
    let rules = library_homes();
    // Integration tests may name them to forge hostile inputs.
    let tests = workspace().join("crates/city-core/tests");
    // The benchmarks name the storage and spreadsheet libraries for their bare baselines.
    let bench = workspace().join("crates/city-bench");
    let baseline_libs = ["rusqlite", "calamine", "rust_xlsxwriter", "csv", "postgres"];
    for file in all_rust_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (lib, home) in &rules {
            let named = names(&text, lib);
            let baseline = file.starts_with(&bench) && baseline_libs.contains(lib);
            let at_home = rules
                .iter()
                .any(|(other, home)| other == lib && file.starts_with(home));
            if named && !at_home && !file.starts_with(&tests) && !baseline {
                panic!(
                    "{} names {lib}, which belongs to {}",
                    file.display(),
                    home.display()
                );
            }
        }
    }
}

#[test]
fn front_ends_depend_on_the_core_only() {
    for manifest in ["crates/city-cli/Cargo.toml", "src-tauri/Cargo.toml"] {
        let Ok(text) = std::fs::read_to_string(workspace().join(manifest)) else {
            continue;
        };
        for lib in [
            "rusqlite",
            "calamine",
            "rust_xlsxwriter",
            "minisign",
            "age =",
            "zip",
            "postgres",
        ] {
            assert!(
                !text.contains(lib),
                "{manifest} lists {lib}: front ends use city_core::api only"
            );
        }
    }
}

/// Whether `text` names the crate-internal module `module` (`crate::module`, `super::module`).
fn names_module(text: &str, module: &str) -> bool {
    [format!("crate::{module}"), format!("super::{module}")]
        .iter()
        .any(|p| {
            text.match_indices(p.as_str()).any(|(i, _)| {
                let after = text[i + p.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
}

#[test]
fn writers_and_readers_never_name_the_api_nor_each_other() {
    let core = workspace().join("crates/city-core/src");
    let rules: [(&str, &[&str]); 3] = [
        ("export", &["api", "import"]),
        ("import", &["api", "export"]),
        ("sheet_layout", &["api", "import", "export"]),
    ];
    for (module, forbidden) in rules {
        let mut files = Vec::new();
        rust_files(&core.join(module), &mut files);
        assert!(!files.is_empty(), "no files in {module}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for other in forbidden {
                assert!(
                    !names_module(&text, other),
                    "{} names {other}: {module} must not depend on it",
                    file.display()
                );
            }
        }
    }
    // The check itself: it sees what it looks for.
    assert!(names_module("use crate::api::Progress;", "api"));
    assert!(names_module("super::super::api::X", "api"));
    assert!(!names_module("use crate::apiary;", "api"));
}
