//! The borough's return in the app: starting a return, every section's form, autosave, lists
//! with search and filters, undo of a delete, and a whole small return completed by keyboard
//! alone (Tab, typing, arrow keys, Space and Enter; no clicks).

use super::{App, city};
use fantoccini::Locator;
use std::time::{Duration, Instant};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = "\u{E00D}";
const DOWN: &str = "\u{E015}";

impl App {
    /// The id of the element that has the keyboard focus.
    async fn focused(&self) -> String {
        self.client
            .execute(
                "return document.activeElement ? document.activeElement.id : ''",
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Sends keys to whatever has the focus, as a keyboard would.
    async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Presses Tab until the element `id` has the focus (it must be waiting in the page).
    async fn tab_to(&self, id: &str) {
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            if self.client.find(Locator::Id(id)).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut seen = Vec::new();
        for _ in 0..400 {
            let now = self.focused().await;
            if now == id {
                return;
            }
            if seen.last() != Some(&now) {
                seen.push(now);
            }
            self.keys(TAB).await;
        }
        self.screenshot(&format!("failed-tab-{id}")).await;
        seen.truncate(40);
        panic!("Tab never reached #{id}; focus went through {seen:?}");
    }

    /// Tabs to a text field and types into it; Tab then leaves it (which saves it).
    async fn fill(&self, id: &str, text: &str) {
        self.tab_to(id).await;
        self.keys(text).await;
        self.keys(TAB).await;
    }

    /// Tabs to a select and moves to the option labelled `label` with the arrow keys.
    async fn choose(&self, id: &str, label: &str) {
        self.tab_to(id).await;
        let js = "const s = document.getElementById(arguments[0]);
                  return [s.selectedIndex, Array.from(s.options).findIndex(o => o.text === arguments[1])];";
        let v = self
            .client
            .execute(js, vec![serde_json::json!(id), serde_json::json!(label)])
            .await
            .unwrap();
        let (now, want) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
        assert!(want >= 0, "#{id} has no option {label:?}");
        assert!(want >= now, "#{id}: {label:?} is above the current choice");
        for _ in now..want {
            self.keys(DOWN).await;
        }
        let chosen = self
            .client
            .execute(
                "const s = document.getElementById(arguments[0]); return s.options[s.selectedIndex].text;",
                vec![serde_json::json!(id)],
            )
            .await
            .unwrap();
        assert_eq!(chosen.as_str(), Some(label), "#{id}");
    }

    /// Answers a Yes/No question by keyboard: Space picks Yes, the down arrow moves to No.
    async fn yes_no(&self, field: &str, yes: bool) {
        self.tab_to(&format!("f-{field}-yes")).await;
        self.keys(if yes { SPACE } else { DOWN }).await;
    }

    /// Follows a link or presses a button by keyboard.
    async fn activate(&self, id: &str) {
        self.tab_to(id).await;
        self.keys(ENTER).await;
    }

    /// Tabs to the first element matching `css` and presses Enter on it.
    async fn activate_first(&self, css: &str) {
        let id = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); if (!e.id) e.id = 'e2e-target'; return e.id;",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
        self.activate(id.as_str().unwrap()).await;
    }

    /// Waits until the form says the last answer was saved.
    async fn saved(&self) {
        self.text_when("#save-note", |t| t.starts_with("Saved"))
            .await;
    }

    async fn value_of(&self, id: &str) -> String {
        self.client
            .execute(
                "const e = document.getElementById(arguments[0]); return e ? e.value : null;",
                vec![serde_json::json!(id)],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

#[tokio::test]
async fn a_small_return_is_completed_by_keyboard_alone() {
    let home = tempfile::tempdir().unwrap();
    let app = App::start_in(None, home.path()).await;

    // Start: find the organisation, keep the suggested cycle, start empty.
    app.text_when("h1", |t| t.contains("technology return"))
        .await;
    app.fill("org-search", "Camd").await;
    app.choose("org", "Camden").await;
    app.activate("start-return").await;
    app.text_when("#return-heading", |t| t.starts_with("Camden —"))
        .await;
    app.assert_accessible("task list (new return)").await;

    // Suppliers.
    app.activate("link-suppliers").await;
    app.text_when("#list-heading", |t| t == "Suppliers").await;
    app.screenshot("suppliers-empty").await;
    app.activate("add-record").await;
    app.text_when("#record-heading", |t| t == "Add a supplier")
        .await;
    app.fill("f-name", "Civica UK Ltd").await;
    app.saved().await;
    app.fill("f-companies_house", "1628868").await;
    app.saved().await;
    assert_eq!(app.value_of("f-companies_house").await, "01628868");
    app.assert_accessible("supplier form").await;
    app.activate("done").await;
    app.text_when("#list-count", |t| t.contains("Showing 1 of 1"))
        .await;

    // A system, every answer the section needs.
    app.activate("nav-tasks").await;
    app.activate("link-systems").await;
    app.text_when("#list-heading", |t| t == "Systems").await;
    app.activate("add-record").await;
    app.fill("f-name", "Civica APP").await;
    app.saved().await;
    app.text_when("#record-heading", |t| t == "Civica APP")
        .await;
    app.choose("f-supplier_id", "Civica UK Ltd").await;
    app.saved().await;
    app.choose("f-service_area", "Housing").await;
    app.choose("f-category", "Frontline (used to serve residents)")
        .await;
    app.choose("f-hosting", "Software as a service").await;
    app.choose("f-criticality", "High").await;
    app.choose("f-support_status", "Supported in house").await;
    app.choose("f-satisfaction", "4 – satisfied").await;
    app.yes_no("personal_data", false).await;
    app.yes_no("internet_facing", false).await;
    app.choose("f-mfa", "All users").await;
    app.choose("f-backups", "Offline or immutable backups")
        .await;
    app.saved().await;
    app.screenshot("system-form").await;
    app.assert_accessible("system form").await;
    app.activate("done").await;
    app.text_when("#record-table", |t| t.contains("Civica APP"))
        .await;

    // A contract linked to the supplier and the system.
    app.activate("nav-tasks").await;
    app.activate("link-contracts").await;
    app.activate("add-record").await;
    app.fill("f-title", "Housing management").await;
    app.saved().await;
    app.choose("f-supplier_id", "Civica UK Ltd").await;
    let checkbox = app
        .client
        .execute(
            "return document.querySelector('#f-system_ids-group input[type=checkbox]').id",
            vec![],
        )
        .await
        .unwrap();
    app.tab_to(checkbox.as_str().unwrap()).await;
    app.keys(SPACE).await;
    app.saved().await;
    app.fill("f-start_date", "01/04/2024").await;
    app.fill("f-end_date", "31/03/2027").await;
    app.fill("f-notice_period_days", "90").await;
    app.fill("f-annual_value", "125,000").await;
    app.saved().await;
    assert_eq!(app.value_of("f-annual_value").await, "125,000.00");
    app.choose("f-procurement_route", "G-Cloud call-off").await;
    app.saved().await;
    app.screenshot("contract-form").await;
    app.activate("done").await;
    let row = app
        .text_when("#record-table", |t| t.contains("Housing management"))
        .await;
    assert!(
        row.contains("31/03/2027") && row.contains("£125,000.00"),
        "{row}"
    );

    // Skills: every capability area rated from one table.
    app.activate("nav-tasks").await;
    app.activate("link-skills").await;
    for area in [
        "cloud_hosting",
        "networks",
        "cyber_security",
        "data_analytics",
        "data_protection",
        "service_design",
        "software_development",
        "product_management",
        "procurement",
        "architecture",
        "automation",
        "end_user_computing",
    ] {
        app.choose(&format!("level-{area}"), "Working").await;
        app.text_when("#save-note", |t| t.starts_with("Saved"))
            .await;
    }
    app.screenshot("skills").await;
    app.assert_accessible("skills").await;

    // GDPR readiness.
    app.activate("skills-done").await;
    app.activate("link-gdpr").await;
    app.yes_no("dpo_appointed", true).await;
    app.saved().await;
    for i in 0..10 {
        let id = app
            .client
            .execute(
                "return document.querySelectorAll('#f-ratings-group select')[arguments[0]].id",
                vec![serde_json::json!(i)],
            )
            .await
            .unwrap();
        app.choose(id.as_str().unwrap(), "Successfully implemented")
            .await;
    }
    app.saved().await;
    app.screenshot("gdpr").await;
    app.activate("done").await;

    // Cyber readiness.
    app.activate("link-cyber").await;
    app.choose("f-cyber_essentials", "Not certified").await;
    app.choose("f-psn", "Not connected to the PSN").await;
    let outcomes = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll('#f-caf-group select')).map(s => s.id)",
            vec![],
        )
        .await
        .unwrap();
    let outcomes: Vec<String> = outcomes
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(outcomes.len(), 12, "CAF objectives A and D");
    for id in &outcomes {
        app.choose(id, "Partially achieved").await;
    }
    app.saved().await;
    app.screenshot("cyber").await;
    app.assert_accessible("cyber readiness").await;
    app.activate("done").await;

    // Every section is completed; check answers, then on to send.
    let summary = app
        .text_when("#progress-summary", |t| t.contains("6 of 6"))
        .await;
    assert_eq!(summary, "You have completed 6 of 6 sections.");
    app.screenshot("task-list-complete").await;
    app.activate("link-check").await;
    app.text_when("#all-complete", |t| t.contains("Every section is complete"))
        .await;
    app.screenshot("check-answers").await;
    app.assert_accessible("check answers").await;
    app.activate("continue-to-send").await;
    app.text_when("h1", |t| t == "Send your return to LOTI")
        .await;
    app.close().await;
}

#[tokio::test]
async fn closing_the_app_mid_edit_keeps_the_last_field_left() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );
    city(&store, &["system", "add", "--set", "name=Mosaic"]);

