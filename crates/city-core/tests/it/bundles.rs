//! Bundles end to end and under attack: export, import, keyring, quarantine, ratchet, diff,
//! tracker; every threat of the security reference's table that the core handles, each ending
//! in a clear error naming the file and the cause with the central store byte-for-byte
//! unchanged; and interoperability with the stock `minisign` and `age` tools.

use crate::support::ctx;
use city_core::api::{self, CyclePackInput, ImportOutcome, ImportOutcomeKind, RecordKind, Store};
use serde_json::json;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

pub(crate) const PASS: &str = "fixture passphrase";

fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/keys")
}

pub(crate) fn key(name: &str) -> PathBuf {
    keys().join(name)
}

pub(crate) fn recipient(name: &str) -> String {
    std::fs::read_to_string(key(&format!("{name}.recipient")))
        .unwrap()
        .trim()
        .to_string()
}

/// A borough store for `org` with one system, holding LOTI's 2026-27 cycle pack.
pub(crate) fn borough(dir: &Path, org: &str, name: &str) -> Store {
    let pack = dir.join("2026-27.ctcycle");
    if !pack.exists() {
        let input = CyclePackInput {
            cycle: "2026-27".into(),
            opens: "2026-04-01".into(),
            closes: "2026-07-31".into(),
            recipients: vec![recipient("loti"), recipient("backup")],
        };
        api::create_cycle_pack(&pack, &input, &key("root.key"), PASS).unwrap();
    }
    let mut s =
        Store::create(&dir.join(format!("{name}.ctstore")), org, "2026-27", &ctx()).unwrap();
    s.add(
        None,
        RecordKind::System,
        json!({"name": format!("{name} housing system MARKER-7731")}),
        &ctx(),
    )
    .unwrap();
    s.import_cycle_pack(&pack, Some(&key("root.pub")), &ctx())
        .unwrap();
    s
}

pub(crate) fn export(s: &mut Store, dir: &Path, signer: &str) -> PathBuf {
    let out = dir.join(format!("out-{}", uuid_like()));
    std::fs::create_dir_all(&out).unwrap();
    PathBuf::from(
        s.export_bundle(None, &out, &key(&format!("{signer}.key")), PASS, &ctx())
            .unwrap()
            .file,
    )
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::SeqCst).to_string()
}

/// LOTI's central store with `keys` trusted for their organisations.
pub(crate) fn central(dir: &Path, trusted: &[(&str, &str)]) -> PathBuf {
    let path = dir.join("central.ctstore");
    let mut c = Store::create_central(&path, &ctx()).unwrap();
    for (signer, org) in trusted {
        let pub_file = key(&format!("{signer}.pub"));
        let info = api::public_key_info(&pub_file).unwrap();
        c.confirm_key(
            pub_file.to_str().unwrap(),
            org,
            &info.fingerprint,
            "phoned the borough",
            &[],
            &ctx(),
        )
        .unwrap();
    }
    path
}

pub(crate) fn import(central: &Path, files: &[PathBuf]) -> Vec<ImportOutcome> {
    let mut c = Store::open(central).unwrap();
    c.import_bundles(files, &[key("loti.age")], false, &ctx(), &mut |_| {})
        .unwrap()
}

/// Imports `file` and expects a refusal naming the file and `cause`, with the central store
/// byte-for-byte unchanged.
fn refused(central: &Path, file: &Path, cause: &str) {
    let before = std::fs::read(central).unwrap();
    let out = import(central, &[file.to_path_buf()]);
    assert_eq!(
        out[0].outcome,
        ImportOutcomeKind::Refused,
        "{}",
        out[0].message
    );
    assert!(
        out[0].message.contains(&file.display().to_string()),
        "file not named: {}",
        out[0].message
    );
    assert!(
        out[0].message.contains(cause),
        "expected '{cause}' in: {}",
        out[0].message
    );
    assert_eq!(
        std::fs::read(central).unwrap(),
        before,
        "central store changed by {cause}"
    );
}

