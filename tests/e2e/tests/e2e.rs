//! End-to-end tests of the real `city-tools` app: started under Xvfb by tauri-driver and
//! Debian's WebKitWebDriver, driven over WebDriver, with stores made by the real `city` CLI.
//! Screens are checked by their DOM text and with axe-core; screenshots go to
//! `target/screenshots/`. Run through `cargo xtask test` (they need a display, so a plain
//! `cargo test` skips them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// tauri-driver's port (and WebKitWebDriver's, the next one up): `CITY_E2E_PORT`, else 4444, so
/// that two checkouts can run their suites on one machine at once.
fn port() -> u16 {
    std::env::var("CITY_E2E_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4444)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn binary(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/debug").join(default))
}

/// tauri-driver, stopped with SIGTERM so that it also stops WebKitWebDriver.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        for _ in 0..50 {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The running app with its WebDriver session.
struct App {
    client: Client,
    _driver: Driver,
}

impl App {
    /// Starts the app with `store` open (or none), with an app folder of its own.
    async fn start(store: Option<&Path>) -> App {
        let home = tempfile::tempdir().unwrap().keep();
        App::start_in(store, &home).await
    }

    /// Starts the app with `store` open (or none) and `home` as its app folder (where it keeps
    /// new stores and remembers the last one opened).
    async fn start_in(store: Option<&Path>, home: &Path) -> App {
        let app = binary("APP_BIN", "city-tools");
        assert!(
            app.is_file(),
            "no app binary at {} (build it with cargo xtask test)",
            app.display()
        );
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port().to_string(),
                "--native-port",
                &(port() + 1).to_string(),
            ])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env(
                "CITY_TOOLS_STORE",
                store.map(|p| p.display().to_string()).unwrap_or_default(),
            )
            .env("CITY_TOOLS_HOME", home)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver is not installed: run cargo xtask setup");
        let driver = Driver(driver);
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port())).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "tauri-driver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), serde_json::json!("wry"));
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", port()))
            .await
            .expect("WebDriver session");
        App {
            client,
            _driver: driver,
        }
    }

    /// Waits until the element's text satisfies `ok`, and returns it.
    async fn text_when(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        let mut last = String::new();
        while t0.elapsed() < Duration::from_secs(15) {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if ok(&last) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let name: String = css.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        // The failure path is bounded too: a WebDriver call that never answers must not turn a
        // failed wait into a hung suite.
        let limit = Duration::from_secs(20);
        let _ = tokio::time::timeout(limit, self.screenshot(&format!("failed-{name}"))).await;
        let body = tokio::time::timeout(limit, async {
            match self.client.find(Locator::Css("main")).await {
                Ok(m) => m.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            }
        })
        .await
        .unwrap_or_else(|_| "(the page did not answer)".into());
        panic!("{css}: gave up waiting; last text {last:?}; the page said: {body}");
    }

    /// Saves a screenshot to `target/screenshots/`; one the user guide shows
    /// (`docs/guide/*.md` names `images/NAME.png`) also to `docs/guide/images/`, so the guide's
    /// pictures are the app as this run saw it.
    async fn screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = workspace().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        if guide_shows(name) {
            let images = workspace().join("docs/guide/images");
            std::fs::create_dir_all(&images).unwrap();
            std::fs::write(images.join(format!("{name}.png")), &png).unwrap();
        }
    }

    /// Runs axe-core in the page and fails on any serious or critical violation.
    async fn assert_accessible(&self, screen: &str) {
        let axe = std::fs::read_to_string(workspace().join("ui/node_modules/axe-core/axe.min.js"))
            .expect("axe-core is not installed: run cargo xtask setup");
        self.client
            .execute(&axe, vec![])
            .await
            .expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length})))))
                    .catch(e => done('error: ' + e));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let text = result.as_str().unwrap_or_default().to_string();
        assert!(
            !text.starts_with("error"),
            "{screen}: axe-core failed: {text}"
        );
        let violations: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let bad: Vec<_> = violations
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        assert!(
            bad.is_empty(),
            "{screen}: serious or critical accessibility violations: {bad:#?}"
        );
    }

    async fn close(self) {
        self.client.close().await.expect("close session");
    }
}

/// Whether a page of the user guide shows the screenshot `name` (as `images/NAME.png`).
fn guide_shows(name: &str) -> bool {
    let wanted = format!("(images/{name}.png)");
    std::fs::read_dir(workspace().join("docs/guide"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|text| text.contains(&wanted)))
}

