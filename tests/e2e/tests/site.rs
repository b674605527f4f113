//! The published site in a real browser: Debian's headless Chromium, driven over WebDriver by
//! Debian's chromedriver (fantoccini), opening the London data set's open site from `file://`
//! (and two pages from a static web server on the loopback). On every page axe-core finds no
//! serious or critical violation, and Chromium's performance log (every
//! `Network.requestWillBeSent` the page caused, blocked or not) shows no request outside the
//! site's folder; a request planted on purpose is seen, so the check can fail. On
//! the pipeline and systems pages the filters are worked by keyboard alone (Tab to a filter,
//! arrow keys, typing, Enter on *Show more rows*, *Clear filters* and a column's sort button)
//! and change both the table and the charts drawn from it. Screenshots go to
//! `target/screenshots/site-*`.
//! Run by `cargo xtask test` (`cargo test --test site`); it needs no display.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// chromedriver's port for test `n`: 10 + n above `CITY_E2E_PORT` (tauri-driver and
/// WebKitWebDriver use it and the next one), else 4454 + n; so the tests can run at once.
fn port(n: u16) -> u16 {
    std::env::var("CITY_E2E_PORT")
        .ok()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(4444)
        + 10
        + n
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn city() -> PathBuf {
    std::env::var_os("CITY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/debug/city"))
}

/// chromedriver, killed when the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Chromium's log entries of a type (`performance`), taken since the last call.
#[derive(Debug)]
struct GetLog(&'static str);

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": self.0 }).to_string()),
        )
    }
}

struct Browser {
    client: Client,
    _driver: Driver,
    site: PathBuf,
}

impl Browser {
    async fn start(site: &Path, n: u16) -> Browser {
        let driver = Command::new("chromedriver")
            .arg(format!("--port={}", port(n)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "chromedriver is not installed: run cargo xtask setup (Debian's chromium-driver)",
            );
        let driver = Driver(driver);
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port(n))).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--disable-sync",
                    "--disable-component-update", "--disable-default-apps",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
            }),
        );
        caps.insert(
            "goog:loggingPrefs".into(),
            json!({ "performance": "ALL", "browser": "ALL" }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", port(n)))
            .await
            .expect("WebDriver session with headless Chromium");
        let b = Browser {
            client,
            _driver: driver,
            site: site.to_path_buf(),
        };
        // The browser's own start-up (its new-tab page) is not the site's.
        b.client.goto("about:blank").await.unwrap();
        let _ = b.requests().await;
        b
    }

    fn url(&self, page: &str) -> String {
        format!("file://{}/{page}", self.site.display())
    }

    /// Opens a page and waits for its script to have started.
    async fn open(&self, page: &str) {
        self.client.goto(&self.url(page)).await.expect("open page");
        let t0 = Instant::now();
        loop {
            let ready = self
                .client
                .execute(
                    "return document.documentElement.getAttribute('data-site-ready')",
                    vec![],
                )
                .await
                .unwrap();
            if ready == json!("true") {
                return;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(15),
                "{page}: the site's script did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Every URL Chromium was asked to load since the last call, from the performance log.
    async fn requests(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(GetLog("performance"))
            .await
            .expect("Chromium's performance log");
        let mut urls = Vec::new();
        for entry in log.as_array().into_iter().flatten() {
            let Some(text) = entry["message"].as_str() else {
                continue;
            };
            let m: Value = serde_json::from_str(text).unwrap();
            let method = m["message"]["method"].as_str().unwrap_or_default();
            if method == "Network.requestWillBeSent" {
                if let Some(u) = m["message"]["params"]["request"]["url"].as_str() {
                    urls.push(u.to_string());
                }
            }
        }
        urls
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect(script)
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = workspace().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("site-{name}.png")), png).unwrap();
    }

    /// axe-core in the page: no serious or critical violation.
    async fn assert_accessible(&self, page: &str) {
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
                    .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)})))))
                    .catch(e => done('error: ' + e));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let text = result.as_str().unwrap_or_default().to_string();
        assert!(
            !text.starts_with("error"),
            "{page}: axe-core failed: {text}"
        );
        let violations: Vec<Value> = serde_json::from_str(&text).unwrap();
        let bad: Vec<_> = violations
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        assert!(
            bad.is_empty(),
            "{page}: serious or critical accessibility violations: {bad:#?}"
        );
    }

    /// Presses Tab until the element with `id` has the focus (the keyboard's way to a control).
    async fn tab_to(&self, id: &str) {
        for _ in 0..80 {
            let active = self.client.active_element().await.unwrap();
            if active.attr("id").await.unwrap().as_deref() == Some(id) {
                return;
            }
            active.send_keys(TAB).await.unwrap();
        }
        panic!("Tab never reached #{id}");
    }

    async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// The rows a table shows, as the text of the count under its filters.
    async fn count(&self, table: &str) -> String {
        self.client
            .find(Locator::Css(&format!("[data-count-for='{table}']")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A chart's figures as its table beside it shows them: (label, number).
    async fn chart(&self, id: &str) -> Vec<(String, i64)> {
        let v = self
            .js(&format!(
                "return Array.from(document.querySelectorAll('#{id} table tbody tr')).map(r => [r.cells[0].textContent, r.cells[1].textContent])"
            ))
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let n: String = p[1]
                    .as_str()
                    .unwrap()
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '-')
                    .collect();
                (p[0].as_str().unwrap().to_string(), n.parse().unwrap())
            })
            .collect()
    }

    /// How many bars a chart's SVG draws.
    async fn bars(&self, id: &str) -> u64 {
        self.js(&format!(
            "return document.querySelectorAll('#{id} svg rect.bar').length"
        ))
        .await
        .as_u64()
        .unwrap()
    }

    /// The rows matching a table's filters, from the count under them.
    async fn shown(&self, table: &str) -> u64 {
        let text = self.count(table).await;
        let n: String = text
            .trim_start_matches("Showing ")
            .split(" of ")
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        n.parse().unwrap_or_else(|_| panic!("no count in {text:?}"))
    }

    /// The rows a table lists.
    async fn visible_rows(&self, table: &str) -> u64 {
        self.js(&format!(
            "return Array.from(document.querySelectorAll('#{table} tbody tr')).filter(r => !r.hidden).length"
        ))
        .await
        .as_u64()
        .unwrap()
    }
}

