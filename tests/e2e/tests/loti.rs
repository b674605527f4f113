//! LOTI's collaboration views and reports in the app: a central store holding three boroughs'
//! returns (made with the `city` CLI, sent as signed bundles, imported and their keys
//! confirmed), every view checked by its DOM text and with axe-core, a filter applied, and the
//! workbook, CSV and OCDS exported from the Reports page, and the site published from the
//! Publish page.

use super::{App, city, cycle_pack, key};
use fantoccini::Locator;
use std::path::{Path, PathBuf};

/// Adds a record with the CLI and returns its id.
fn add(store: &Path, kind: &str, fields: &[&str]) -> String {
    let mut args = vec![kind, "add"];
    for f in fields {
        args.push("--set");
        args.push(f);
    }
    args.push("--json");
    let v: serde_json::Value = serde_json::from_str(&city(store, &args)).unwrap();
    v["id"].as_str().unwrap().to_string()
}

/// One borough's return: Liquidlogic's LCS for children's social care (a contract ending
/// `lcs_end`), a revenues contract with `other`, cyber and GDPR readiness, a skill; then its
/// bundle, signed with `signer`, written into `dir`.
#[allow(clippy::too_many_arguments)]
fn borough(
    dir: &Path,
    pack: &Path,
    name: &str,
    org: &str,
    signer: &str,
    lcs_end: &str,
    lcs_value: &str,
    other: &str,
    skill_level: &str,
    ce_expiry: &str,
    caf_d1a: &str,
) -> PathBuf {
    let s = dir.join(format!("{name}.ctstore"));
    city(&s, &["create", "--org", org, "--cycle", "2026-27"]);
    let ll = add(
        &s,
        "supplier",
        &["name=Liquidlogic Ltd", "companies_house=5313460"],
    );
    let ot = add(&s, "supplier", &[&format!("name={other}")]);
    if org == "E09000007" {
        // A misspelling of Hackney's supplier: a name for LOTI to check.
        add(&s, "supplier", &["name=Northgate Pubic Services"]);
    }
    let pr = add(&s, "product", &["name=LCS", &format!("supplier_id={ll}")]);
    let sy = add(
        &s,
        "system",
        &[
            "name=Children's case management",
            &format!("product_id={pr}"),
            &format!("supplier_id={ll}"),
            "service_area=esd:58",
            "satisfaction=3",
            "hosting=saas",
        ],
    );
    add(
        &s,
        "contract",
        &[
            "title=Children's social care system",
            &format!("supplier_id={ll}"),
            &format!("system_ids=[\"{sy}\"]"),
            "start_date=2021-04-01",
            &format!("end_date={lcs_end}"),
            "notice_period_days=90",
            &format!("annual_value={lcs_value}"),
        ],
    );
    add(
        &s,
        "contract",
        &[
            "title=Revenues and benefits",
            &format!("supplier_id={ot}"),
            "end_date=2027-09-30",
            "notice_period_days=180",
            "annual_value=9000000",
        ],
    );
    add(
        &s,
        "cyber",
        &[
            "cyber_essentials=ce",
            &format!("cyber_essentials_expiry={ce_expiry}"),
            "psn=valid",
            "psn_expiry=2027-06-30",
            "caf.A1.a=achieved",
            &format!("caf.D1.a={caf_d1a}"),
        ],
    );
    add(
        &s,
        "gdpr",
        &[
            "dpo_appointed=true",
            "ratings.leadership_oversight=implemented",
            "ratings.breach_response=partial",
        ],
    );
    add(
        &s,
        "skill",
        &["area=cyber_security", &format!("level={skill_level}")],
    );
    city(
        &s,
        &[
            "cycle-pack",
            "import",
            pack.to_str().unwrap(),
            "--root-key",
            &key("root.pub"),
        ],
    );
    city(
        &s,
        &[
            "bundle",
            "export",
            "--dir",
            dir.to_str().unwrap(),
            "--key",
            &key(&format!("{signer}.key")),
        ],
    );
    dir.join(format!("{org}_2026-27_r1.ctbundle"))
}