/// The three entries of a bundle.
fn entries(bundle: &Path) -> (Vec<u8>, String, String) {
    let bytes = std::fs::read(bundle).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut read = |i: usize| {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut z.by_index(i).unwrap(), &mut v).unwrap();
        v
    };
    let (a, b, c) = (read(0), read(1), read(2));
    (
        a,
        String::from_utf8(b).unwrap(),
        String::from_utf8(c).unwrap(),
    )
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, b) in entries {
        z.start_file(*n, o).unwrap();
        z.write_all(b).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Signs `data` with a fixture key and the given trusted comment (a forger with that key).
fn sign(signer: &str, data: &[u8], comment: &str) -> (String, String) {
    let text = std::fs::read_to_string(key(&format!("{signer}.key"))).unwrap();
    let sk = minisign::SecretKeyBox::from_string(&text)
        .unwrap()
        .into_secret_key(Some(PASS.into()))
        .unwrap();
    let pk = minisign::PublicKey::from_secret_key(&sk).unwrap();
    let sig = minisign::sign(
        Some(&pk),
        &sk,
        data,
        Some(comment),
        Some("City Tools return bundle"),
    )
    .unwrap();
    (
        sig.into_string(),
        std::fs::read_to_string(key(&format!("{signer}.pub"))).unwrap(),
    )
}

fn encrypt_to_loti(plain: &[u8]) -> Vec<u8> {
    let r: age::x25519::Recipient = recipient("loti").parse().unwrap();
    let e = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = e.wrap_output(&mut out).unwrap();
    w.write_all(plain).unwrap();
    w.finish().unwrap();
    out
}

fn comment_of(sig: &str) -> String {
    sig.lines()
        .nth(2)
        .unwrap()
        .trim_start_matches("trusted comment: ")
        .to_string()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_bundle_goes_from_borough_to_loti_and_a_newer_one_supersedes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let r1 = export(&mut camden, dir.path(), "camden");
    assert!(
        r1.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("E09000007_2026-27_r1")
    );
    let c = central(dir.path(), &[("camden", "E09000007")]);

    let out = import(&c, std::slice::from_ref(&r1));
    assert_eq!(
        out[0].outcome,
        ImportOutcomeKind::Accepted,
        "{}",
        out[0].message
    );
    assert_eq!(out[0].diff.as_ref().unwrap().added.len(), 1);

    // The same file again is a no-op that says so.
    let before = std::fs::read(&c).unwrap();
    let again = import(&c, std::slice::from_ref(&r1));
    assert_eq!(again[0].outcome, ImportOutcomeKind::AlreadyImported);
    assert!(again[0].message.contains("already imported"));
    assert_eq!(std::fs::read(&c).unwrap(), before);

    // A newer return supersedes the older one; the diff names what changed, field by field.
    let sys = camden.list(None, RecordKind::System, false).unwrap()[0]
        .id
        .to_string();
    camden
        .update(
            None,
            RecordKind::System,
            &sys,
            json!({"users": 250}),
            &ctx(),
        )
        .unwrap();
    camden
        .add(
            None,
            RecordKind::Supplier,
            json!({"name": "Civica"}),
            &ctx(),
        )
        .unwrap();
    let r2 = export(&mut camden, dir.path(), "camden");
    let mut store = Store::open(&c).unwrap();
    let dry = store
        .import_bundles(
            std::slice::from_ref(&r2),
            &[key("loti.age")],
            true,
            &ctx(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(dry[0].outcome, ImportOutcomeKind::WouldAccept);
    drop(store);
    let out = import(&c, std::slice::from_ref(&r2));
    assert_eq!(
        out[0].outcome,
        ImportOutcomeKind::Accepted,
        "{}",
        out[0].message
    );
    let d = out[0].diff.as_ref().unwrap();
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.changed.len(), 1);
    assert_eq!(
        d.changed[0].fields,
        vec![(
            "users".to_string(),
            "(blank)".to_string(),
            "250".to_string()
        )]
    );

    let mut store = Store::open(&c).unwrap();
    let history = store.bundle_history("E09000007", "2026-27").unwrap();
    assert_eq!(history.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [2, 1]);
    let systems = store
        .list(Some("2026-27"), RecordKind::System, false)
        .unwrap();
    assert_eq!(
        systems.len(),
        1,
        "the central return holds the newest bundle's records"
    );
    let t = store.tracker("2026-27").unwrap();
    assert_eq!(t.rows.len(), 33);
    assert_eq!(t.received, 1);
    let camden_row = t.rows.iter().find(|r| r.code == "E09000007").unwrap();
    assert_eq!(camden_row.seq, Some(2));
    assert_eq!(t.missing.len(), 32);
    assert!(t.missing.contains(&"Westminster".to_string()));

    // Rollback: an older bundle not seen before is refused.
    drop(store);
    refused(&c, &r1.with_file_name("nope"), "No such file");
    let sent = camden.sent_bundles(None).unwrap();
    assert_eq!(sent.iter().map(|s| s.seq).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn replay_rollback_and_sequence_jumps_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let r1 = export(&mut camden, dir.path(), "camden");
    let r2 = export(&mut camden, dir.path(), "camden");
    let c = central(dir.path(), &[("camden", "E09000007")]);
    assert_eq!(
        import(&c, std::slice::from_ref(&r2))[0].outcome,
        ImportOutcomeKind::Accepted
    );
    refused(&c, &r1, "older than or the same as r2");

    // A stolen key signing seq 5000: refused as a jump (T7).
    let (cipher, sig, _) = entries(&r1);
    let comment = comment_of(&sig).replace("seq=1", "seq=5000");
    let (forged, signer) = sign("camden", &cipher, &comment);
    let f = write(
        dir.path(),
        "jump.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            ("payload.age.minisig", forged.as_bytes()),
            ("signer.pub", signer.as_bytes()),
        ]),
    );
    refused(&c, &f, "jumps from r2 to r5000");

    // Inner header disagreeing with the signed one (seq 3 outside, 1 inside).
    let comment = comment_of(&sig).replace("seq=1", "seq=3");
    let (forged, signer) = sign("camden", &cipher, &comment);
    let f = write(
        dir.path(),
        "inner.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            ("payload.age.minisig", forged.as_bytes()),
            ("signer.pub", signer.as_bytes()),
        ]),
    );
    refused(
        &c,
        &f,
        "the sequence number is '1' inside but '3' in the signed header",
    );
}

