//! Carry forward: cycle N's return starts from N−1's.

use crate::support::*;
use city_core::api::{ErrorKind, RecordKind, ReviewState, SinceLastYear};
use serde_json::json;

#[test]
fn records_keep_their_ids_are_marked_to_review_and_retired_ones_stay_behind() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let keep = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let retired = s
        .add(None, RecordKind::System, json!({"name": "Old CRM"}), &ctx())
        .unwrap();
    let deleted = s
        .add(None, RecordKind::System, json!({"name": "Typo"}), &ctx())
        .unwrap();
    s.set_review(
        None,
        RecordKind::System,
        &retired.id.to_string(),
        ReviewState::Retired,
        &ctx(),
    )
    .unwrap();
    s.delete(None, RecordKind::System, &deleted.id.to_string(), &ctx())
        .unwrap();
    s.add(
        None,
        RecordKind::Cyber,
        json!({"cyber_essentials":"ce_plus"}),
        &ctx(),
    )
    .unwrap();

    let mut seen = Vec::new();
    let summary = s
        .carry_forward("2027-28", &ctx(), &mut |p| seen.push((p.done, p.total)))
        .unwrap();
    assert_eq!(summary.cycle, "2027-28");
    assert_eq!(summary.carried_from.as_deref(), Some("2026-27"));
    assert_eq!(seen.first(), Some(&(0, 2)));
    assert_eq!(seen.last(), Some(&(2, 2)));

    let systems = s.list(Some("2027-28"), RecordKind::System, true).unwrap();
    assert_eq!(systems.len(), 1);
    assert_eq!(systems[0].id, keep.id);
    assert_eq!(systems[0].review_state, ReviewState::ToReview);
    assert_eq!(
        s.list(Some("2027-28"), RecordKind::Cyber, false)
            .unwrap()
            .len(),
        1
    );
    // The old return is untouched.
    assert_eq!(
        s.list(Some("2026-27"), RecordKind::System, true)
            .unwrap()
            .len(),
        3
    );
    // With no cycle given, the newest return is the one acted on.
    assert_eq!(s.status(None).unwrap().cycle, "2027-28");

    // Confirming in one action.
    let r = s
        .set_review(
            None,
            RecordKind::System,
            &keep.id.to_string(),
            ReviewState::Confirmed,
            &ctx(),
        )
        .unwrap();
    assert_eq!(r.review_state, ReviewState::Confirmed);
    // Edits in the new cycle do not touch the old one.
    s.update(
        None,
        RecordKind::System,
        &keep.id.to_string(),
        json!({"name":"Mosaic 2"}),
        &ctx(),
    )
    .unwrap();
    assert_eq!(
        s.get(Some("2026-27"), RecordKind::System, &keep.id.to_string())
            .unwrap()
            .label,
        "Mosaic"
    );
}

#[test]
fn carrying_forward_twice_or_backwards_is_refused() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    s.carry_forward("2027-28", &ctx(), &mut |_| {}).unwrap();
    let err = s.carry_forward("2027-28", &ctx(), &mut |_| {}).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Conflict);
    let err = s.carry_forward("2025-26", &ctx(), &mut |_| {}).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    let err = s.carry_forward("2028", &ctx(), &mut |_| {}).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert_eq!(s.returns().unwrap().len(), 2);
}

/// *Check your answers* marks what changed since last year's return: new, changed (with the
/// fields), unchanged, and last year's records retired.
#[test]
fn changes_since_last_year_are_record_by_record() {
    let mut t = TempStore::camden();
    let s = &mut t.store;
    let first = s.changes_since_last_year(None).unwrap();
    assert_eq!(first.previous_cycle, None);
    assert!(first.records.is_empty());
    let same = s
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let moved = s
        .add(
            None,
            RecordKind::System,
            json!({"name": "CRM", "hosting": "on_premises"}),
            &ctx(),
        )
        .unwrap();
    let gone = s
        .add(None, RecordKind::System, json!({"name": "Old CRM"}), &ctx())
        .unwrap();
    s.carry_forward("2027-28", &ctx(), &mut |_| {}).unwrap();
    s.update(
        None,
        RecordKind::System,
        &moved.id.to_string(),
        json!({"hosting": "saas"}),
        &ctx(),
    )
    .unwrap();
    s.set_review(
        None,
        RecordKind::System,
        &gone.id.to_string(),
        ReviewState::Retired,
        &ctx(),
    )
    .unwrap();
    let new = s
        .add(
            None,
            RecordKind::System,
            json!({"name": "Bookings"}),
            &ctx(),
        )
        .unwrap();
    let c = s.changes_since_last_year(None).unwrap();
    assert_eq!(
        (c.cycle.as_str(), c.previous_cycle.as_deref()),
        ("2027-28", Some("2026-27"))
    );
    let of = |id| c.records.iter().find(|r| r.id == id).unwrap();
    assert_eq!(of(same.id).change, SinceLastYear::Unchanged);
    assert_eq!(of(moved.id).change, SinceLastYear::Changed);
    assert_eq!(of(moved.id).changed_fields, vec!["hosting".to_string()]);
    assert_eq!(of(new.id).change, SinceLastYear::New);
    assert_eq!(of(gone.id).change, SinceLastYear::Retired);
    assert_eq!(c.records.len(), 4);
}
