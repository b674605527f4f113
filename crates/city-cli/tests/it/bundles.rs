//! The bundle commands end to end: a borough exports, LOTI quarantines, confirms, imports,
//! refuses a replay, and tracks who has returned.

use crate::util::*;
use std::path::{Path, PathBuf};

fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/keys")
}

fn k(name: &str) -> String {
    keys().join(name).display().to_string()
}

#[test]
fn a_return_travels_from_camden_to_loti() {
    let t = TestDir::camden();
    let dir = t.dir.path();
    let pack = dir.join("2026-27.ctcycle").display().to_string();
    let recipient = std::fs::read_to_string(keys().join("loti.recipient")).unwrap();
    let mut create = t.command(&[
        "cycle-pack",
        "create",
        "--out",
        &pack,
        "--for-cycle",
        "2026-27",
        "--opens",
        "2026-04-01",
        "--closes",
        "2026-07-31",
        "--recipient",
        recipient.trim(),
        "--root-secret",
        &k("root.key"),
    ]);
    assert!(
        create
            .env("CITY_PASSPHRASE", "fixture passphrase")
            .status()
            .unwrap()
            .success()
    );

    // Without a passphrase the export is a usage error, and nothing is written.
    t.add("system", &["name=Mosaic"]);
    t.run(&["cycle-pack", "import", &pack, "--root-key", &k("root.pub")])
        .ok();
    let no_pass = t
        .command(&[
            "bundle",
            "export",
            "--dir",
            dir.to_str().unwrap(),
            "--key",
            &k("camden.key"),
        ])
        .env_remove("CITY_PASSPHRASE")
        .output()
        .unwrap();
    assert_eq!(no_pass.status.code(), Some(2));
    let export = t
        .command(&[
            "bundle",
            "export",
            "--json",
            "--dir",
            dir.to_str().unwrap(),
            "--key",
            &k("camden.key"),
        ])
        .env("CITY_PASSPHRASE", "fixture passphrase")
        .output()
        .unwrap();
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let sent: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let file = sent["file"].as_str().unwrap().to_string();
    assert!(file.ends_with("E09000007_2026-27_r1.ctbundle"));

    let verified = t
        .run(&["bundle", "verify", &file, "--key", &k("camden.pub")])
        .ok();
    assert!(
        verified.contains("signature valid; gss:E09000007 cycle 2026-27 r1"),
        "{verified}"
    );
    let line = t
        .run(&["bundle", "verify", &file, "--key", &k("barnet.pub")])
        .fails(1);
    assert!(line.contains("made with a different key"), "{line}");

    let central = dir.join("central.ctstore").display().to_string();
    t.run(&["--store", &central, "create-central"]).ok();
    let q = t
        .run(&[
            "--store",
            &central,
            "bundle",
            "import",
            &file,
            "--identity",
            &k("loti.age"),
        ])
        .ok();
    assert!(q.contains("waits in quarantine"), "{q}");
    let fp = t
        .run(&["key", "fingerprint", &k("camden.pub"), "--json"])
        .json();
    let confirmed = t
        .run(&[
            "--store",
            &central,
            "keyring",
            "confirm",
            fp["keyId"].as_str().unwrap(),
            "--org",
            "E09000007",
            "--fingerprint",
            fp["fingerprint"].as_str().unwrap(),
            "--note",
            "phoned",
            "--identity",
            &k("loti.age"),
        ])
        .ok();
    assert!(confirmed.contains("accepted r1 from Camden"), "{confirmed}");
    let again = t
        .run(&[
            "--store",
            &central,
            "bundle",
            "import",
            &file,
            "--identity",
            &k("loti.age"),
        ])
        .ok();
    assert!(again.contains("already imported"), "{again}");

    let tracker = t
        .run(&[
            "--store", &central, "tracker", "--cycle", "2026-27", "--json",
        ])
        .json();
    assert_eq!(tracker["received"], 1);
    assert_eq!(tracker["missing"].as_array().unwrap().len(), 32);

    // A bad file among good ones: exit 1, the others still processed.
    let junk = dir.join("junk.ctbundle");
    std::fs::write(&junk, b"not a bundle").unwrap();
    let before = std::fs::read(&central).unwrap();
    let out = t.run(&[
        "--store",
        &central,
        "bundle",
        "import",
        junk.to_str().unwrap(),
        "--identity",
        &k("loti.age"),
    ]);
    assert_eq!(out.code(), 1);
    assert!(
        out.stdout().contains("junk.ctbundle: it is not a ZIP file"),
        "{}",
        out.stdout()
    );
    assert_eq!(std::fs::read(&central).unwrap(), before);
}

#[test]
fn a_key_is_confirmed_for_an_organisation_outside_london_only_with_its_name() {
    let t = TestDir::camden();
    let central = t.dir.path().join("central.ctstore").display().to_string();
    t.run(&["--store", &central, "create-central"]).ok();
    let fp = t
        .run(&["key", "fingerprint", &k("camden.pub"), "--json"])
        .json();
    let confirm = |extra: &[&str]| {
        let mut args = vec![
            "--store",
            &central,
            "keyring",
            "confirm",
            &k("camden.pub"),
            "--org",
            "E10000003",
            "--fingerprint",
            fp["fingerprint"].as_str().unwrap(),
            "--note",
            "phoned the county's IT lead",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        t.run(&refs)
    };
    // Without a note of how the fingerprint was confirmed: refused, the flag named (by the
    // CLI: the core's message names no flag).
    let before = std::fs::read(&central).unwrap();
    let no_note = t.run(&[
        "--store",
        &central,
        "keyring",
        "confirm",
        &k("camden.pub"),
        "--org",
        "E09000007",
        "--fingerprint",
        fp["fingerprint"].as_str().unwrap(),
        "--note",
        " ",
    ]);
    assert!(
        no_note
            .stderr()
            .contains("say how the fingerprint was confirmed (--note)"),
        "{}",
        no_note.stderr()
    );
    // Without a name, a code outside London is refused, and the keyring stays empty.
    let refused = confirm(&[]);
    assert_ne!(refused.code(), 0);
    assert!(
        refused.stderr().contains("E10000003"),
        "{}",
        refused.stderr()
    );
    assert_eq!(std::fs::read(&central).unwrap(), before);
    // With its name, the key is pinned to that organisation.
    let done = confirm(&["--org-name", "Cambridgeshire County Council"]).ok();
    assert!(done.contains("Trusted the key for E10000003"), "{done}");
    let keyring = t
        .run(&["--store", &central, "keyring", "list", "--json"])
        .json();
    let text = keyring.to_string();
    assert!(text.contains("E10000003"), "{text}");
    assert!(text.contains(fp["keyId"].as_str().unwrap()), "{text}");
}