/// A copy of `fixtures/<folder>/<name>` in a fixed folder under the system's temporary folder,
/// whose path is what the tests type into the app: the screenshots (the user guide's pictures
/// among them) then show `/tmp/city-tools-e2e/…`, not the checkout's path on this machine.
fn fixture_copy(folder: &str, name: &str) -> String {
    let dir = std::env::temp_dir().join("city-tools-e2e").join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    let to = dir.join(name);
    std::fs::copy(workspace().join("fixtures").join(folder).join(name), &to)
        .unwrap_or_else(|e| panic!("fixtures/{folder}/{name}: {e}"));
    to.display().to_string()
}

fn key(name: &str) -> String {
    fixture_copy("keys", name)
}

impl App {
    async fn go(&self, page: &str) {
        let link = match self
            .client
            .find(Locator::Css(&format!("a[href='#/{page}']")))
            .await
        {
            Ok(l) => l,
            Err(e) => {
                self.screenshot(&format!("failed-go-{page}")).await;
                panic!("no navigation link to {page}: {e}");
            }
        };
        link.click().await.expect("follow link");
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    async fn press(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }
}

mod forms; // the borough's return in the app: start, forms, autosave, lists, keyboard only
mod loti; // LOTI's collaboration views, filters and exports over several boroughs' returns

/// Runs the real `city` CLI.
fn city(store: &Path, args: &[&str]) -> String {
    let bin = binary("CITY_BIN", "city");
    let out = Command::new(&bin)
        .env("CITY_STORE", store)
        .env("CITY_PASSPHRASE", "fixture passphrase")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "city {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn the_task_list_shows_each_section_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );
    city(
        &store,
        &[
            "system",
            "add",
            "--set",
            "name=Civica APP <img src=x onerror=alert(1)>",
        ],
    );
    city(
        &store,
        &[
            "supplier",
            "add",
            "--set",
            "name=Civica UK Ltd",
            "--set",
            "no_uk_identifier=true",
        ],
    );

    let app = App::start(Some(&store)).await;
    let heading = app.text_when("#return-heading", |t| !t.is_empty()).await;
    assert_eq!(heading, "Camden — 2026-27 return");
    let systems = app.text_when("#status-systems", |t| !t.is_empty()).await;
    assert_eq!(systems, "In progress");
    assert_eq!(
        app.text_when("#status-contracts", |t| !t.is_empty()).await,
        "Not started"
    );
    assert_eq!(
        app.text_when("#status-suppliers", |t| !t.is_empty()).await,
        "Completed"
    );
    let summary = app.text_when("#progress-summary", |t| !t.is_empty()).await;
    assert_eq!(summary, "You have completed 1 of 6 sections.");
    let items = app
        .client
        .find_all(Locator::Css("#task-list > li"))
        .await
        .unwrap();
    assert_eq!(items.len(), 8, "six sections, check answers and send");
    let titles = app
        .text_when("#task-list", |t| t.contains("Cyber readiness"))
        .await;
    for title in [
        "Systems",
        "Contracts",
        "Suppliers and products",
        "Skills",
        "GDPR readiness",
        "Cyber readiness",
    ] {
        assert!(titles.contains(title), "{title} missing from {titles}");
    }
    // User text is shown as text: the markup appears literally and no <img> was created.
    let missing = app
        .text_when("#section-systems", |t| t.contains("Civica APP"))
        .await;
    assert!(
        missing.contains("Civica APP <img src=x onerror=alert(1)>"),
        "{missing}"
    );
    let images = app.client.find_all(Locator::Css("img")).await.unwrap();
    assert!(images.is_empty(), "user text became markup");

    app.assert_accessible("task list").await;
    app.screenshot("task-list").await;
    app.close().await;
}

#[tokio::test]
async fn without_a_store_the_app_offers_to_start_a_return() {
    let app = App::start(None).await;
    let h1 = app.text_when("h1", |t| !t.is_empty()).await;
    assert_eq!(h1, "Your organisation's technology return");
    let orgs = app.text_when("#org", |t| t.contains("Westminster")).await;
    assert!(
        orgs.contains("Camden") && orgs.contains("City of London"),
        "{orgs}"
    );
    // Starting without choosing an organisation says what to do, next to the field.
    app.press("#start-return").await;
    let msg = app.text_when("#error-summary", |t| !t.is_empty()).await;
    assert!(msg.contains("Choose your organisation"), "{msg}");
    app.text_when("#org-error", |t| t.contains("Choose your organisation"))
        .await;
    app.assert_accessible("start").await;
    app.screenshot("start").await;
    app.close().await;
}

#[tokio::test]
async fn about_shows_the_same_build_as_the_command_line() {
    let app = App::start(None).await;
    app.text_when("h1", |t| !t.is_empty()).await;
    app.press("#footer-about").await;
    let version = app.text_when("#about-version", |t| !t.is_empty()).await;
    let commit = app.text_when("#about-commit", |t| !t.is_empty()).await;
    let schema = app.text_when("#about-schema", |t| !t.is_empty()).await;
    let questionnaire = app
        .text_when("#about-questionnaire", |t| !t.is_empty())
        .await;
    // The CLI beside the app under test (the build tree's, or the installed package's).
    let cli = city(Path::new(""), &["--version"]);
    assert_eq!(
        cli.trim(),
        format!(
            "city {version} (commit {commit}, store schema {schema}, questionnaire {questionnaire})"
        )
    );
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    app.assert_accessible("about").await;
    app.screenshot("about").await;
    app.close().await;
}

#[tokio::test]
async fn every_guide_page_is_reachable_from_help_with_its_pictures() {
    let app = App::start(None).await;
    app.text_when("h1", |t| !t.is_empty()).await;
    app.press("#footer-help").await;
    app.text_when("#guide h1", |t| t == "City Tools user guide")
        .await;
    let pages: Vec<String> = std::fs::read_dir(workspace().join("docs/guide"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(pages.len() >= 4, "{pages:?}");
    for page in &pages {
        let markdown =
            std::fs::read_to_string(workspace().join(format!("docs/guide/{page}.md"))).unwrap();
        let title = markdown.lines().next().unwrap().trim_start_matches("# ");
        app.press(&format!("#guide-pages a[href='#/help/{page}']"))
            .await;
        app.text_when("#guide h1", |t| t == title).await;
        // Every picture the page names is bundled and drawn.
        let expected = markdown.matches("](images/").count();
        let t0 = Instant::now();
        loop {
            let loaded = app
                .client
                .execute(
                    "return [...document.querySelectorAll('#guide img')].filter(i => i.complete && i.naturalWidth > 0).length",
                    vec![],
                )
                .await
                .unwrap();
            if loaded.as_u64() == Some(expected as u64) {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "{page}: {loaded} of {expected} pictures drawn"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        app.assert_accessible(&format!("help {page}")).await;
    }
    app.close().await;
}

#[tokio::test]
async fn a_store_from_a_newer_version_is_shown_as_an_error_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );
    let mut raw = std::fs::read(&store).unwrap();
    raw[60..64].copy_from_slice(&9u32.to_be_bytes()); // SQLite user_version: schema 9
    std::fs::write(&store, &raw).unwrap();

    let app = App::start(Some(&store)).await;
    let msg = app.text_when("#error-message", |t| !t.is_empty()).await;
    assert!(msg.contains("newer version of City Tools"), "{msg}");
    app.assert_accessible("error").await;
    app.screenshot("newer-store-error").await;
    app.close().await;
    assert_eq!(
        std::fs::read(&store).unwrap(),
        raw,
        "the store must be untouched"
    );
}

/// LOTI's 2026-27 cycle pack, signed with the fixture root key.
fn cycle_pack(dir: &Path) -> PathBuf {
    let pack = dir.join("2026-27.ctcycle");
    let loti = std::fs::read_to_string(key("loti.recipient")).unwrap();
    city(
        &dir.join("unused.ctstore"),
        &[
            "cycle-pack",
            "create",
            "--out",
            pack.to_str().unwrap(),
            "--for-cycle",
            "2026-27",
            "--opens",
            "2026-04-01",
            "--closes",
            "2026-07-31",
            "--recipient",
            loti.trim(),
            "--root-secret",
            &key("root.key"),
        ],
    );
    pack
}

#[tokio::test]
async fn a_borough_imports_the_cycle_pack_and_creates_its_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );
    city(&store, &["system", "add", "--set", "name=Mosaic"]);
    let pack = cycle_pack(dir.path());
    let out = dir.path().join("outbox");
    std::fs::create_dir_all(&out).unwrap();

    let app = App::start(Some(&store)).await;
    app.text_when("#return-heading", |t| t.contains("Camden"))
        .await;
    app.go("send").await;
    app.text_when("h1", |t| t == "Send your return to LOTI")
        .await;
    app.text_when("#none-sent", |t| t.contains("No bundle"))
        .await;

    // Without the cycle pack, creating the bundle says what to do first.
    app.type_into("#key-file", &key("camden.key")).await;
    app.type_into("#passphrase", "fixture passphrase").await;
    app.type_into("#out-folder", out.to_str().unwrap()).await;
    app.press("#create-bundle").await;
    let msg = app.text_when("#error-message", |t| !t.is_empty()).await;
    assert!(msg.contains("import LOTI's cycle pack first"), "{msg}");

    app.type_into("#pack-file", pack.to_str().unwrap()).await;
    app.type_into("#root-key", &key("root.pub")).await;
    app.press("#import-pack").await;
    app.text_when("#pack-done", |t| t.contains("2026-27")).await;

    app.type_into("#passphrase", "fixture passphrase").await;
    app.press("#create-bundle").await;
    let made = app.text_when("#bundle-made", |t| t.contains("r1")).await;
    assert!(made.contains("E09000007_2026-27_r1.ctbundle"), "{made}");
    assert!(out.join("E09000007_2026-27_r1.ctbundle").is_file());
    app.text_when("#sent-table", |t| t.contains("r1")).await;
    app.assert_accessible("send to LOTI").await;
    app.screenshot("send-to-loti").await;
    app.close().await;
}

#[tokio::test]
async fn loti_imports_a_bundle_confirms_the_key_and_tracks_returns() {
    let dir = tempfile::tempdir().unwrap();
    let borough = dir.path().join("camden.ctstore");
    city(
        &borough,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );
    city(
        &borough,
        &[
            "system",
            "add",
            "--set",
            "name=Mosaic <img src=x onerror=alert(1)>",
        ],
    );
    let pack = cycle_pack(dir.path());
    city(
        &borough,
        &[
            "cycle-pack",
            "import",
            pack.to_str().unwrap(),
            "--root-key",
            &key("root.pub"),
        ],
    );
    city(
        &borough,
        &[
            "bundle",
            "export",
            "--dir",
            dir.path().to_str().unwrap(),
            "--key",
            &key("camden.key"),
        ],
    );
    let bundle = dir.path().join("E09000007_2026-27_r1.ctbundle");
    let central = dir.path().join("central.ctstore");
    city(&central, &["create-central"]);
    let fp: serde_json::Value = serde_json::from_str(&city(
        &borough,
        &["key", "fingerprint", &key("camden.pub"), "--json"],
    ))
    .unwrap();

    let app = App::start(Some(&central)).await;
    app.text_when("#return-heading", |t| t == "LOTI central store")
        .await;
    let summary = app.text_when("#tracker-summary", |t| !t.is_empty()).await;
    assert_eq!(summary, "0 of 33 returns received for 2026-27.");
    app.assert_accessible("tracker (empty)").await;

    app.go("import").await;
    app.type_into("#bundle-files", bundle.to_str().unwrap())
        .await;
    app.type_into("#identity", &key("loti.age")).await;
    app.press("#import-button").await;
    let result = app.text_when("#import-outcomes", |t| !t.is_empty()).await;
    assert!(result.contains("Quarantined"), "{result}");
    assert!(
        result.contains(fp["fingerprint"].as_str().unwrap()),
        "{result}"
    );
    app.assert_accessible("import").await;
    app.screenshot("import-bundles").await;

    app.go("quarantine").await;
    app.text_when("#quarantine-table", |t| t.contains("gss:E09000007"))
        .await;
    app.press("#quarantine-table button").await;
    app.type_into("#confirm-fingerprint", fp["fingerprint"].as_str().unwrap())
        .await;
    app.type_into(
        "#confirm-note",
        "Rang J Smith on 020 7974 0000 from LOTI's list",
    )
    .await;
    app.type_into("#confirm-identity", &key("loti.age")).await;
    app.assert_accessible("quarantine").await;
    app.screenshot("quarantine").await;
    app.press("#confirm-button").await;
    let released = app.text_when("#import-outcomes", |t| !t.is_empty()).await;
    assert!(released.contains("Accepted"), "{released}");
    // Data from a bundle is shown as text: the markup is literal and creates no element.
    app.press("#import-outcomes summary").await;
    let changes = app
        .text_when("#import-outcomes", |t| t.contains("Added system"))
        .await;
    assert!(
        changes.contains("Mosaic <img src=x onerror=alert(1)>"),
        "{changes}"
    );
    assert!(
        app.client
            .find_all(Locator::Css("img"))
            .await
            .unwrap()
            .is_empty()
    );

    // The window has no global Tauri object and cannot reach commands it was not granted.
    let global = app
        .client
        .execute("return typeof window.__TAURI__;", vec![])
        .await
        .unwrap();
    assert_eq!(global, serde_json::json!("undefined"));
    let denied = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('plugin:dialog|open', { options: {} })
               .then(() => done('allowed'), e => done('denied: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    let denied = denied.as_str().unwrap_or_default().to_string();
    assert!(denied.starts_with("denied"), "{denied}");
    app.text_when("#quarantine-empty", |t| t.contains("No bundles"))
        .await;

    app.go("keyring").await;
    let keys = app.text_when("#keyring-table", |t| !t.is_empty()).await;
    assert!(
        keys.contains("gss:E09000007") && keys.contains("active"),
        "{keys}"
    );
    app.assert_accessible("keyring").await;

    app.go("tracker").await;
    let row = app
        .text_when("#tracker-E09000007", |t| t.contains("Received"))
        .await;
    assert!(row.contains("r1"), "{row}");
    app.text_when("#tracker-summary", |t| t.starts_with("1 of 33"))
        .await;
    app.screenshot("tracker").await;
    app.close().await;
}
