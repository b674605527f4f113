//! Editing records: add, update, delete, restore, review and undo, with the audit log.

use crate::support::*;
use city_core::api::{ErrorKind, RecordData, RecordKind, ReviewState, SectionId, SectionState};
use serde_json::json;

#[test]
fn completeness_moves_from_not_started_to_completed() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let state = |s: &mut city_core::api::Store, id: SectionId| {
        s.status(None)
            .unwrap()
            .sections
            .into_iter()
            .find(|x| x.section == id)
            .unwrap()
    };
    assert_eq!(state(s, SectionId::Systems).state, SectionState::NotStarted);

    let sys = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let systems = state(s, SectionId::Systems);
    assert_eq!(systems.state, SectionState::InProgress);
    assert!(
        systems
            .missing
            .iter()
            .any(|m| m.message.contains("service area"))
    );

    s.update(
        None,
        RecordKind::System,
        &sys.id.to_string(),
        json!({"service_area":"esd:58","category":"frontline","hosting":"saas","criticality":"high",
               "support_status":"in_house","satisfaction":"4","personal_data":false,"internet_facing":false,
               "mfa":"all_users","backups":"offline_or_immutable"}),
        &ctx(),
    )
    .unwrap();
    assert_eq!(state(s, SectionId::Systems).state, SectionState::Completed);
    assert_eq!(
        state(s, SectionId::Contracts).state,
        SectionState::NotStarted
    );
}

#[test]
fn delete_is_soft_and_undo_steps_back_through_edits() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let sys = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let id = sys.id.to_string();
    s.update(
        None,
        RecordKind::System,
        &id,
        json!({"name": "Mosaic v2"}),
        &ctx(),
    )
    .unwrap();
    s.delete(None, RecordKind::System, &id, &ctx()).unwrap();
    assert!(s.list(None, RecordKind::System, false).unwrap().is_empty());
    assert_eq!(s.list(None, RecordKind::System, true).unwrap().len(), 1);

    let u = s.undo(None, &ctx()).unwrap();
    assert_eq!(u.undone, "delete");
    assert_eq!(u.message, "Undid the deletion of system 'Mosaic v2'");
    assert_eq!(
        s.list(None, RecordKind::System, false).unwrap()[0].label,
        "Mosaic v2"
    );

    let u = s.undo(None, &ctx()).unwrap();
    assert_eq!(u.undone, "update");
    assert_eq!(
        s.get(None, RecordKind::System, &id).unwrap().label,
        "Mosaic"
    );

    let u = s.undo(None, &ctx()).unwrap();
    assert_eq!(u.undone, "add");
    assert!(s.list(None, RecordKind::System, false).unwrap().is_empty());

    let err = s.undo(None, &ctx()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);

    let history = s.history(None, 20).unwrap();
    let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "undo",
            "undo",
            "undo",
            "delete",
            "update",
            "add",
            "create_store"
        ]
    );
    assert!(history.iter().all(|h| h.actor == "tester"));
    assert!(history[3].undone && history[4].undone && history[5].undone);
}

#[test]
fn restore_brings_back_a_deleted_record_and_updates_to_deleted_records_are_refused() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let sys = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let id = sys.id.to_string();
    s.delete(None, RecordKind::System, &id, &ctx()).unwrap();
    let err = s
        .update(None, RecordKind::System, &id, json!({"name":"x"}), &ctx())
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(s.delete(None, RecordKind::System, &id, &ctx()).is_err());
    s.restore(None, RecordKind::System, &id, &ctx()).unwrap();
    assert_eq!(s.list(None, RecordKind::System, false).unwrap().len(), 1);
}

#[test]
fn links_must_point_at_live_records_of_the_right_kind() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let sup = s
        .add(
            None,
            RecordKind::Supplier,
            json!({"name": "Civica"}),
            &ctx(),
        )
        .unwrap();
    let sys = s
        .add(None, RecordKind::System, json!({"name": "APP"}), &ctx())
        .unwrap();
    // A system id where a supplier is expected.
    let err = s
        .add(
            None,
            RecordKind::Contract,
            json!({"title":"T","supplier_id": sys.id}),
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(err.message.contains("supplier_id"), "{}", err.message);

    let c = s
        .add(
            None,
            RecordKind::Contract,
            json!({"title":"T","supplier_id": sup.id, "system_ids":[sys.id, sys.id]}),
            &ctx(),
        )
        .unwrap();
    let RecordData::Contract(contract) = &c.record else {
        panic!("not a contract")
    };
    assert_eq!(contract.system_ids, vec![sys.id], "duplicates are dropped");

    // Deleting a linked system is allowed; the contract then shows the broken link.
    s.delete(None, RecordKind::System, &sys.id.to_string(), &ctx())
        .unwrap();
    let st = s.status(None).unwrap();
    let contracts = st
        .sections
        .iter()
        .find(|x| x.section == SectionId::Contracts)
        .unwrap();
    assert!(
        contracts
            .missing
            .iter()
            .any(|m| m.message.contains("deleted or retired"))
    );
}

#[test]
fn organisation_questionnaires_are_one_per_return_and_skills_one_per_area() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    s.add(
        None,
        RecordKind::Gdpr,
        json!({"dpo_appointed": true}),
        &ctx(),
    )
    .unwrap();
    let err = s
        .add(None, RecordKind::Gdpr, json!({}), &ctx())
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);

    s.add(
        None,
        RecordKind::Skill,
        json!({"area":"cyber_security","level":"working"}),
        &ctx(),
    )
    .unwrap();
    let err = s
        .add(
            None,
            RecordKind::Skill,
            json!({"area":"cyber_security"}),
            &ctx(),
        )
        .unwrap_err();
    assert!(err.message.contains("already rated"), "{}", err.message);
}