/// LOTI's central store with Camden's, Barnet's and Hackney's returns accepted.
fn central(dir: &Path) -> PathBuf {
    let pack = cycle_pack(dir);
    let bundles = [
        borough(
            dir,
            &pack,
            "camden",
            "E09000007",
            "camden",
            "2028-03-31",
            "48500000",
            "Civica UK Ltd",
            "expert",
            "2026-12-20",
            "achieved",
        ),
        borough(
            dir,
            &pack,
            "barnet",
            "E09000003",
            "barnet",
            "2028-06-30",
            "31000000",
            "Civica UK Limited",
            "awareness",
            "2027-08-01",
            "partially_achieved",
        ),
        borough(
            dir,
            &pack,
            "hackney",
            "E09000012",
            "stranger",
            "2028-09-30",
            "27500000",
            "Northgate Public Services",
            "working",
            "2025-10-01",
            "not_achieved",
        ),
    ];
    let central = dir.join("central.ctstore");
    city(&central, &["create-central"]);
    let mut args = vec!["bundle", "import"];
    let files: Vec<String> = bundles.iter().map(|b| b.display().to_string()).collect();
    args.extend(files.iter().map(String::as_str));
    let identity = key("loti.age");
    args.extend(["--identity", &identity]);
    city(&central, &args);
    for (signer, org) in [
        ("camden", "E09000007"),
        ("barnet", "E09000003"),
        ("stranger", "E09000012"),
    ] {
        let fp: serde_json::Value = serde_json::from_str(&city(
            &central,
            &[
                "key",
                "fingerprint",
                &key(&format!("{signer}.pub")),
                "--json",
            ],
        ))
        .unwrap();
        city(
            &central,
            &[
                "keyring",
                "confirm",
                fp["keyId"].as_str().unwrap(),
                "--org",
                org,
                "--fingerprint",
                fp["fingerprint"].as_str().unwrap(),
                "--note",
                "phoned",
                "--identity",
                &identity,
            ],
        );
    }
    central
}

impl App {
    /// Scrolls the element into view (before a screenshot).
    async fn scroll_to(&self, css: &str) {
        self.client
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
    }

    async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.unwrap().len()
    }
}