    let app = App::start_in(Some(&store), home.path()).await;
    app.activate("link-systems").await;
    app.client
        .find(Locator::LinkText("Mosaic"))
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    app.text_when("#record-heading", |t| t == "Mosaic").await;
    // Left (Tab): saved at once. Then typed into the next field, paused, and the window closed.
    app.fill("f-description", "Children's and adults' case management")
        .await;
    app.tab_to("f-users").await;
    app.keys("1200").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    app.close().await;

    // Reopened with no store named: the app reopens the last return.
    let app = App::start_in(None, home.path()).await;
    app.text_when("#return-heading", |t| t.starts_with("Camden"))
        .await;
    app.activate("link-systems").await;
    app.client
        .find(Locator::LinkText("Mosaic"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.text_when("#record-heading", |t| t == "Mosaic").await;
    assert_eq!(
        app.value_of("f-description").await,
        "Children's and adults' case management"
    );
    assert_eq!(app.value_of("f-users").await, "1200");
    app.close().await;
    let shown = city(&store, &["system", "list", "--json"]);
    assert!(shown.contains("case management"), "{shown}");
}

#[tokio::test]
async fn user_text_is_shown_as_text_errors_sit_by_the_field_and_a_delete_can_be_undone() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("camden.ctstore");
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
            "name=<img src=x onerror=document.title='pwned'>",
        ],
    );
    city(&store, &["system", "add", "--set", "name=Mosaic"]);

    let app = App::start_in(Some(&store), home.path()).await;
    app.text_when("#return-heading", |t| t.starts_with("Camden"))
        .await;
    app.go("tasks").await;
    app.client
        .find(Locator::Id("link-systems"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let table = app
        .text_when("#record-table", |t| t.contains("Mosaic"))
        .await;
    assert!(
        table.contains("<img src=x onerror=document.title='pwned'>"),
        "{table}"
    );
    assert!(
        app.client
            .find_all(Locator::Css("main img"))
            .await
            .unwrap()
            .is_empty()
    );
    let title = app.client.title().await.unwrap();
    assert_eq!(title, "City Tools", "no script ran");

    // A contract whose end is before its start: the core's message sits next to the field.
    app.client
        .execute("location.hash = '#/record/contract/new'", vec![])
        .await
        .unwrap();
    app.text_when("#record-heading", |t| t == "Add a contract")
        .await;
    app.type_into("#f-title", "Payroll").await;
    app.type_into("#f-start_date", "01/04/2026").await;
    app.type_into("#f-end_date", "31/03/2025").await;
    app.press("#f-title").await;
    let err = app.text_when("#f-end_date-error", |t| !t.is_empty()).await;
    assert!(err.contains("before the start date"), "{err}");
    let summary = app.text_when("#error-summary", |t| !t.is_empty()).await;
    assert!(summary.contains("There is a problem"), "{summary}");
    app.screenshot("contract-error").await;
    app.assert_accessible("contract form with an error").await;

    // Delete from the list, then undo.
    app.go("tasks").await;
    app.press("#link-systems").await;
    app.text_when("#record-table", |t| t.contains("Mosaic"))
        .await;
    app.press("#record-table tbody tr:last-child .govuk-button--warning")
        .await;
    let n = app
        .text_when("#notice-message", |t| t.contains("deleted"))
        .await;
    assert!(n.contains("deleted"), "{n}");
    app.text_when("#list-count", |t| t.contains("Showing 1 of 1"))
        .await;
    app.screenshot("deleted-with-undo").await;
    app.press("#undo").await;
    app.text_when("#notice-message", |t| t.starts_with("Undid the deletion"))
        .await;
    app.text_when("#list-count", |t| t.contains("Showing 2 of 2"))
        .await;

    // The audit log shows the delete, now undone, and who made it.
    app.go("tasks").await;
    app.press("#link-history").await;
    let log = app
        .text_when("#history-table", |t| t.contains("Undone"))
        .await;
    assert!(
        log.contains("Deleted system") && log.contains("Undid a change"),
        "{log}"
    );
    app.assert_accessible("recent changes").await;
    app.screenshot("history").await;
    app.close().await;
}

#[tokio::test]
async fn a_list_of_5000_systems_opens_and_filters() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );
    let areas = ["esd:66", "esd:58", "esd:23", "esd:42", "esd:105"];
    let records: Vec<serde_json::Value> = (0..5000)
        .map(|i| {
            serde_json::json!({
                "name": format!("System {i:04}"),
                "service_area": areas[i % areas.len()],
                "hosting": if i % 3 == 0 { "saas" } else { "on_premises" },
            })
        })
        .collect();
    let file = home.path().join("systems.json");
    std::fs::write(&file, serde_json::to_vec(&records).unwrap()).unwrap();
    city(
        &store,
        &["system", "add-many", "--file", file.to_str().unwrap()],
    );

    let app = App::start_in(Some(&store), home.path()).await;
    app.text_when("#return-heading", |t| t.starts_with("Camden"))
        .await;
    let t0 = Instant::now();
    app.client
        .find(Locator::Id("link-systems"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.text_when("#list-count", |t| t.contains("Showing 50 of 5000"))
        .await;
    let opened = t0.elapsed();

    let t1 = Instant::now();
    app.type_into("#list-search", "System 4321").await;
    app.text_when("#list-count", |t| t.contains("Showing 1 of 1"))
        .await;
    let searched = t1.elapsed();
    let filter_ms = app
        .client
        .find(Locator::Id("list-count"))
        .await
        .unwrap()
        .attr("data-filter-ms")
        .await
        .unwrap()
        .unwrap_or_default();
    // Backspace (not WebDriver's clear, which fires no input event) empties the search.
    app.client
        .find(Locator::Id("list-search"))
        .await
        .unwrap()
        .send_keys(&"\u{E003}".repeat(11))
        .await
        .unwrap();
    app.text_when("#list-count", |t| t.contains("of 5000"))
        .await;
    app.client
        .find(Locator::Css("#filter-area option[value='esd:66']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.text_when("#list-count", |t| t.contains("Showing 50 of 1000"))
        .await;
    app.screenshot("systems-5000").await;
    app.assert_accessible("5,000 systems").await;
    app.close().await;
    // Figures, not a timed assertion: the closing note and docs quote them.
    eprintln!(
        "5000 systems: list opened in {opened:?}; search to one row in {searched:?} \
         (WebDriver round trips included); filtering itself took {filter_ms} ms in the page"
    );
}

#[tokio::test]
async fn last_cycles_return_is_carried_forward_and_each_record_confirmed_in_one_step() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2025-26"],
    );
    city(&store, &["system", "add", "--set", "name=Mosaic"]);
    city(&store, &["system", "add", "--set", "name=Uniform"]);

    let app = App::start_in(Some(&store), home.path()).await;
    app.text_when("#return-heading", |t| t.contains("2025-26"))
        .await;
    // This financial year's cycle is newer than the store's: the task list offers to start it.
    app.activate("carry-forward").await;
    app.text_when("#notice-message", |t| t.contains("started from 2025-26"))
        .await;
    let heading = app
        .text_when("#return-heading", |t| !t.contains("2025-26"))
        .await;
    assert!(heading.starts_with("Camden —"), "{heading}");
    app.activate("link-systems").await;
    app.text_when("#to-review-count", |t| t.starts_with("2 still to review"))
        .await;
    app.screenshot("carried-forward").await;
    app.assert_accessible("carried-forward list").await;
    app.activate_first("#record-table tbody tr:first-child button")
        .await;
    app.text_when("#notice-message", |t| {
        t.contains("confirmed as still right")
    })
    .await;
    app.text_when("#to-review-count", |t| t.starts_with("1 still to review"))
        .await;
    // Check your answers marks what changed since last year's return.
    city(&store, &["system", "add", "--set", "name=Bookings"]);
    app.go("tasks").await;
    app.activate("link-check").await;
    app.text_when("#since-last-year", |t| t.contains("2025-26"))
        .await;
    let card = app
        .text_when("#check-card-systems", |t| t.contains("Bookings"))
        .await;
    assert!(card.contains("Bookings New"), "{card}");
    assert!(
        card.contains("Mosaic") && !card.contains("Mosaic New"),
        "{card}"
    );
    app.assert_accessible("check answers since last year").await;
    app.close().await;
    let listed = city(&store, &["system", "list", "--json"]);
    assert_eq!(listed.matches("\"to_review\"").count(), 1, "{listed}");
    assert_eq!(listed.matches("\"confirmed\"").count(), 1, "{listed}");
}

fn fixture(name: &str) -> String {
    super::fixture_copy("xlsx", name)
}

#[tokio::test]
async fn a_contracts_register_is_imported_through_the_wizard_after_a_dry_run() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("camden.ctstore");
    city(
        &store,
        &["create", "--org", "E09000007", "--cycle", "2026-27"],
    );

    let app = App::start_in(Some(&store), home.path()).await;
    app.text_when("#return-heading", |t| t.starts_with("Camden"))
        .await;
    app.activate("nav-spreadsheets").await;
    app.activate("start-import").await;
    app.text_when("#import-heading", |t| t == "Choose the spreadsheet")
        .await;

    // A file with a problem: the dry run names the sheet, row and column, and offers a report.
    app.fill("sheet-file", &fixture("conflicting_rows.xlsx"))
        .await;
    app.activate("inspect").await;
    app.text_when("#import-heading", |t| t == "Check the columns")
        .await;
    app.screenshot("import-mapping").await;
    app.assert_accessible("import: columns").await;
    app.activate("preview").await;
    let errors = app.text_when("#import-errors", |t| t.contains("row")).await;
    assert!(errors.contains("sheet "), "{errors}");
    assert!(
        app.client.find(Locator::Id("commit")).await.is_err(),
        "a plan with problems cannot be imported"
    );
    let report = home.path().join("problems.xlsx");
    app.fill("report-path", report.to_str().unwrap()).await;
    app.activate("save-report").await;
    app.text_when("#report-saved", |t| t.contains("problems.xlsx"))
        .await;
    assert!(report.is_file(), "the error report was written");
    app.screenshot("import-problems").await;
    let before = city(&store, &["contract", "list", "--json"]);
    assert_eq!(before.trim(), "[]", "nothing was imported");

    // The Transparency Code register: dry run, then import.
    app.activate("back-to-mapping").await;
    app.activate("choose-another").await;
    app.text_when("#import-heading", |t| t == "Choose the spreadsheet")
        .await;
    app.fill("sheet-file", &fixture("transparency_register.xlsx"))
        .await;
    app.activate("inspect").await;
    app.text_when("#import-heading", |t| t == "Check the columns")
        .await;
    app.activate("preview").await;
    let created = app.text_when("#count-create", |t| !t.is_empty()).await;
    let created: u32 = created.parse().unwrap();
    assert!(created > 0);
    app.screenshot("import-preview").await;
    app.assert_accessible("import: dry run").await;
    app.activate("commit").await;
    app.text_when("#notice-message", |t| {
        t.starts_with("Imported from the spreadsheet")
    })
    .await;
    app.text_when("#status-contracts", |t| t != "Not started")
        .await;
    app.close().await;
    let contracts = city(&store, &["contract", "list", "--json"]);
    let suppliers = city(&store, &["supplier", "list", "--json"]);
    let n = serde_json::from_str::<serde_json::Value>(&contracts).unwrap();
    let s = serde_json::from_str::<serde_json::Value>(&suppliers).unwrap();
    assert!(!n.as_array().unwrap().is_empty(), "contracts imported");
    assert!(!s.as_array().unwrap().is_empty(), "suppliers created");
    assert!(
        (n.as_array().unwrap().len() + s.as_array().unwrap().len()) as u32 >= created,
        "the plan's additions were written"
    );
}

