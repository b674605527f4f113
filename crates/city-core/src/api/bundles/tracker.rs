//! LOTI's tracker of who has returned for a cycle, and each organisation's bundle history.

use super::*;

impl Store {
    /// For a cycle: every London organisation (and any other that sent a bundle) with what was
    /// received, and who is missing.
    pub fn tracker(&mut self, cycle: &str) -> Result<Tracker, Error> {
        self.require_role(StoreRole::Central)?;
        let cycle = parse_cycle(cycle)?.to_string();
        let (accepted, quarantined, returns) = self.db.read(|tx| {
            Ok::<_, Error>((tx.accepted(Some(&cycle))?, tx.quarantined()?, tx.returns()?))
        })?;
        let mut orgs: Vec<(String, String, String)> = LONDON_AUTHORITIES
            .iter()
            .map(|(code, name)| {
                (
                    format!("gss:{code}"),
                    (*code).to_string(),
                    (*name).to_string(),
                )
            })
            .collect();
        for r in &returns {
            if !orgs.iter().any(|(id, _, _)| *id == r.organisation.id()) {
                orgs.push((
                    r.organisation.id(),
                    r.organisation.code.clone(),
                    r.organisation.name.clone(),
                ));
            }
        }
        let rows: Vec<TrackerRow> = orgs
            .into_iter()
            .map(|(id, code, name)| {
                let latest = accepted
                    .iter()
                    .filter(|a| a.organisation_id == id)
                    .max_by_key(|a| a.seq);
                TrackerRow {
                    organisation: name,
                    code,
                    received: latest.is_some(),
                    received_at: latest.map(|a| a.received_at.clone()),
                    seq: latest.map(|a| a.seq),
                    signer_key_id: latest.map(|a| a.key_id.clone()),
                    validated: latest.is_some(),
                    records: latest.map(|a| a.record_count),
                    waiting_in_quarantine: quarantined
                        .iter()
                        .any(|q| q.claimed_organisation == id && q.claimed_cycle == cycle),
                }
            })
            .collect();
        let missing = rows
            .iter()
            .filter(|r| !r.received)
            .map(|r| r.organisation.clone())
            .collect();
        let received = rows.iter().filter(|r| r.received).count();
        Ok(Tracker {
            cycle,
            rows,
            received,
            missing,
        })
    }

    /// The diff each accepted bundle made, newest first, for one organisation and cycle.
    pub fn bundle_history(
        &mut self,
        organisation: &str,
        cycle: &str,
    ) -> Result<Vec<(u64, ReturnDiff)>, Error> {
        self.require_role(StoreRole::Central)?;
        let org = Organisation::resolve(organisation, Some("?"))
            .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
        let rows = self.db.read(|tx| tx.accepted(Some(cycle)))?;
        let mut out: Vec<(u64, ReturnDiff)> = rows
            .iter()
            .filter(|a| a.organisation_id == org.id())
            .map(|a| {
                (
                    a.seq as u64,
                    serde_json::from_str(&a.diff).unwrap_or_default(),
                )
            })
            .collect();
        out.reverse();
        Ok(out)
    }
}
