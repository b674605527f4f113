//! The pipeline as OCDS 1.1 *planning* releases: one per pipeline contract, for the process
//! that will replace it. `ocid` = the current contract's OCID + `-next` (stable across cycles,
//! as the contract's UUID is); tag `planning`; `tender.status` `planned`, with the expected
//! contract period starting the day after the current contract ends; `planning.milestones`
//! holds the decision date; `relatedProcesses` links to the current contract's release (the
//! contracts export's OCID) with the relationship `prior`. Buyer parties are written as the
//! contracts export writes them. Only open-safe fields: titles, dates, products, organisations.

use super::pipeline::Pipeline;
use crate::domain::values::IsoDate;
use crate::export::ocds::{OCID_PREFIX, buyer_party};
use crate::export::{Dataset, OrgReturn};
use serde_json::{Value, json};

fn date_time(d: IsoDate) -> String {
    format!("{d}T00:00:00Z")
}

fn org<'a>(ds: &'a Dataset, id: &str) -> Option<&'a OrgReturn> {
    ds.returns
        .iter()
        .find(|r| format!("{}:{}", r.scheme, r.code) == id)
}

/// The release package of planning releases; returns it and the number of releases.
pub(crate) fn planning_package(ds: &Dataset, p: &Pipeline<'_>, published: &str) -> (Value, usize) {
    let mut releases = Vec::new();
    for c in &p.contracts {
        let current = format!("{OCID_PREFIX}{}", c.contract_id);
        let mut release = json!({
            "ocid": format!("{current}-next"),
            "id": format!("{}-next-{}", c.contract_id, ds.cycle),
            "date": published,
            "tag": ["planning"],
            "initiationType": "tender",
        });
        if let Some(o) = org(ds, &c.organisation) {
            let buyer = buyer_party(o);
            release["buyer"] = json!({ "id": buyer["id"], "name": buyer["name"] });
            release["parties"] = json!([buyer]);
        }
        let mut planning = json!({
            "rationale": match c.end_used {
                Some(e) => format!("The current contract, {}, ends on {e}.", c.title),
                None => format!("The current contract, {}, ends within the pipeline's horizon.", c.title),
            }
        });
        if let Some(d) = c.decision_date {
            planning["milestones"] = json!([{
                "id": "decision",
                "title": "Decide how to replace the current contract",
                "description": "The last day to decide, counted back from the end date by the notice period and a procurement lead time.",
                "dueDate": date_time(d),
                "status": "scheduled",
            }]);
        }
        release["planning"] = planning;
        let mut tender = json!({
            "id": format!("{}-next", c.contract_id),
            "title": format!("Replacement for: {}", c.title),
            "status": "planned",
        });
        if let Some(start) = c.end_used.and_then(|e| e.0.succ_opt()) {
            tender["contractPeriod"] = json!({ "startDate": date_time(IsoDate(start)) });
        }
        let items: Vec<Value> = c
            .product_names
            .iter()
            .enumerate()
            .map(|(i, n)| json!({ "id": (i + 1).to_string(), "description": n }))
            .collect();
        if !items.is_empty() {
            tender["items"] = Value::Array(items);
        }
        release["tender"] = tender;
        release["relatedProcesses"] = json!([{
            "id": "1",
            "relationship": ["prior"],
            "title": c.title,
            "scheme": "ocid",
            "identifier": current,
        }]);
        releases.push(release);
    }
    let n = releases.len();
    let package = json!({
        "uri": format!("urn:citytools:london:{}:pipeline", ds.cycle),
        "version": "1.1",
        "publishedDate": published,
        "publisher": { "name": "LOTI (London Office of Technology and Innovation)" },
        "releases": releases,
    });
    (package, n)
}