#[test]
fn forged_tampered_and_misattributed_bundles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let good = export(&mut camden, dir.path(), "camden");
    let c = central(
        dir.path(),
        &[("camden", "E09000007"), ("barnet", "E09000003")],
    );
    let bytes = std::fs::read(&good).unwrap();
    let (cipher, sig, signer) = entries(&good);

    // T2: one byte of the ciphertext flipped.
    let mut flipped = cipher.clone();
    flipped[200] ^= 1;
    let f = write(
        dir.path(),
        "t2.ctbundle",
        &zip_of(&[
            ("payload.age", &flipped),
            ("payload.age.minisig", sig.as_bytes()),
            ("signer.pub", signer.as_bytes()),
        ]),
    );
    refused(&c, &f, "has been changed since it was signed");

    // T3: the trusted comment edited.
    let edited = sig.replace("seq=1", "seq=2");
    let f = write(
        dir.path(),
        "t3.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            ("payload.age.minisig", edited.as_bytes()),
            ("signer.pub", signer.as_bytes()),
        ]),
    );
    refused(&c, &f, "signature is not valid");

    // T4: Barnet's key signing a bundle that claims to be Camden's.
    let mut fake = borough(dir.path(), "E09000007", "fake-camden");
    let f = export(&mut fake, dir.path(), "barnet");
    refused(
        &c,
        &f,
        "claims to come from gss:E09000007 but is signed with gss:E09000003's key",
    );

    // T5: Camden's ciphertext stripped and re-signed by Barnet as Barnet's.
    let comment = comment_of(&sig).replace("gss:E09000007", "gss:E09000003");
    let (resigned, barnet_pub) = sign("barnet", &cipher, &comment);
    let f = write(
        dir.path(),
        "t5.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            ("payload.age.minisig", resigned.as_bytes()),
            ("signer.pub", barnet_pub.as_bytes()),
        ]),
    );
    refused(
        &c,
        &f,
        "the organisation is 'gss:E09000007' inside but 'gss:E09000003'",
    );

    // signer.pub swapped for another key than the one that signed.
    let other = std::fs::read_to_string(key("barnet.pub")).unwrap();
    let f = write(
        dir.path(),
        "swap.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            ("payload.age.minisig", sig.as_bytes()),
            ("signer.pub", other.as_bytes()),
        ]),
    );
    refused(&c, &f, "signer.pub is not the key that made the signature");

    // Legacy / malformed signatures.
    let f = write(
        dir.path(),
        "lines.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            (
                "payload.age.minisig",
                format!("{sig}extra line\n").as_bytes(),
            ),
            ("signer.pub", signer.as_bytes()),
        ]),
    );
    refused(&c, &f, "exactly 4 lines");

    // Not LOTI's key: decrypting needs the right identity.
    let mut store = Store::open(&c).unwrap();
    let before = std::fs::read(&c).unwrap();
    let mut fresh = borough(dir.path(), "E09000003", "barnet");
    let b = export(&mut fresh, dir.path(), "barnet");
    let out = store
        .import_bundles(&[b], &[key("other.age")], false, &ctx(), &mut |_| {})
        .unwrap();
    assert_eq!(out[0].outcome, ImportOutcomeKind::Refused);
    assert!(
        out[0].message.contains("not encrypted to this LOTI key"),
        "{}",
        out[0].message
    );
    drop(store);
    assert_eq!(std::fs::read(&c).unwrap(), before);
    let _ = bytes;
}