#[test]
fn ids_can_be_given_by_prefix_and_editing_a_confirmed_record_marks_it_changed() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let sys = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    assert_eq!(sys.review_state, ReviewState::New);
    let prefix = &sys.id.to_string()[..8];
    s.set_review(
        None,
        RecordKind::System,
        prefix,
        ReviewState::Confirmed,
        &ctx(),
    )
    .unwrap();
    let r = s
        .update(
            None,
            RecordKind::System,
            prefix,
            json!({"users": 120}),
            &ctx(),
        )
        .unwrap();
    assert_eq!(r.review_state, ReviewState::Changed);
    let err = s.get(None, RecordKind::Contract, prefix).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound, "right id, wrong kind");
    let err = s.get(None, RecordKind::System, "zz").unwrap_err();
    assert_eq!(err.kind, ErrorKind::Usage);
}

#[test]
fn an_update_with_no_change_writes_nothing() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let sys = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let before = s.history(None, 50).unwrap().len();
    s.update(
        None,
        RecordKind::System,
        &sys.id.to_string(),
        json!({"name": "  Mosaic  "}),
        &ctx(),
    )
    .unwrap();
    assert_eq!(s.history(None, 50).unwrap().len(), before);
}

#[test]
fn the_questionnaire_describes_what_the_store_accepts() {
    let q = city_core::api::questionnaire();
    assert_eq!(q.records.len(), 7);
    let mut t = TempStore::camden();
    for r in &q.records {
        // A record made of only the required fields, with a plausible value each, is accepted.
        let mut fields = serde_json::Map::new();
        for f in r.fields.iter().filter(|f| f.required) {
            let v = match &f.kind {
                city_core::api::FieldKind::Choice { options } => json!(options[0].id),
                _ => json!("Example"),
            };
            fields.insert(f.name.clone(), v);
        }
        t.store
            .add(None, r.kind, serde_json::Value::Object(fields), &ctx())
            .unwrap_or_else(|e| panic!("{:?}: {}", r.kind, e.message));
    }
    let system = q
        .records
        .iter()
        .find(|r| r.kind == RecordKind::System)
        .unwrap();
    assert!(system.fields.iter().any(|f| f.name == "mfa" && f.sensitive));
    assert!(system.fields.iter().any(|f| f.name == "name" && f.required));
}

#[test]
fn duplicate_copies_a_record_under_a_new_id() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let sys = s
        .add(
            None,
            RecordKind::System,
            json!({"name": "Mosaic", "hosting": "saas", "users": 300}),
            &ctx(),
        )
        .unwrap();
    let copy = s
        .duplicate(None, RecordKind::System, &sys.id.to_string(), &ctx())
        .unwrap();
    assert_ne!(copy.id, sys.id);
    assert_eq!(copy.label, "Mosaic (copy)");
    assert_eq!(copy.record.to_json()["users"], 300);
    assert_eq!(copy.review_state, ReviewState::New);
    assert_eq!(s.list(None, RecordKind::System, false).unwrap().len(), 2);

    // A skill's copy leaves the area blank (one rating per area), so it is refused.
    let skill = s
        .add(
            None,
            RecordKind::Skill,
            json!({"area": "networks", "level": "awareness"}),
            &ctx(),
        )
        .unwrap();
    let e = s
        .duplicate(None, RecordKind::Skill, &skill.id.to_string(), &ctx())
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);

    let gdpr = s
        .add(
            None,
            RecordKind::Gdpr,
            json!({"dpo_appointed": true}),
            &ctx(),
        )
        .unwrap();
    let e = s
        .duplicate(None, RecordKind::Gdpr, &gdpr.id.to_string(), &ctx())
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
}

#[test]
fn add_many_adds_all_or_nothing() {
    let mut t = TempStore::camden();
    let before = bytes(&t.path());
    let e = t
        .store
        .add_many(
            None,
            RecordKind::System,
            vec![
                json!({"name": "A"}),
                json!({"name": "B", "hosting": "moon"}),
            ],
            &ctx(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(e.message.starts_with("record 2:"), "{}", e.message);
    let path = t.path();
    let TempStore { dir: _dir, store } = t;
    drop(store);
    assert_eq!(bytes(&path), before, "a refused batch writes nothing");

    let mut s = city_core::api::Store::open(&path).unwrap();
    let mut seen = Vec::new();
    let added = s
        .add_many(
            None,
            RecordKind::System,
            (0..1200)
                .map(|i| json!({"name": format!("System {i}")}))
                .collect(),
            &ctx(),
            &mut |p| seen.push(p.done),
        )
        .unwrap();
    assert_eq!(added.len(), 1200);
    assert_eq!(seen, [500, 1000, 1200]);
    assert_eq!(s.list(None, RecordKind::System, false).unwrap().len(), 1200);
}

#[test]
fn new_return_starts_an_empty_cycle_beside_the_old_one() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    s.add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let r = s.new_return("2027-28", &ctx()).unwrap();
    assert_eq!(r.cycle, "2027-28");
    assert_eq!(r.carried_from, None);
    assert!(s.list(None, RecordKind::System, false).unwrap().is_empty());
    assert_eq!(
        s.list(Some("2026-27"), RecordKind::System, false)
            .unwrap()
            .len(),
        1
    );
    let e = s.new_return("2027-28", &ctx()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
}