#[tokio::test]
async fn a_return_starts_from_a_csv_register_with_answers_confirmed_by_keyboard_and_two_rows_left_out()
 {
    let home = tempfile::tempdir().unwrap();
    // An application register saved as CSV, in the council's own words; two rows with errors
    // (no system name; the same system twice with different values).
    let register = home.path().join("applications.csv");
    std::fs::write(
        &register,
        "System name,Service area,Hosted,Criticality,Support status\r\n\
         Academy,Revenues & Benefits,On prem,H,Yes\r\n\
         Mosaic,Children's Social Care,SaaS,H,Y\r\n\
         iTrent,HR/Payroll,Cloud,M,Yes\r\n\
         Xpress,Elections,on-premise,L,No - EOL 2024\r\n\
         Team tool,Team Alpha,Hosted,L,Yes\r\n\
         ,Waste,Azure,M,Yes\r\n\
         Mosaic,Children's Social Care,SaaS,L,Y\r\n",
    )
    .unwrap();

    let app = App::start_in(None, home.path()).await;
    app.text_when("h1", |t| t.contains("technology return"))
        .await;
    app.fill("org-search", "Camd").await;
    app.choose("org", "Camden").await;
    // "From a spreadsheet you already keep": the second radio of the group.
    app.tab_to("how-empty").await;
    app.keys(DOWN).await;
    app.activate("start-return").await;
    app.text_when("#import-heading", |t| t == "Choose the spreadsheet")
        .await;
    app.fill("sheet-file", register.to_str().unwrap()).await;
    app.activate("inspect").await;
    app.text_when("#import-heading", |t| t == "Check the columns")
        .await;
    app.activate("preview").await;

    // Answers: each value with its rows and the suggested option; two changed by keyboard.
    app.text_when("#import-heading", |t| t == "Check the answers")
        .await;
    let first = app
        .text_when("#answers-0", |t| t.contains("Revenues"))
        .await;
    assert!(first.contains("A word councils use for it"), "{first}");
    let select_for = |value: &'static str| {
        let app = &app;
        async move {
            let id = app
                .client
                .execute(
                    "const l = Array.from(document.querySelectorAll('label')).find(l => l.textContent.startsWith('Answer for “' + arguments[0] + '”')); return l ? l.htmlFor : '';",
                    vec![serde_json::json!(value)],
                )
                .await
                .unwrap();
            id.as_str().unwrap_or_default().to_string()
        }
    };
    let team = select_for("Team Alpha").await;
    assert_eq!(
        app.value_of(&team).await,
        "",
        "no match: blank until chosen"
    );
    let cloud = select_for("Cloud").await;
    assert_eq!(
        app.value_of(&cloud).await,
        "",
        "a bare cloud is not guessed"
    );
    assert_eq!(
        app.value_of(&select_for("On prem").await).await,
        "on_premises"
    );
    app.screenshot("import-answers").await;
    app.assert_accessible("import: answers").await;
    app.choose(
        &team,
        "Government, citizens and rights (incl. internal operation)",
    )
    .await;
    app.choose(&cloud, "Software as a service").await;
    app.activate("answers-continue").await;

    // The dry run: two rows with errors; the report saved; the others imported.
    let errors = app.text_when("#import-errors", |t| t.contains("row")).await;
    assert!(
        errors.contains("row 7") && errors.contains("row 8"),
        "{errors}"
    );
    let partial = app.text_when("#commit-partial", |t| !t.is_empty()).await;
    assert_eq!(partial, "Import the 5 rows without errors");
    let report = home.path().join("left-out.xlsx");
    app.fill("report-path", report.to_str().unwrap()).await;
    app.activate("save-report").await;
    app.text_when("#report-saved", |t| t.contains("left-out.xlsx"))
        .await;
    assert!(report.is_file(), "the error report was written");
    app.assert_accessible("import: dry run with rows left out")
        .await;
    app.activate("commit-partial").await;
    let notice = app
        .text_when("#notice-message", |t| {
            t.starts_with("Imported from the spreadsheet")
        })
        .await;
    assert!(notice.contains("2 rows with problems left out"), "{notice}");
    app.close().await;

    let store = std::fs::read_dir(home.path().join("stores"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "ctstore"))
        .expect("the return's store");
    let listed = city(&store, &["system", "list", "--json"]);
    let systems: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let systems = systems.as_array().unwrap();
    assert_eq!(systems.len(), 5, "{listed}");
    let by = |name: &str| {
        systems
            .iter()
            .find(|s| s["data"]["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    assert_eq!(by("Team tool")["data"]["service_area"], "esd:42");
    assert_eq!(by("iTrent")["data"]["hosting"], "saas");
    assert_eq!(by("Academy")["data"]["service_area"], "esd:1");
    assert_eq!(by("Xpress")["data"]["support_status"], "out_of_support");
}