#[test]
fn unknown_keys_wait_in_quarantine_until_confirmed_and_revoked_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let b = export(&mut camden, dir.path(), "stranger");
    let c = central(dir.path(), &[]);
    let out = import(&c, std::slice::from_ref(&b));
    assert_eq!(
        out[0].outcome,
        ImportOutcomeKind::Quarantined,
        "{}",
        out[0].message
    );
    let info = api::public_key_info(&key("stranger.pub")).unwrap();
    assert!(out[0].message.contains(&info.fingerprint));
    let mut store = Store::open(&c).unwrap();
    assert!(
        store.returns().unwrap().is_empty(),
        "nothing merged from an unknown key"
    );
    let q = store.quarantine().unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].claimed_organisation, "gss:E09000007");
    let t = store.tracker("2026-27").unwrap();
    assert!(
        t.rows
            .iter()
            .find(|r| r.code == "E09000007")
            .unwrap()
            .waiting_in_quarantine
    );

    // A wrong fingerprint read over the phone: not trusted.
    let err = store
        .confirm_key(
            &info.key_id,
            "E09000007",
            "0000 0000 0000 0000 0000",
            "phoned",
            &[key("loti.age")],
            &ctx(),
        )
        .unwrap_err();
    assert!(err.message.contains("does not match"), "{}", err.message);
    assert!(store.keyring().unwrap().is_empty());

    let released = store
        .confirm_key(
            &info.key_id,
            "E09000007",
            &info.fingerprint,
            "phoned J Smith on LOTI's number",
            &[key("loti.age")],
            &ctx(),
        )
        .unwrap();
    assert_eq!(
        released[0].outcome,
        ImportOutcomeKind::Accepted,
        "{}",
        released[0].message
    );
    assert!(store.quarantine().unwrap().is_empty());
    assert_eq!(
        store.keyring().unwrap()[0].confirmed_note,
        "phoned J Smith on LOTI's number"
    );

    // T8: after revocation, later bundles signed with the key are refused.
    store
        .revoke_key(&info.key_id, "laptop lost", &ctx())
        .unwrap();
    drop(store);
    let b2 = export(&mut camden, dir.path(), "stranger");
    refused(&c, &b2, "revoked");
    refused(&c, &b2, "laptop lost");
}

