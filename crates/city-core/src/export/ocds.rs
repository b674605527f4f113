//! Contracts as an OCDS 1.1 release package (JSON). One release per contract:
//! `ocid` = `ocds-citytools-` + the contract's UUID (stable across cycles, because the UUID
//! survives carry-forward; the prefix is ours, not one registered with OCP), `id` = the UUID plus
//! the cycle, tag `award` + `contract`, `initiationType` `tender`. Parties: the buyer (the
//! organisation; its GSS code as an additional identifier, scheme `GB-GSS`, because we hold no
//! `GB-LAE` codes) and the supplier (`GB-COH` or `GB-PPON` where known, the other as an
//! additional identifier). Only open-safe fields are written: no notes, nothing sensitive.

use super::delimited::pounds;
use super::table::{Dataset, OrgReturn};
use crate::domain::records::{Contract, RecordData, Supplier};
use crate::domain::values::IsoDate;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Our OCID prefix (not registered with the Open Contracting Partnership).
pub(crate) const OCID_PREFIX: &str = "ocds-citytools-";

fn date_time(d: IsoDate) -> String {
    format!("{d}T00:00:00Z")
}

/// OCDS contractStatus on the export date: `pending` before the start, `terminated` after the
/// latest end date (or the end date), `active` otherwise.
fn contract_status(c: &Contract, today: chrono::NaiveDate) -> &'static str {
    if c.start_date.is_some_and(|d| d.0 > today) {
        "pending"
    } else if c
        .latest_end_date
        .or(c.end_date)
        .is_some_and(|d| d.0 < today)
    {
        "terminated"
    } else {
        "active"
    }
}

/// The buyer party of a release: the organisation, as the contracts export writes it.
pub(crate) fn buyer_party(ret: &OrgReturn) -> Value {
    let mut p = json!({
        "id": format!("{}-{}", ret.scheme.to_uppercase(), ret.code),
        "name": ret.name,
        "roles": ["buyer"],
    });
    if ret.scheme == "gss" {
        p["identifier"] = json!({ "legalName": ret.name });
        p["additionalIdentifiers"] = json!([{
            "scheme": "GB-GSS",
            "id": ret.code,
            "legalName": ret.name,
        }]);
    } else {
        p["identifier"] = json!({ "scheme": ret.scheme, "id": ret.code, "legalName": ret.name });
    }
    p
}

fn supplier_party(id: Uuid, s: &Supplier) -> Value {
    let mut ids: Vec<Value> = Vec::new();
    if let Some(ch) = &s.companies_house {
        ids.push(json!({
            "scheme": "GB-COH",
            "id": ch,
            "legalName": s.name,
            "uri": format!("https://find-and-update.company-information.service.gov.uk/company/{ch}"),
        }));
    }
    if let Some(p) = &s.ppon {
        ids.push(json!({ "scheme": "GB-PPON", "id": p, "legalName": s.name }));
    }
    let party_id = match ids.first() {
        Some(i) => format!(
            "{}-{}",
            i["scheme"].as_str().unwrap_or_default(),
            i["id"].as_str().unwrap_or_default()
        ),
        None => format!("supplier-{id}"),
    };
    let mut p = json!({ "id": party_id, "name": s.name, "roles": ["supplier"] });
    let mut rest = ids.into_iter();
    match rest.next() {
        Some(first) => p["identifier"] = first,
        None => p["identifier"] = json!({ "legalName": s.name }),
    }
    let more: Vec<Value> = rest.collect();
    if !more.is_empty() {
        p["additionalIdentifiers"] = Value::Array(more);
    }
    p
}

fn release(ds: &Dataset, ret: &OrgReturn, id: Uuid, c: &Contract, published: &str) -> Value {
    let buyer = buyer_party(ret);
    let mut parties = vec![buyer.clone()];
    let supplier = c.supplier_id.and_then(|sid| {
        ret.records.iter().find_map(|(rid, r)| match r {
            RecordData::Supplier(s) if *rid == sid => Some(supplier_party(sid, s)),
            _ => None,
        })
    });
    let award_id = format!("{id}-award");
    let mut award = json!({ "id": award_id, "status": "active" });
    if let Some(s) = &supplier {
        award["suppliers"] = json!([{ "id": s["id"], "name": s["name"] }]);
        parties.push(s.clone());
    }
    let mut period = Map::new();
    if let Some(d) = c.start_date {
        period.insert("startDate".into(), date_time(d).into());
    }
    if let Some(d) = c.end_date {
        period.insert("endDate".into(), date_time(d).into());
    }
    if let Some(d) = c.latest_end_date.or(c.end_date) {
        period.insert("maxExtentDate".into(), date_time(d).into());
    }
    let mut contract = json!({
        "id": id.to_string(),
        "awardID": award_id,
        "title": c.title,
        "status": contract_status(c, ds.today),
    });
    if !period.is_empty() {
        contract["period"] = Value::Object(period);
    }
    if let Some(v) = c.total_value.or(c.annual_value) {
        // Pounds as an exact decimal number.
        let amount: serde_json::Number = pounds(v.0)
            .parse()
            .unwrap_or_else(|_| serde_json::Number::from(v.0 / 100));
        contract["value"] = json!({ "amount": amount, "currency": "GBP" });
    }
    json!({
        "ocid": format!("{OCID_PREFIX}{id}"),
        "id": format!("{id}-{}", ds.cycle),
        "date": published,
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "parties": parties,
        "buyer": { "id": buyer["id"], "name": buyer["name"] },
        "awards": [award],
        "contracts": [contract],
    })
}

/// The release package for every contract in the dataset.
pub(crate) fn release_package(ds: &Dataset, published: &str) -> (Value, usize) {
    let mut releases = Vec::new();
    for ret in &ds.returns {
        for (id, r) in &ret.records {
            if let RecordData::Contract(c) = r {
                releases.push(release(ds, ret, *id, c, published));
            }
        }
    }
    let n = releases.len();
    let publisher = if ds.central || ds.returns.len() != 1 {
        "LOTI (London Office of Technology and Innovation)".to_string()
    } else {
        ds.returns[0].name.clone()
    };
    let scope = match ds.returns.as_slice() {
        [one] if !ds.central => format!("{}:{}", one.scheme, one.code),
        _ => "london".to_string(),
    };
    let package = json!({
        "uri": format!("urn:citytools:{scope}:{}:contracts", ds.cycle),
        "version": "1.1",
        "publishedDate": published,
        "publisher": { "name": publisher },
        "releases": releases,
    });
    (package, n)
}
