//! Bad input is refused with a one-line message naming the field, and the store is unchanged.

use crate::support::*;
use city_core::api::{ErrorKind, Location, RecordKind};
use serde_json::json;

#[test]
fn each_bad_record_names_its_field_and_changes_nothing() {
    let mut t = TempStore::camden();
    let path = t.path();
    t.store
        .add(None, RecordKind::System, json!({"name": "Mosaic"}), &ctx())
        .unwrap();
    let cases = [
        (
            RecordKind::Contract,
            json!({"title":"T","end_date":"2027-02-30"}),
            "end_date",
            "not a real date",
        ),
        (
            RecordKind::Contract,
            json!({"title":"T","annual_value":-100}),
            "annual_value",
            "negative",
        ),
        (
            RecordKind::Contract,
            json!({"title":"T","start_date":"2027-04-01","end_date":"2026-04-01"}),
            "end_date",
            "before the start date",
        ),
        (
            RecordKind::Contract,
            json!({"reference":"C-1"}),
            "title",
            "enter the title",
        ),
        (
            RecordKind::System,
            json!({"name":"X","hosting":"cloudy"}),
            "hosting",
            "not one of the options",
        ),
        (
            RecordKind::System,
            json!({"name":"X","colour":"blue"}),
            "",
            "'colour' is not a field",
        ),
        (
            RecordKind::Supplier,
            json!({"name":"X","companies_house":"ABCDEFGHIJ"}),
            "companies_house",
            "not a Companies House number",
        ),
        (
            RecordKind::Skill,
            json!({"level":"expert"}),
            "area",
            "choose the capability area",
        ),
    ];
    for (kind, input, field, words) in cases {
        let before = t.store.history(None, 100).unwrap().len();
        let err = t.store.add(None, kind, input.clone(), &ctx()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation, "{input}");
        assert!(err.message.contains(words), "{input}: {}", err.message);
        assert!(!err.message.contains('\n'));
        if !field.is_empty() {
            assert!(
                err.message.contains(&format!("'{field}'")),
                "{input}: {}",
                err.message
            );
            match &err.location {
                Some(Location::Record {
                    table,
                    field: Some(f),
                    ..
                }) => {
                    assert_eq!(table, kind.id());
                    assert_eq!(f, field);
                }
                other => panic!("{input}: location {other:?}"),
            }
        }
        assert_eq!(
            t.store.history(None, 100).unwrap().len(),
            before,
            "{input} wrote to the audit log"
        );
    }
    drop(t.store);
    let after = bytes(&path);
    let mut reopened = city_core::api::Store::open(&path).unwrap();
    assert_eq!(
        reopened
            .list(None, RecordKind::Contract, true)
            .unwrap()
            .len(),
        0
    );
    drop(reopened);
    assert_eq!(bytes(&path), after);
}

#[test]
fn every_problem_of_a_record_is_listed() {
    let mut t = TempStore::camden();
    let err = t
        .store
        .add(
            None,
            RecordKind::Contract,
            json!({"title":"", "start_date":"2027-04-01","end_date":"2026-04-01","latest_end_date":"2026-01-01"}),
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(err.issues.len(), 3, "{:?}", err.issues);
    assert!(
        err.message.contains("and 2 more problems"),
        "{}",
        err.message
    );
}

#[test]
fn update_patches_are_validated_as_a_whole() {
    let mut t = TempStore::camden();
    let c = t
        .store
        .add(
            None,
            RecordKind::Contract,
            json!({"title":"T","start_date":"2026-04-01","end_date":"2027-03-31"}),
            &ctx(),
        )
        .unwrap();
    let err = t
        .store
        .update(
            None,
            RecordKind::Contract,
            &c.id.to_string(),
            json!({"start_date":"2028-01-01"}),
            &ctx(),
        )
        .unwrap_err();
    assert!(
        err.message.contains("before the start date"),
        "{}",
        err.message
    );
    let err = t
        .store
        .update(
            None,
            RecordKind::Contract,
            &c.id.to_string(),
            json!([1, 2]),
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert_eq!(
        t.store
            .get(None, RecordKind::Contract, &c.id.to_string())
            .unwrap()
            .updated_at,
        c.updated_at
    );
}

/// A number given to a text field says so as data (`Cause::ExpectedText`), so that a front end
/// can offer to take it as text without reading the message; other problems have no cause.
#[test]
fn a_number_for_a_text_field_is_a_typed_cause() {
    use city_core::api::Cause;
    let mut t = TempStore::camden();
    let e = t
        .store
        .add(
            None,
            RecordKind::Supplier,
            json!({"name": "Civica", "companies_house": 1628868}),
            &ctx(),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(e.cause, Some(Cause::ExpectedText), "{e:?}");
    assert!(matches!(
        e.location,
        Some(Location::Record { field: Some(ref f), .. }) if f == "companies_house"
    ));
    let e = t
        .store
        .add(None, RecordKind::System, json!({"name": ""}), &ctx())
        .unwrap_err();
    assert_eq!(e.cause, None);
}