#[test]
fn hostile_containers_and_payloads_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let good = export(&mut camden, dir.path(), "camden");
    let c = central(dir.path(), &[("camden", "E09000007")]);
    let bytes = std::fs::read(&good).unwrap();
    let (cipher, sig, signer) = entries(&good);
    let d = dir.path();

    refused(&c, &write(d, "empty.ctbundle", b""), "the file is empty");
    refused(
        &c,
        &write(d, "doc.ctbundle", b"%PDF-1.7 whatever"),
        "a PDF, not a City Tools bundle",
    );
    refused(
        &c,
        &write(d, "trunc.ctbundle", &bytes[..bytes.len() / 2]),
        "ZIP container is not valid",
    );
    let mut prefixed = b"MZ\x90\x00 self-extractor stub".to_vec();
    prefixed.extend_from_slice(&bytes);
    refused(&c, &write(d, "sfx.ctbundle", &prefixed), "not a ZIP file");
    let extra = zip_of(&[
        ("payload.age", &cipher),
        ("payload.age.minisig", sig.as_bytes()),
        ("signer.pub", signer.as_bytes()),
        ("notes.txt", b"hi"),
    ]);
    refused(&c, &write(d, "extra.ctbundle", &extra), "it has 4 entries");
    let traversal = zip_of(&[
        ("../payload.age", &cipher),
        ("payload.age.minisig", sig.as_bytes()),
        ("signer.pub", signer.as_bytes()),
    ]);
    refused(
        &c,
        &write(d, "trav.ctbundle", &traversal),
        "entry 1 is '../payload.age'",
    );
    let renamed = zip_of(&[
        ("Payload.age", &cipher),
        ("payload.age.minisig", sig.as_bytes()),
        ("signer.pub", signer.as_bytes()),
    ]);
    refused(
        &c,
        &write(d, "case.ctbundle", &renamed),
        "entry 1 is 'Payload.age'",
    );
    // A duplicate name: the third entry is also called payload.age.
    let dup = zip_of(&[
        ("payload.age", &cipher),
        ("payload.age.minisig", sig.as_bytes()),
        ("payload.agX", signer.as_bytes()),
    ]);
    let dup = replace_all(&dup, b"payload.agX", b"payload.age");
    refused(
        &c,
        &write(d, "dup.ctbundle", &dup),
        "two entries have the same name",
    );
    // Deflate declared (a decompression bomb would need it): method 8 in local and central headers.
    let mut deflated = bytes.clone();
    for (i, w) in bytes.windows(4).enumerate() {
        if w == b"PK\x03\x04" {
            deflated[i + 8] = 8;
        } else if w == b"PK\x01\x02" {
            deflated[i + 10] = 8;
        }
    }
    refused(
        &c,
        &write(d, "deflate.ctbundle", &deflated),
        "ZIP container is not valid",
    );

    // T18: hostile JSON inside a correctly signed and encrypted bundle.
    let comment = comment_of(&sig);
    let hostile = |name: &str, plain: &[u8]| {
        let cipher = encrypt_to_loti(plain);
        let (s, p) = sign("camden", &cipher, &comment);
        write(
            d,
            name,
            &zip_of(&[
                ("payload.age", &cipher),
                ("payload.age.minisig", s.as_bytes()),
                ("signer.pub", p.as_bytes()),
            ]),
        )
    };
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    refused(
        &c,
        &hostile("deep.ctbundle", deep.as_bytes()),
        "nested more than 32 levels",
    );
    let long = format!("{{\"format\":\"{}\"}}", "A".repeat(100_000));
    refused(
        &c,
        &hostile("long.ctbundle", long.as_bytes()),
        "longer than 32767 characters",
    );
    refused(
        &c,
        &hostile("utf8.ctbundle", b"{\"format\":\"\xff\"}"),
        "not UTF-8",
    );
    refused(
        &c,
        &hostile(
            "unknown.ctbundle",
            br#"{"format":"citytools-return","surprise":1}"#,
        ),
        "surprise",
    );

    // A well-formed payload whose records break the questionnaire: every problem listed.
    let bundle_id = comment
        .split(' ')
        .find_map(|p| p.strip_prefix("id="))
        .unwrap();
    let bad_records = json!({
        "format": "citytools-return", "format_version": 1, "bundle_id": bundle_id, "seq": 1,
        "previous_bundle_id": null,
        "organisation": {"scheme": "gss", "code": "E09000007", "name": "Camden"},
        "cycle": "2026-27", "questionnaire_version": "2026.1", "created_at": "2026-11-23T09:00:00Z",
        "app_version": "0.1.0",
        "signer_key": api::public_key_info(&key("camden.pub")).unwrap().public_key,
        "counts": {"contract": 2},
        "records": [
            {"id": "11111111-1111-4111-8111-111111111111", "kind": "contract", "review_state": "new",
             "data": {"title": "A", "start_date": "2027-04-01", "end_date": "2026-04-01"}},
            {"id": "22222222-2222-4222-8222-222222222222", "kind": "contract", "review_state": "new",
             "data": {"title": "B", "annual_value": 12.5}}
        ]
    });
    let f = hostile("records.ctbundle", bad_records.to_string().as_bytes());
    let before = std::fs::read(&c).unwrap();
    let out = import(&c, std::slice::from_ref(&f));
    let err = out[0].error.as_ref().expect("refused");
    assert_eq!(err.issues.len(), 2, "{:?}", err.issues);
    assert!(err.issues[0].message.contains("end_date"));
    assert!(err.issues[1].message.contains("annual_value"));
    assert_eq!(std::fs::read(&c).unwrap(), before);

    // A field named twice inside a record (T18): refused, not "the last one wins".
    let text = bad_records
        .to_string()
        .replace(r#""title":"A""#, r#""title":"A","title":"C""#);
    assert!(text.contains(r#""title":"C""#), "{text}");
    let f = hostile("duplicate.ctbundle", text.as_bytes());
    let out = import(&c, std::slice::from_ref(&f));
    let err = out[0].error.as_ref().expect("refused");
    assert!(
        err.issues
            .iter()
            .any(|i| i.message.contains("duplicate field `title`")),
        "{:?}",
        err.issues
    );
    assert_eq!(std::fs::read(&c).unwrap(), before);
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = hay.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn bundles_are_encrypted_and_verify_with_the_stock_tools() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let b = export(&mut camden, dir.path(), "camden");
    let bytes = std::fs::read(&b).unwrap();
    assert!(
        !bytes.windows(11).any(|w| w == b"MARKER-7731"),
        "T11: plaintext visible in the bundle"
    );

    let (cipher, sig, signer) = entries(&b);
    let work = dir.path().join("stock");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("payload.age"), &cipher).unwrap();
    std::fs::write(work.join("payload.age.minisig"), &sig).unwrap();
    std::fs::write(work.join("signer.pub"), &signer).unwrap();
    let run = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .current_dir(&work)
            .output()
            .unwrap_or_else(|e| panic!("`{cmd}` is not installed ({e}): run `cargo xtask setup`"))
    };
    let v = run("minisign", &["-V", "-p", "signer.pub", "-m", "payload.age"]);
    assert!(
        v.status.success(),
        "minisign -V failed: {}",
        String::from_utf8_lossy(&v.stderr)
    );
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(
        said.contains("ctb=1 org=gss:E09000007 cycle=2026-27 seq=1"),
        "{said}"
    );
    for identity in ["loti.age", "backup.age"] {
        let d = run(
            "age",
            &["-d", "-i", key(identity).to_str().unwrap(), "payload.age"],
        );
        assert!(
            d.status.success(),
            "age -d with {identity}: {}",
            String::from_utf8_lossy(&d.stderr)
        );
        let payload: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap();
        assert_eq!(payload["organisation"]["code"], "E09000007");
        assert!(
            payload["records"][0]["data"]["name"]
                .as_str()
                .unwrap()
                .contains("MARKER-7731")
        );
    }
    let wrong = run(
        "age",
        &[
            "-d",
            "-i",
            key("other.age").to_str().unwrap(),
            "payload.age",
        ],
    );
    assert!(
        !wrong.status.success(),
        "a stranger's identity must not decrypt"
    );
    // And our own verifier, without LOTI's secret.
    let info = api::inspect_bundle(&b, Some(&key("camden.pub"))).unwrap();
    assert_eq!(info.seq, 1);
    assert!(api::inspect_bundle(&b, Some(&key("barnet.pub"))).is_err());
}

