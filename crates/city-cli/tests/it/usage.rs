//! Help on every command, usage errors exit 2, failures exit 1.

use crate::util::*;

#[test]
fn every_subcommand_has_help() {
    let t = TestDir::new();
    let top = t.run(&["--help"]).ok();
    for cmd in [
        "create",
        "organisations",
        "enums",
        "template",
        "returns",
        "status",
        "history",
        "check",
        "undo",
        "carry-forward",
    ] {
        assert!(top.contains(cmd), "top-level help lacks {cmd}");
        let help = t.run(&[cmd, "--help"]).ok();
        assert!(help.contains("Usage: city"), "{cmd}: {help}");
    }
    for kind in [
        "system", "contract", "supplier", "product", "skill", "gdpr", "cyber",
    ] {
        for sub in [
            "add", "list", "show", "update", "delete", "restore", "confirm", "retire",
        ] {
            let help = t.run(&[kind, sub, "--help"]).ok();
            assert!(
                help.contains(&format!("Usage: city {kind} {sub}")),
                "{kind} {sub}: {help}"
            );
        }
    }
}

#[test]
fn usage_errors_exit_2_and_failures_exit_1() {
    let t = TestDir::camden();
    assert_eq!(t.run(&["frobnicate"]).code(), 2);
    assert_eq!(t.run(&["system", "add", "--nope"]).code(), 2);
    assert_eq!(t.run(&["system", "show"]).code(), 2);
    let line = t.run(&["system", "update", "abc"]).fails(2);
    assert!(line.contains("nothing to change"), "{line}");
    let line = t
        .run(&["system", "show", "00000000-0000-0000-0000-000000000000"])
        .fails(1);
    assert!(
        line.starts_with("error: there is no system with id"),
        "{line}"
    );
    let line = t.run(&["template", "spaceship"]).fails(2);
    assert!(line.contains("not a record type"), "{line}");
}

#[test]
fn read_commands_speak_json() {
    let t = TestDir::camden();
    let id = t.add("system", &["name=Mosaic"]);
    for args in [
        vec!["organisations", "--json"],
        vec!["enums", "--json"],
        vec!["questionnaire", "--json"],
        vec!["returns", "--json"],
        vec!["status", "--json"],
        vec!["history", "--json"],
        vec!["check", "--json"],
        vec!["system", "list", "--json"],
        vec!["system", "show", id.as_str(), "--json"],
    ] {
        let v = t.run(&args).json();
        assert!(v.is_array() || v.is_object(), "{args:?}");
    }
    let orgs = t.run(&["organisations", "--json"]).json();
    assert_eq!(orgs.as_array().unwrap().len(), 33);
    assert_eq!(orgs[32]["code"], "E09000033");
    assert_eq!(orgs[32]["name"], "Westminster");
    let template = t.run(&["template", "contract"]).json();
    assert!(template.get("annual_value").is_some());
}

#[test]
fn version_names_the_build_schema_and_questionnaire() {
    let t = TestDir::new();
    let out = t.run(&["--version"]).ok();
    let expected = format!("city {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(out.starts_with(&expected), "{out}");
    assert!(
        out.contains(&format!(
            "store schema {}, questionnaire {})",
            city_core::api::schema_version(),
            city_core::api::QUESTIONNAIRE_VERSION
        )),
        "{out}"
    );
}
