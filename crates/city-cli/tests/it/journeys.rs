//! The README's walk-through: Camden creates a store, adds systems and contracts, watches
//! completeness change, and carries the return forward.

use crate::util::*;

fn section<'a>(status: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    status["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["section"] == id)
        .unwrap()
}

#[test]
fn camden_fills_in_a_return_and_carries_it_forward() {
    let t = TestDir::new();
    let created = t
        .run(&["create", "--org", "E09000007", "--cycle", "2026-27"])
        .ok();
    assert!(
        created.contains("Camden (gss:E09000007), cycle 2026-27"),
        "{created}"
    );

    let status = t.run(&["status", "--json"]).json();
    assert_eq!(status["organisation"]["name"], "Camden");
    assert_eq!(section(&status, "systems")["state"], "not_started");
    assert_eq!(section(&status, "contracts")["state"], "not_started");

    let sup = t.add(
        "supplier",
        &["name=Civica UK Ltd", "companies_house=1628868"],
    );
    let shown = t.run(&["supplier", "show", &sup, "--json"]).json();
    assert_eq!(
        shown["data"]["companies_house"], "01628868",
        "leading zero restored"
    );

    let sys = t.add(
        "system",
        &[
            "name=Civica APP",
            "service_area=esd:66",
            "category=frontline",
            "hosting=supplier_hosted",
            "criticality=high",
            "support_status=supported",
            "end_of_support=2029-03-31",
            "satisfaction=3",
            "personal_data=false",
            "internet_facing=true",
            "mfa=all_users",
            "backups=supplier_managed",
            &format!("supplier_id={sup}"),
        ],
    );
    let status = t.run(&["status", "--json"]).json();
    assert_eq!(section(&status, "systems")["state"], "completed");
    assert_eq!(section(&status, "suppliers")["state"], "completed");

    let c = t.add(
        "contract",
        &[
            "title=Housing management",
            "reference=CAM-001",
            &format!("supplier_id={sup}"),
            "start_date=2024-04-01",
        ],
    );
    let status = t.run(&["status", "--json"]).json();
    let contracts = section(&status, "contracts");
    assert_eq!(contracts["state"], "in_progress");
    let missing: Vec<String> = contracts["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["location"]["field"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(missing.contains(&"system_ids".to_string()), "{missing:?}");

    t.run(&[
        "contract",
        "update",
        &c[..8],
        "--set",
        "end_date=2027-03-31",
        "--set",
        "notice_period_days=180",
        "--set",
        "annual_value=12500000",
        "--set",
        "procurement_route=g_cloud",
        "--set",
        &format!("system_ids=[\"{sys}\"]"),
    ])
    .ok();
    let status = t.run(&["status", "--json"]).json();
    assert_eq!(section(&status, "contracts")["state"], "completed");

    let text = t.run(&["carry-forward", "--to", "2027-28"]).ok();
    assert!(text.contains("1 systems carried forward"), "{text}");
    let returns = t.run(&["returns", "--json"]).json();
    assert_eq!(returns.as_array().unwrap().len(), 2);
    let systems = t.run(&["system", "list", "--json"]).json();
    assert_eq!(systems[0]["id"], sys.as_str(), "same UUID in the new cycle");
    assert_eq!(systems[0]["reviewState"], "to_review");
    let status = t.run(&["status", "--json"]).json();
    assert_eq!(status["cycle"], "2027-28");
    assert_eq!(section(&status, "systems")["state"], "in_progress");

    t.run(&["system", "confirm", &sys]).ok();
    let status = t.run(&["status", "--json"]).json();
    assert_eq!(section(&status, "systems")["state"], "completed");
    // The old cycle is still there as it was.
    let old = t
        .run(&["system", "list", "--cycle", "2026-27", "--json"])
        .json();
    assert_eq!(old[0]["reviewState"], "new");
}

#[test]
fn delete_then_undo_brings_the_record_back() {
    let t = TestDir::camden();
    let id = t.add("system", &["name=Mosaic"]);
    t.run(&["system", "delete", &id]).ok();
    assert_eq!(
        t.run(&["system", "list", "--json"]).json(),
        serde_json::json!([])
    );
    let out = t.run(&["undo"]).ok();
    assert_eq!(out.trim(), "Undid the deletion of system 'Mosaic'");
    assert_eq!(
        t.run(&["system", "list", "--json"]).json()[0]["id"],
        id.as_str()
    );
    let history = t.run(&["history", "--json"]).json();
    assert_eq!(history[0]["action"], "undo");
    assert_eq!(history[0]["actor"], "tester");
}

#[test]
fn every_record_type_can_be_added_listed_shown_updated_and_deleted() {
    let t = TestDir::camden();
    let sup = t.add("supplier", &["name=Acme"]);
    let samples: [(&str, Vec<String>, &str); 7] = [
        ("system", vec!["name=Mosaic".into()], "users=10"),
        (
            "contract",
            vec!["title=Support".into()],
            "notice_period_days=90",
        ),
        ("supplier", vec!["name=Idox".into()], "sme=true"),
        (
            "product",
            vec!["name=Uniform".into(), format!("supplier_id={sup}")],
            "notes=planning",
        ),
        (
            "skill",
            vec!["area=data_analytics".into()],
            "level=practitioner",
        ),
        (
            "gdpr",
            vec!["dpo_appointed=true".into()],
            "ratings.transparency=partial",
        ),
        (
            "cyber",
            vec!["cyber_essentials=ce_plus".into()],
            "caf.A1.a=achieved",
        ),
    ];
    for (kind, sets, change) in samples {
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let id = t.add(kind, &sets);
        let listed = t.run(&[kind, "list", "--json"]).json();
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == id.as_str()),
            "{kind}"
        );
        let updated = t
            .run(&[kind, "update", &id, "--set", change, "--json"])
            .json();
        let (field, _) = change.split_once('=').unwrap();
        let value = match field.split_once('.') {
            Some((outer, inner)) => updated["data"][outer][inner].clone(),
            None => updated["data"][field].clone(),
        };
        assert!(!value.is_null(), "{kind}: {field} not set: {updated}");
        let shown = t.run(&[kind, "show", &id]).ok();
        assert!(shown.contains(&id), "{kind}");
        t.run(&[kind, "delete", &id]).ok();
        t.run(&[kind, "restore", &id]).ok();
    }
}