#[test]
fn cycle_packs_must_be_signed_by_the_pinned_root_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = borough(dir.path(), "E09000007", "camden");
    let input = CyclePackInput {
        cycle: "2027-28".into(),
        opens: "2027-04-01".into(),
        closes: "2027-07-31".into(),
        recipients: vec![recipient("loti")],
    };
    let forged = dir.path().join("forged.ctcycle");
    api::create_cycle_pack(&forged, &input, &key("stranger.key"), PASS).unwrap();
    let err = s.import_cycle_pack(&forged, None, &ctx()).unwrap_err();
    assert!(
        err.message.contains("not signed by LOTI's root key"),
        "{}",
        err.message
    );
    let err = s
        .import_cycle_pack(&forged, Some(&key("stranger.pub")), &ctx())
        .unwrap_err();
    assert!(
        err.message.contains("different LOTI root key"),
        "{}",
        err.message
    );
    // Without a pack for its cycle, a return cannot be exported.
    s.carry_forward("2027-28", &ctx(), &mut |_| {}).unwrap();
    let err = s
        .export_bundle(None, dir.path(), &key("camden.key"), PASS, &ctx())
        .unwrap_err();
    assert!(
        err.message.contains("no cycle pack for 2027-28"),
        "{}",
        err.message
    );
    let err = s
        .export_bundle(
            Some("2026-27"),
            dir.path(),
            &key("camden.key"),
            "wrong passphrase",
            &ctx(),
        )
        .unwrap_err();
    assert!(err.message.contains("wrong passphrase"), "{}", err.message);
}

#[test]
fn a_rotated_key_takes_over_and_expired_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let c = central(dir.path(), &[("camden", "E09000007")]);
    let statement = dir.path().join("rotate.ctkey");
    let (new_secret, new_public) = (dir.path().join("new.key"), dir.path().join("new.pub"));
    let info = api::rotate_signing_key(
        "E09000007",
        &key("camden.key"),
        &new_secret,
        &new_public,
        PASS,
        &statement,
        &ctx(),
    )
    .unwrap();

    // A statement signed only by the new key (someone else's "rotation") is refused.
    let forged = dir.path().join("forged.ctkey");
    let bytes = std::fs::read(&statement).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = |i: usize| {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut z.by_index(i).unwrap(), &mut v).unwrap();
        v
    };
    let (json_part, _old_sig, new_sig) = (part(0), part(1), part(2));
    std::fs::write(
        &forged,
        zip_of(&[
            ("rotation.json", &json_part),
            ("rotation.json.old.minisig", &new_sig),
            ("rotation.json.new.minisig", &new_sig),
        ]),
    )
    .unwrap();
    let mut store = Store::open(&c).unwrap();
    let err = store.apply_rotation(&forged, &ctx()).unwrap_err();
    assert!(
        err.message.contains("the old key's signature"),
        "{}",
        err.message
    );

    let entry = store.apply_rotation(&statement, &ctx()).unwrap();
    assert_eq!(entry.key.key_id, info.key_id);
    let keys = store.keyring().unwrap();
    assert_eq!(keys.iter().filter(|k| k.status == "active").count(), 1);
    assert_eq!(
        keys.iter()
            .find(|k| k.status == "retired")
            .unwrap()
            .replaced_by
            .as_deref(),
        Some(info.key_id.as_str())
    );
    drop(store);

    // Bundles signed with the new key are accepted without a phone call.
    let out = dir.path().join("new-out");
    std::fs::create_dir_all(&out).unwrap();
    let b = PathBuf::from(
        camden
            .export_bundle(None, &out, &new_secret, PASS, &ctx())
            .unwrap()
            .file,
    );
    assert_eq!(import(&c, &[b])[0].outcome, ImportOutcomeKind::Accepted);

    // Years later, keys past their expiry are refused.
    let old = export(&mut camden, dir.path(), "camden");
    let mut later = ctx();
    later.now += chrono::Duration::days(800);
    let mut store = Store::open(&c).unwrap();
    let before = std::fs::read(&c).unwrap();
    let o = store
        .import_bundles(&[old], &[key("loti.age")], false, &later, &mut |_| {})
        .unwrap();
    assert_eq!(o[0].outcome, ImportOutcomeKind::Refused);
    assert!(
        o[0].message
            .contains("was replaced and stopped being accepted"),
        "{}",
        o[0].message
    );
    drop(store);
    assert_eq!(std::fs::read(&c).unwrap(), before);
}