#[tokio::test]
async fn loti_sees_windows_timeline_concentration_readiness_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let central = central(dir.path());

    let app = App::start(Some(&central)).await;
    app.text_when("#return-heading", |t| t == "LOTI central store")
        .await;

    // Joint-procurement windows: LCS in three boroughs, ranked first and explained.
    app.go("collaboration").await;
    app.text_when("#windows-summary", |t| {
        t.contains("4 joint-procurement windows")
    })
    .await;
    let first = app.text_when("#window-1", |t| t.contains("LCS")).await;
    assert!(first.contains("3 organisations, £1.07m a year"), "{first}");
    assert!(
        first.contains("in 3 organisations (Barnet, Camden, Hackney)"),
        "{first}"
    );
    app.assert_accessible("collaboration: windows").await;
    app.scroll_to("#windows-summary").await;
    app.screenshot("loti-windows").await;

    // A filter narrows every view: only Civica's contracts.
    app.press("#collab-filters-toggle").await;
    app.type_into("#f-supplier", "Civica").await;
    app.press("#apply-filters").await;
    app.text_when("#windows-summary", |t| {
        t.contains("1 joint-procurement window,")
    })
    .await;
    let civica = app.text_when("#window-1", |t| t.contains("Civica")).await;
    assert!(civica.contains("2 organisations"), "{civica}");
    app.scroll_to("#collab-filters-toggle").await;
    app.screenshot("loti-windows-filtered").await;
    app.go("collaboration/timeline").await;
    app.text_when("#timeline-summary", |t| t.starts_with("2 contracts"))
        .await;
    assert_eq!(app.count("#timeline-chart .ct-point").await, 2);
    app.press("#clear-filters").await;

    // Decision dates as a timeline, one mark per contract, and as a table.
    app.text_when("#timeline-summary", |t| t.starts_with("6 contracts"))
        .await;
    assert_eq!(app.count("#timeline-chart .ct-point").await, 6);
    app.press("#timeline-table-details summary").await;
    let table = app
        .text_when("#timeline-table", |t| t.contains("Hackney"))
        .await;
    assert!(table.contains("Children's social care system"), "{table}");
    assert!(table.contains("1 Apr 2027"), "{table}");
    app.assert_accessible("collaboration: timeline").await;
    app.scroll_to("#timeline-summary").await;
    app.screenshot("loti-timeline").await;

    // Supplier concentration: bars, HHI and top-10 share.
    app.go("collaboration/concentration").await;
    let shares = app
        .text_when("#concentration-table", |t| t.contains("Liquidlogic Ltd"))
        .await;
    assert!(shares.contains("50.0%"), "{shares}");
    app.text_when("#hhi", |t| t == "HHI 3,889").await;
    app.text_when("#top10-share", |t| t == "100.0%").await;
    assert_eq!(app.count("#concentration-chart rect.ct-bar").await, 3);
    app.assert_accessible("collaboration: concentration").await;
    app.scroll_to("#concentration-figures").await;
    app.screenshot("loti-concentration").await;

    // Shared products side by side.
    app.go("collaboration/products").await;
    let products = app
        .text_when("#products-list", |t| {
            t.contains("LCS (Liquidlogic Ltd): 3 organisations")
        })
        .await;
    assert!(products.contains("Software as a service"), "{products}");
    app.assert_accessible("collaboration: products").await;
    app.scroll_to("#products-summary").await;
    app.screenshot("loti-products").await;

    // Readiness: CAF counts for all organisations, ICO per organisation, certificates.
    app.go("collaboration/readiness").await;
    let caf = app
        .text_when("#caf-heatmap", |t| t.contains("All organisations"))
        .await;
    assert!(!caf.contains("Camden"), "{caf}");
    let ico = app
        .text_when("#ico-heatmap", |t| t.contains("Hackney"))
        .await;
    assert!(ico.contains("Done") && ico.contains("Partly"), "{ico}");
    let certs = app
        .text_when("#certificates-table", |t| t.contains("Hackney"))
        .await;
    assert!(certs.contains("Expired"), "{certs}");
    app.press("#r-sensitive").await;
    app.press("#readiness-show").await;
    app.text_when("#caf-heatmap", |t| t.contains("Camden"))
        .await;
    app.assert_accessible("collaboration: readiness").await;
    app.scroll_to("#readiness-counts").await;
    app.screenshot("loti-readiness").await;

    // Skills pairs and names to check.
    app.go("collaboration/skills").await;
    let pairs = app
        .text_when("#skills-table", |t| t.contains("Camden"))
        .await;
    assert!(pairs.contains("Barnet"), "{pairs}");
    app.assert_accessible("collaboration: skills").await;
    app.screenshot("loti-skills").await;
    app.go("collaboration/aliases").await;
    let pair = app
        .text_when("#aliases-table", |t| t.contains("Northgate Pubic Services"))
        .await;
    assert!(pair.contains("Northgate Public Services"), "{pair}");
    app.assert_accessible("collaboration: aliases").await;
    app.screenshot("loti-aliases").await;
    app.type_into("#alias-note", "Same company; Camden's typo")
        .await;
    app.press("#aliases-table tbody tr button").await;
    app.text_when("#alias-done", |t| t.starts_with("Confirmed"))
        .await;
    app.text_when("#aliases-none", |t| t.contains("No names left"))
        .await;
    let decided = app
        .text_when("#alias-decisions", |t| t.contains("Pubic"))
        .await;
    assert!(
        decided.contains("the same supplier") && decided.contains("Camden's typo"),
        "{decided}"
    );

    // Reports: the committee workbook with the analysis sheets, CSV and OCDS.
    app.go("reports").await;
    let xlsx = dir.path().join("london.xlsx");
    app.type_into("#wb-path", xlsx.to_str().unwrap()).await;
    app.press("#export-workbook").await;
    app.text_when("#export-outcome", |t| t.contains("XLSX written"))
        .await;
    let sheets = app
        .text_when("#export-sheets", |t| {
            t.contains("Joint procurement windows")
        })
        .await;
    assert!(sheets.contains("CAF heatmap"), "{sheets}");
    assert!(xlsx.is_file());
    app.assert_accessible("reports").await;
    app.scroll_to("main").await;
    app.screenshot("loti-reports").await;
    let csv = dir.path().join("csv");
    app.type_into("#csv-path", csv.to_str().unwrap()).await;
    app.press("#export-csv").await;
    app.text_when("#export-files", |t| t.contains("contracts.csv"))
        .await;
    assert!(csv.join("contracts.csv").is_file());
    let ocds = dir.path().join("contracts.json");
    app.type_into("#ocds-path", ocds.to_str().unwrap()).await;
    app.press("#export-ocds").await;
    let out = app
        .text_when("#export-outcome", |t| t.contains("OCDS written"))
        .await;
    assert!(out.contains("3 organisations"), "{out}");
    assert!(ocds.is_file());

    // Publish: the static site into a folder, with progress and what was written.
    app.go("publish").await;
    let site = dir.path().join("site");
    app.type_into("#publish-folder", site.to_str().unwrap())
        .await;
    app.press("#publish-committee").await;
    app.press("#publish-site").await;
    let out = app
        .text_when("#publish-outcome", |t| t.contains("Site published"))
        .await;
    assert!(
        out.contains("3 organisations")
            && out.contains("committee profile")
            && out.contains("OFFICIAL"),
        "{out}"
    );
    let files = app
        .text_when("#publish-files", |t| t.contains("pipeline-ocds.json"))
        .await;
    assert!(files.contains("contracts.csv"), "{files}");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("Profile: <strong>committee</strong>"));
    app.assert_accessible("publish").await;
    app.scroll_to("main").await;
    app.screenshot("loti-publish").await;
    app.close().await;
}

