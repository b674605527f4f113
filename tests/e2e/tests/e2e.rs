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

const PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;

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
    /// Starts the app with `store` open (or none).
    async fn start(store: Option<&Path>) -> App {
        let app = binary("APP_BIN", "city-tools");
        assert!(
            app.is_file(),
            "no app binary at {} (build it with cargo xtask test)",
            app.display()
        );
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &PORT.to_string(),
                "--native-port",
                &NATIVE_PORT.to_string(),
            ])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env(
                "CITY_TOOLS_STORE",
                store.map(|p| p.display().to_string()).unwrap_or_default(),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver is not installed: run cargo xtask setup");
        let driver = Driver(driver);
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", PORT)).is_err() {
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
            .connect(&format!("http://127.0.0.1:{PORT}"))
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
        panic!("{css}: gave up waiting; last text {last:?}");
    }

    async fn screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = workspace().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
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

/// Runs the real `city` CLI.
fn city(store: &Path, args: &[&str]) -> String {
    let bin = binary("CITY_BIN", "city");
    let out = Command::new(&bin)
        .env("CITY_STORE", store)
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
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver; run via cargo xtask test"]
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
    assert_eq!(items.len(), 6);
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
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver; run via cargo xtask test"]
async fn without_a_store_the_app_says_how_to_start() {
    let app = App::start(None).await;
    let h1 = app.text_when("h1", |t| !t.is_empty()).await;
    assert_eq!(h1, "No return is open");
    let body = app.text_when("main", |t| t.contains("city create")).await;
    assert!(body.contains("--org E09000007 --cycle 2026-27"), "{body}");
    app.assert_accessible("no return").await;
    app.screenshot("no-return").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver; run via cargo xtask test"]
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