#[test]
fn a_failed_export_leaves_no_file_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let missing = dir.path().join("no-such-folder");
    let err = camden
        .export_bundle(None, &missing, &key("camden.key"), PASS, &ctx())
        .unwrap_err();
    assert!(err.message.contains("no-such-folder"), "{}", err.message);
    assert!(!missing.exists());
    assert!(camden.sent_bundles(None).unwrap().is_empty());
    // The next successful export is still r1.
    let b = export(&mut camden, dir.path(), "camden");
    assert!(b.file_name().unwrap().to_string_lossy().contains("_r1."));
}

#[test]
fn a_key_can_be_trusted_for_one_organisation_only() {
    let dir = tempfile::tempdir().unwrap();
    let c = central(dir.path(), &[("camden", "E09000007")]);
    let mut store = Store::open(&c).unwrap();
    let pub_file = key("camden.pub");
    let info = api::public_key_info(&pub_file).unwrap();
    let err = store
        .confirm_key(
            pub_file.to_str().unwrap(),
            "E09000003",
            &info.fingerprint,
            "phoned",
            &[],
            &ctx(),
        )
        .unwrap_err();
    assert!(
        err.message
            .contains("already in the keyring for gss:E09000007"),
        "{}",
        err.message
    );
    assert_eq!(store.keyring().unwrap().len(), 1);
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap()
}

#[test]
fn legacy_signatures_and_colliding_key_ids_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let good = export(&mut camden, dir.path(), "camden");
    let c = central(dir.path(), &[("camden", "E09000007")]);
    let (cipher, sig, signer) = entries(&good);

    // T23: the same signature relabelled as legacy (non-prehashed `Ed`).
    let lines: Vec<&str> = sig.lines().collect();
    let mut raw = unb64(lines[1]);
    raw[..2].copy_from_slice(b"Ed");
    let legacy = format!("{}\n{}\n{}\n{}\n", lines[0], b64(&raw), lines[2], lines[3]);
    let f = write(
        dir.path(),
        "legacy.ctbundle",
        &zip_of(&[
            ("payload.age", &cipher),
            ("payload.age.minisig", legacy.as_bytes()),
            ("signer.pub", signer.as_bytes()),
        ]),
    );
    refused(&c, &f, "legacy (non-prehashed) signatures are not accepted");

    // T10: another key that claims Camden's key id is not enrolled beside it.
    let camden_pub = std::fs::read_to_string(key("camden.pub")).unwrap();
    let barnet_pub = std::fs::read_to_string(key("barnet.pub")).unwrap();
    let mut impostor = unb64(barnet_pub.lines().nth(1).unwrap());
    let camden_raw = unb64(camden_pub.lines().nth(1).unwrap());
    impostor[2..10].copy_from_slice(&camden_raw[2..10]);
    let impostor_file = write(
        dir.path(),
        "impostor.pub",
        format!("untrusted comment: x\n{}\n", b64(&impostor)).as_bytes(),
    );
    let info = api::public_key_info(&impostor_file).unwrap();
    let mut store = Store::open(&c).unwrap();
    let err = store
        .confirm_key(
            impostor_file.to_str().unwrap(),
            "E09000003",
            &info.fingerprint,
            "phoned",
            &[],
            &ctx(),
        )
        .unwrap_err();
    assert!(
        err.message.contains("already in the keyring"),
        "{}",
        err.message
    );
    assert_eq!(store.keyring().unwrap().len(), 1);
}