#[test]
fn many_records_are_added_at_once_or_not_at_all_and_copies_and_new_cycles_work() {
    let t = TestDir::camden();
    let file = t.store().with_file_name("systems.json");
    std::fs::write(
        &file,
        r#"[{"name": "Mosaic"}, {"name": "Uniform", "hosting": "moon"}]"#,
    )
    .unwrap();
    let before = snapshot(&t.store());
    let err = t
        .run(&["system", "add-many", "--file", file.to_str().unwrap()])
        .fails(1);
    assert!(
        err.contains("record 2:") && err.contains("hosting"),
        "{err}"
    );
    assert_eq!(snapshot(&t.store()), before, "nothing was written");

    std::fs::write(&file, r#"[{"name": "Mosaic"}, {"name": "Uniform"}]"#).unwrap();
    let out = t
        .run(&["system", "add-many", "--file", file.to_str().unwrap()])
        .ok();
    assert!(out.contains("Added 2 system records"), "{out}");
    let list = t.run(&["system", "list", "--json"]).json();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let copy = t.run(&["system", "duplicate", &id, "--json"]).json();
    assert!(
        copy["label"].as_str().unwrap().ends_with("(copy)"),
        "{copy}"
    );
    assert_eq!(
        t.run(&["system", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let started = t.run(&["new-return", "--to", "2027-28"]).ok();
    assert!(
        started.contains("Started an empty 2027-28 return"),
        "{started}"
    );
    assert_eq!(
        t.run(&["system", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    t.run(&["new-return", "--to", "2027-28"]).fails(1);
}