/// A static web server for `root` on a free loopback port, for the rest of the test process:
/// GET only, one request per connection, the content type by extension. Returns its address.
fn serve(root: &Path) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/");
            let path = path
                .split('?')
                .next()
                .unwrap_or("/")
                .trim_start_matches('/');
            let path = if path.is_empty() { "index.html" } else { path };
            let file = root.join(path);
            let inside = !path.split('/').any(|p| p == "..");
            let response = match std::fs::read(&file) {
                Ok(body) if inside => {
                    let kind = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("css") => "text/css",
                        Some("js") => "text/javascript",
                        Some("json") => "application/json",
                        Some("csv") => "text/csv",
                        _ => "application/octet-stream",
                    };
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend(body);
                    r
                }
                _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    addr
}

/// The London data set's open site, written by the real `city`.
fn publish(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let out = Command::new(city())
        .args(["publish", "site", "--returns"])
        .arg(workspace().join("fixtures/london/returns.json"))
        .arg("--out")
        .arg(&site)
        .args(["--as-of", "2026-11-23", "--quiet"])
        .output()
        .expect("run city (build it with cargo build --bins)");
    assert!(
        out.status.success(),
        "city publish site failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    site.canonicalize().unwrap()
}

#[tokio::test]
async fn every_page_is_accessible_and_asks_for_nothing_outside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = publish(dir.path());
    let b = Browser::start(&site, 0).await;
    let pages = [
        "index.html",
        "pipeline.html",
        "systems.html",
        "products.html",
        "suppliers.html",
        "skills.html",
        "readiness.html",
        "downloads.html",
    ];
    let inside = format!("file://{}/", site.display());
    for page in pages {
        b.open(page).await;
        let marking = b
            .js("return document.querySelector('[data-marking]').textContent")
            .await;
        assert_eq!(marking, json!("OFFICIAL"), "{page}");
        b.assert_accessible(page).await;
        b.screenshot(page.trim_end_matches(".html")).await;
        let urls = b.requests().await;
        assert!(
            urls.iter().any(|u| u == &b.url(page)),
            "{page}: the log missed the page itself: {urls:?}"
        );
        assert!(
            urls.iter().any(|u| u.ends_with("/assets/site.js")),
            "{page}: the log missed the script: {urls:?}"
        );
        for u in &urls {
            // data: URLs are inline (Chromium's own date-picker icon is one): nothing leaves.
            assert!(
                u.starts_with(&inside) || u.starts_with("data:"),
                "{page} asked for {u}, outside the site's folder"
            );
        }
    }
    // From a static web server (on the loopback) the pages work the same and ask that server
    // for nothing but the site's files.
    let server = serve(&site);
    for page in ["index.html", "pipeline.html"] {
        b.client
            .goto(&format!("{server}/{page}"))
            .await
            .expect("open page over HTTP");
        let t0 = Instant::now();
        while b
            .js("return document.documentElement.getAttribute('data-site-ready')")
            .await
            != json!("true")
        {
            assert!(
                t0.elapsed() < Duration::from_secs(15),
                "{page} over HTTP: no script"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        b.assert_accessible(&format!("{page} over HTTP")).await;
        let urls = b.requests().await;
        assert!(
            urls.iter().any(|u| u.ends_with("/assets/site.css")),
            "{urls:?}"
        );
        for u in &urls {
            assert!(
                u.starts_with(&format!("{server}/")) || u.starts_with("data:"),
                "{page} over HTTP asked for {u}"
            );
        }
    }

    // The check can fail: a request planted in a page (to a closed loopback port; the page's
    // CSP blocks it anyway) is in the log.
    b.open("index.html").await;
    let _ = b.requests().await;
    b.js("const i = new Image(); i.src = 'http://127.0.0.1:9/planted.png'; document.body.appendChild(i); return 1")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let urls = b.requests().await;
    assert!(
        urls.iter().any(|u| u == "http://127.0.0.1:9/planted.png"),
        "the planted request was not seen: {urls:?}"
    );
    b.client.close().await.unwrap();
}

#[tokio::test]
async fn filters_work_by_keyboard_and_change_the_table_and_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let site = publish(dir.path());
    let b = Browser::start(&site, 1).await;
    b.open("pipeline.html").await;
    let all = b.shown("pipeline").await;
    assert!(all > 100, "{all} pipeline rows");
    // The table lists the first 100; Enter on "Show 100 more rows" lists more.
    assert_eq!(b.visible_rows("pipeline").await, 100);
    b.tab_to_more("pipeline").await;
    b.keys(ENTER).await;
    assert_eq!(b.visible_rows("pipeline").await, all.min(200));
    let by_quarter = b.chart("pipeline-quarter").await;
    assert_eq!(
        by_quarter.iter().map(|g| g.1).sum::<i64>() as u64,
        all,
        "{by_quarter:?}"
    );

    // Organisation: Tab to it, arrow down to the first organisation.
    b.tab_to("pipeline-org").await;
    b.keys(DOWN).await;
    let org = b
        .js("return document.getElementById('pipeline-org').value")
        .await;
    let org = org.as_str().unwrap().to_string();
    assert!(!org.is_empty());
    let shown = b.shown("pipeline").await;
    assert!(shown > 0 && shown < 100, "{shown} of {all}");
    assert_eq!(b.visible_rows("pipeline").await, shown);
    assert_eq!(
        b.count("pipeline").await,
        format!("Showing {shown} of {all} rows")
    );
    let rows_org = b
        .js("return Array.from(document.querySelectorAll('#pipeline tbody tr')).filter(r => !r.hidden).every(r => JSON.parse(r.dataset.fOrg).includes(document.getElementById('pipeline-org').value))")
        .await;
    assert_eq!(
        rows_org,
        json!(true),
        "a row of another organisation is shown"
    );
    let narrowed = b.chart("pipeline-quarter").await;
    assert_ne!(narrowed, by_quarter);
    assert_eq!(narrowed.iter().map(|g| g.1).sum::<i64>() as u64, shown);
    assert_eq!(b.bars("pipeline-quarter").await, narrowed.len() as u64);
    b.screenshot("pipeline-filtered").await;

    // Typing in the system or product box narrows further (or leaves nothing, if no product
    // of this organisation has that name).
    let product = b
        .js("const r = Array.from(document.querySelectorAll('#pipeline tbody tr')).find(r => !r.hidden && JSON.parse(r.dataset.fSystem || '[]').length); return r ? JSON.parse(r.dataset.fSystem)[0] : ''")
        .await;
    let product = product.as_str().unwrap().to_string();
    if !product.is_empty() {
        b.tab_to("pipeline-system").await;
        b.keys(&product.to_lowercase()).await;
        let fewer = b.shown("pipeline").await;
        assert!(
            fewer > 0 && fewer <= shown,
            "{fewer} of {shown} for {product}"
        );
        let chart = b.chart("pipeline-product").await;
        assert!(
            chart
                .iter()
                .any(|(l, _)| product.starts_with(l.trim_end_matches('…'))),
            "{chart:?}"
        );
    }

    // Clear filters with Enter: every row and the first chart are back.
    b.tab_to_reset("pipeline").await;
    b.keys(ENTER).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(b.shown("pipeline").await, all);
    assert_eq!(b.visible_rows("pipeline").await, 100);
    assert_eq!(b.chart("pipeline-quarter").await, by_quarter);

    // Sorting by keyboard: Enter on a column's button.
    b.tab_to_sort("pipeline", 8).await;
    b.keys(ENTER).await;
    let sorted = b
        .js("return [document.querySelectorAll('#pipeline thead th')[8].getAttribute('aria-sort'), Array.from(document.querySelectorAll('#pipeline tbody tr')).map(r => Number(r.cells[8].dataset.sort || -1))]")
        .await;
    assert_eq!(sorted[0], json!("ascending"));
    let values: Vec<i64> = sorted[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "not sorted");

    // Systems: a service area by keyboard changes the table and both charts.
    b.open("systems.html").await;
    let before = b.chart("systems-org").await;
    b.tab_to("systems-area").await;
    b.keys(DOWN).await;
    b.keys(DOWN).await;
    let area_rows = b.visible_rows("systems").await;
    let total: i64 = b
        .js("return Array.from(document.querySelectorAll('#systems tbody tr')).filter(r => !r.hidden).reduce((s, r) => s + Number(r.cells[4].dataset.v), 0)")
        .await
        .as_i64()
        .unwrap();
    let after = b.chart("systems-area").await;
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0].1, total);
    assert_ne!(b.chart("systems-org").await, before);
    assert!(area_rows > 0);
    b.screenshot("systems-filtered").await;
    b.client.close().await.unwrap();
}

impl Browser {
    /// Tab to a table's *Clear filters* button.
    async fn tab_to_reset(&self, table: &str) {
        self.js(&format!(
            "document.querySelector(\"form[data-filters-for='{table}'] button[type=reset]\").id = '{table}-reset'; return 1"
        ))
        .await;
        self.tab_to(&format!("{table}-reset")).await;
    }

    /// Tab to a table's *Show more rows* button.
    async fn tab_to_more(&self, table: &str) {
        self.js(&format!(
            "document.querySelector(\"button[data-more='{table}']\").id = '{table}-more'; return 1"
        ))
        .await;
        self.tab_to(&format!("{table}-more")).await;
    }

    /// Tab to a table's sort button for column `col`.
    async fn tab_to_sort(&self, table: &str, col: usize) {
        self.js(&format!(
            "document.querySelector(\"#{table} button.sort[data-col='{col}']\").id = '{table}-sort-{col}'; return 1"
        ))
        .await;
        self.tab_to(&format!("{table}-sort-{col}")).await;
    }
}