/// The next cycle: Camden and Barnet carry their returns forward to 2027-28 (Camden extends its
/// LCS contract and adds a system), send them, LOTI imports them; Hackney sends nothing.
fn next_cycle(dir: &Path, central: &Path) {
    let pack = dir.join("2027-28.ctcycle");
    let loti = std::fs::read_to_string(key("loti.recipient")).unwrap();
    city(
        &dir.join("unused.ctstore"),
        &[
            "cycle-pack",
            "create",
            "--out",
            pack.to_str().unwrap(),
            "--for-cycle",
            "2027-28",
            "--opens",
            "2027-04-01",
            "--closes",
            "2027-07-31",
            "--recipient",
            loti.trim(),
            "--root-secret",
            &key("root.key"),
        ],
    );
    let mut files = Vec::new();
    for (name, org, signer) in [
        ("camden", "E09000007", "camden"),
        ("barnet", "E09000003", "barnet"),
    ] {
        let s = dir.join(format!("{name}.ctstore"));
        city(&s, &["carry-forward", "--to", "2027-28", "--quiet"]);
        if name == "camden" {
            let list: serde_json::Value =
                serde_json::from_str(&city(&s, &["contract", "list", "--json"])).unwrap();
            let lcs = list
                .as_array()
                .unwrap()
                .iter()
                .find(|c| {
                    c["label"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with("Children's")
                })
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            city(
                &s,
                &["contract", "update", &lcs, "--set", "end_date=2029-03-31"],
            );
            add(
                &s,
                "system",
                &["name=Leisure bookings", "service_area=esd:72"],
            );
        }
        city(
            &s,
            &[
                "cycle-pack",
                "import",
                pack.to_str().unwrap(),
                "--root-key",
                &key("root.pub"),
            ],
        );
        city(
            &s,
            &[
                "bundle",
                "export",
                "--dir",
                dir.to_str().unwrap(),
                "--key",
                &key(&format!("{signer}.key")),
            ],
        );
        files.push(
            dir.join(format!("{org}_2027-28_r1.ctbundle"))
                .display()
                .to_string(),
        );
    }
    let identity = key("loti.age");
    let mut args = vec!["bundle", "import"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--identity", &identity]);
    city(central, &args);
}

#[tokio::test]
async fn loti_sees_progress_since_last_year_as_the_cli_does() {
    let dir = tempfile::tempdir().unwrap();
    let central = central(dir.path());
    next_cycle(dir.path(), &central);
    let j: serde_json::Value = serde_json::from_str(&city(
        &central,
        &[
            "analysis", "progress", "--from", "2026-27", "--to", "2027-28", "--json",
        ],
    ))
    .unwrap();
    let l = &j["london"];
    assert_eq!(l["compared"], 2, "{j}");

    let app = App::start(Some(&central)).await;
    app.text_when("#return-heading", |t| t == "LOTI central store")
        .await;
    app.go("collaboration").await;
    app.go("collaboration/progress").await;
    app.text_when("#p-compared", |t| t == l["compared"].to_string())
        .await;
    let records = app
        .text_when("#p-records", |t| t.contains("unchanged"))
        .await;
    let r = &l["records"];
    assert_eq!(
        records,
        format!(
            "{} unchanged, {} changed, {} new, {} retired; {} still to review",
            r["unchanged"], r["changed"], r["new"], r["retired"], r["notReviewed"]
        )
    );
    let missing = app.text_when("#p-missing", |t| t.contains("Hackney")).await;
    assert!(missing.contains("No return this year"), "{missing}");
    // The chart's table gives the CLI's figures, kind by kind.
    let table = app
        .text_when("#progress-chart-table", |t| t.contains("Systems added"))
        .await;
    for (name, v) in [
        ("Systems added", &l["systems"]["added"]),
        ("Contracts extended", &l["contracts"]["extended"]),
        ("Contracts re-procured", &l["contracts"]["reprocured"]),
    ] {
        // The table's text, cell after cell.
        assert!(table.contains(&format!("{name}{v}")), "{name} {v}: {table}");
    }
    assert_eq!(app.count("#progress-chart rect.ct-bar").await, 11);
    let orgs = app
        .text_when("#progress-orgs", |t| t.contains("Hackney"))
        .await;
    assert!(orgs.contains("Not compared: no return this year"), "{orgs}");
    let changes = app
        .text_when("#progress-changes", |t| t.contains("Contract extended"))
        .await;
    assert!(
        changes.contains("Children's social care system"),
        "{changes}"
    );
    assert!(changes.contains("Leisure bookings"), "{changes}");
    app.assert_accessible("collaboration: progress").await;
    app.scroll_to("#progress-london").await;
    app.screenshot("loti-progress").await;
}