#[test]
fn an_organisation_outside_london_is_trusted_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("2026-27.ctcycle");
    let input = CyclePackInput {
        cycle: "2026-27".into(),
        opens: "2026-04-01".into(),
        closes: "2026-07-31".into(),
        recipients: vec![recipient("loti"), recipient("backup")],
    };
    api::create_cycle_pack(&pack, &input, &key("root.key"), PASS).unwrap();
    let mut kent = Store::create_for(
        &dir.path().join("kent.ctstore"),
        &api::NewStore {
            organisation: "gss:E10000016".into(),
            organisation_name: Some("Kent County Council".into()),
            cycle: "2026-27".into(),
        },
        &ctx(),
    )
    .unwrap();
    kent.import_cycle_pack(&pack, Some(&key("root.pub")), &ctx())
        .unwrap();
    let bundle = export(&mut kent, dir.path(), "stranger");

    let path = dir.path().join("central.ctstore");
    let mut c = Store::create_central(&path, &ctx()).unwrap();
    let public = key("stranger.pub");
    let info = api::public_key_info(&public).unwrap();
    let p = public.to_str().unwrap();
    // Without its name the organisation cannot be added, and nothing is written.
    let before = std::fs::read(&path).unwrap();
    let e = c
        .confirm_key(p, "gss:E10000016", &info.fingerprint, "phoned", &[], &ctx())
        .unwrap_err();
    assert!(e.message.contains("give a name"), "{}", e.message);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    c.confirm_key_named(
        p,
        "gss:E10000016",
        Some("Kent County Council"),
        &info.fingerprint,
        "phoned",
        &[],
        &ctx(),
    )
    .unwrap();
    drop(c);
    let out = import(&path, &[bundle]);
    assert_eq!(
        out[0].outcome,
        ImportOutcomeKind::Accepted,
        "{}",
        out[0].message
    );
    let mut c = Store::open(&path).unwrap();
    let keyring = c.keyring().unwrap();
    assert_eq!(keyring[0].organisation, "gss:E10000016");
}

/// One import of several files: the next bundle is prepared (verified, decrypted) while the
/// one before it merges, yet each is judged on what the ones before it left in the store, in
/// the order given, and each outcome is the one it would have on its own.
#[test]
fn several_bundles_in_one_import_are_judged_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut camden = borough(dir.path(), "E09000007", "camden");
    let r1 = export(&mut camden, dir.path(), "camden");
    let sys = camden.list(None, RecordKind::System, false).unwrap()[0]
        .id
        .to_string();
    camden
        .update(
            None,
            RecordKind::System,
            &sys,
            json!({"users": 4321}),
            &ctx(),
        )
        .unwrap();
    let r2 = export(&mut camden, dir.path(), "camden");
    let mut stranger = borough(dir.path(), "E09000005", "brent");
    let unknown = export(&mut stranger, dir.path(), "stranger");
    let mut tampered = std::fs::read(&r2).unwrap();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x55;
    let tampered = write(dir.path(), "tampered.ctbundle", &tampered);
    let missing = dir.path().join("missing.ctbundle");
    let c = central(dir.path(), &[("camden", "E09000007")]);

    let files = [
        r2.clone(),
        r1.clone(),
        r2.clone(),
        tampered,
        unknown,
        missing,
    ];
    let out = import(&c, &files);
    let kinds: Vec<_> = out.iter().map(|o| o.outcome).collect();
    assert_eq!(
        kinds,
        [
            ImportOutcomeKind::Accepted,
            ImportOutcomeKind::Refused,
            ImportOutcomeKind::AlreadyImported,
            ImportOutcomeKind::Refused,
            ImportOutcomeKind::Quarantined,
            ImportOutcomeKind::Refused,
        ],
        "{:#?}",
        out.iter().map(|o| &o.message).collect::<Vec<_>>()
    );
    assert!(
        out[1].message.contains("replay or rollback"),
        "{}",
        out[1].message
    );
    assert!(
        out[5].message.contains("missing.ctbundle"),
        "{}",
        out[5].message
    );
    for (o, f) in out.iter().zip(&files) {
        assert_eq!(o.file, f.display().to_string());
    }
    // What was merged is r2's return.
    let mut central_store = Store::open(&c).unwrap();
    let history = central_store
        .bundle_history("E09000007", "2026-27")
        .unwrap();
    assert_eq!(history.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [2]);
    let systems = central_store
        .list(Some("2026-27"), RecordKind::System, false)
        .unwrap();
    assert_eq!(systems.len(), 1);
    let record = serde_json::to_value(&systems[0].record).unwrap();
    assert_eq!(record["data"]["users"], json!(4321), "{record}");
}
