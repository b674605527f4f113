//! LOTI's import of bundles, fail-closed and per file: inspecting a bundle, the dry run's diff, and
//! `import_in` — every check in the threat model's order, then the one set of writes — inside the
//! file's transaction, helped by `bundle_prepare`'s work done ahead.

use super::*;

/// Checks a bundle's container and signature without LOTI's key: with `key` if given (a
/// `.pub` file), else with the key the bundle carries (which proves integrity, not origin).
pub fn inspect_bundle(file: &Path, key: Option<&Path>) -> Result<BundleInfo, Error> {
    let bytes = read_file(file, crate::bundle::container::MAX_FILE as u64)?;
    let key = match key {
        Some(k) => Some(PublicKeyInfo::parse(&read_text(k)?).map_err(|e| refused(k, e))?),
        None => None,
    };
    inspect(file, &bytes, key)
}

/// [`inspect_bundle`] on bytes already in memory (for example a dropped file), checked against
/// the key the bundle carries. `name` is used in messages.
pub fn inspect_bundle_bytes(name: &str, bytes: &[u8]) -> Result<BundleInfo, Error> {
    inspect(Path::new(name), bytes, None)
}

pub(super) fn inspect(
    file: &Path,
    bytes: &[u8],
    key: Option<PublicKeyInfo>,
) -> Result<BundleInfo, Error> {
    let unverified = seal::read(bytes).map_err(|e| refused(file, e))?;
    let trusted = key.unwrap_or_else(|| unverified.claimed_signer.clone());
    let header = unverified.verify(&trusted).map_err(|e| refused(file, e))?;
    Ok(BundleInfo {
        file: file.display().to_string(),
        organisation: header.organisation,
        cycle: header.cycle,
        seq: header.seq,
        bundle_id: header.bundle_id.to_string(),
        created: header
            .created
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        questionnaire_version: header.questionnaire_version,
        signer: key_info(&trusted),
        sha256: sha256_hex(bytes),
    })
}

pub(super) fn short_value(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "(blank)".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The diff between the current records of a return and a newer set.
pub(super) fn diff(
    old: &[RecordRow],
    new: &[(
        Uuid,
        crate::domain::enums::ReviewState,
        crate::domain::records::RecordData,
    )],
) -> ReturnDiff {
    let old_by: BTreeMap<Uuid, &RecordRow> = old.iter().map(|r| (r.id, r)).collect();
    let new_ids: BTreeSet<Uuid> = new.iter().map(|(id, _, _)| *id).collect();
    let mut d = ReturnDiff::default();
    for (id, _, data) in new {
        let reference = RecordRefOwned {
            kind: data.kind().id().into(),
            id: id.to_string(),
            label: data.label(),
        };
        match old_by.get(id) {
            None => d.added.push(reference),
            // Most records of a newer return are unchanged: compare the typed records first
            // and build JSON only for those that differ.
            Some(o) if o.data == *data => {}
            Some(o) => {
                let (a, b) = (o.data.to_json(), data.to_json());
                let mut fields = Vec::new();
                if let (Some(a), Some(b)) = (a.as_object(), b.as_object()) {
                    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                    for k in keys {
                        if a.get(k) != b.get(k) {
                            fields.push((k.clone(), short_value(a.get(k)), short_value(b.get(k))));
                        }
                    }
                }
                if !fields.is_empty() {
                    d.changed.push(ChangedOwned {
                        kind: reference.kind,
                        id: reference.id,
                        label: reference.label,
                        fields,
                    });
                }
            }
        }
    }
    for o in old.iter().filter(|o| !new_ids.contains(&o.id)) {
        d.removed.push(RecordRefOwned {
            kind: o.data.kind().id().into(),
            id: o.id.to_string(),
            label: o.data.label(),
        });
    }
    d
}

/// Every check, then (if `write`) the one set of writes, inside the caller's transaction.
/// What is known of a bundle before its transaction: its hash, and what was prepared ahead
/// (`bundle_prepare`), if anything.
pub(super) struct Ahead {
    pub(super) sha: String,
    pub(super) unverified: Option<Unverified>,
    pub(super) verified: Option<Verified>,
}

/// Checks one bundle and, with `write`, merges it, in the order the threat model sets. What
/// `ahead` holds (the seal read, the signature verified and the payload opened with a key) is
/// used only at the step that would compute it, and the verification and payload only if the
/// keyring's key is still exactly the key they were made with.
pub(super) fn import_in(
    tx: &Tx<'_>,
    file: &Path,
    bytes: &[u8],
    ahead: Ahead,
    ids: &[keys::Identity],
    write: bool,
    ctx: &Context,
) -> Result<ImportOutcome, Error> {
    let Ahead {
        sha,
        unverified,
        verified: prepared,
    } = ahead;
    let unverified = match unverified {
        Some(u) => u,
        None => seal::read(bytes).map_err(|e| refused(file, e))?,
    };
    let outcome = |kind, message: String, h: &Header| ImportOutcome {
        file: file.display().to_string(),
        outcome: kind,
        message,
        organisation: Some(h.organisation.clone()),
        cycle: Some(h.cycle.clone()),
        seq: Some(h.seq),
        diff: None,
        error: None,
    };
    let Some(key) = tx.key(&unverified.signature.key_id)? else {
        // Unknown signer: check the bundle is at least self-consistent, then hold it.
        let header = unverified
            .verify(&unverified.claimed_signer)
            .map_err(|e| refused(file, e))?;
        let k = &unverified.claimed_signer;
        if write {
            tx.insert_quarantine(&QuarantineRow {
                sha256: sha.clone(),
                file_name: file.display().to_string(),
                claimed_organisation: header.organisation.clone(),
                claimed_cycle: header.cycle.clone(),
                key_id: k.key_id.clone(),
                public_key: k.base64.clone(),
                fingerprint: k.fingerprint.clone(),
                received_at: crate::store::rows_ts(ctx.now),
                bundle: bytes.to_vec(),
            })?;
        }
        return Ok(outcome(
            ImportOutcomeKind::Quarantined,
            format!(
                "{}: signed by a key LOTI does not know (fingerprint {}); it waits in quarantine until the fingerprint is confirmed with {}",
                file.display(),
                k.fingerprint,
                header.organisation
            ),
            &header,
        ));
    };
    if key.status == "revoked" {
        return Err(refused(
            file,
            BundleError::Key(format!(
                "it is signed with a key LOTI revoked on {} ({})",
                key.revoked_at.clone().unwrap_or_default(),
                key.revoked_reason.clone().unwrap_or_default()
            )),
        ));
    }
    if crate::store::rows_ts(ctx.now) > key.expires_at {
        let why = if key.status == "retired" {
            format!(
                "it is signed with a key that was replaced and stopped being accepted on {}",
                key.expires_at
            )
        } else {
            format!(
                "it is signed with a key that expired on {}; the organisation must rotate its key",
                key.expires_at
            )
        };
        return Err(refused(file, BundleError::Key(why)));
    }
    let trusted = PublicKeyInfo::parse(&key.public_key)
        .map_err(|e| Error::new(ErrorKind::Storage, e.to_string()))?;
    let mut prepared = prepared.filter(|p| p.made_with(&key));
    let header = match prepared.as_mut() {
        Some(p) => std::mem::replace(
            &mut p.header,
            Err(Error::new(ErrorKind::Storage, "already taken")),
        )?,
        None => unverified.verify(&trusted).map_err(|e| refused(file, e))?,
    };
    if header.organisation != key.organisation_id {
        return Err(refused(
            file,
            BundleError::Mismatch(format!(
                "it claims to come from {} but is signed with {}'s key",
                header.organisation, key.organisation_id
            )),
        ));
    }
    let cycle = parse_cycle(&header.cycle).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("{}: {}", file.display(), e.message),
        )
    })?;
    if let Some(prev) = tx.accepted_by_hash_or_id(&sha, &header.bundle_id.to_string())? {
        if prev.sha256 == sha {
            return Ok(outcome(
                ImportOutcomeKind::AlreadyImported,
                format!(
                    "{}: already imported on {} (r{}); nothing changed",
                    file.display(),
                    prev.received_at,
                    prev.seq
                ),
                &header,
            ));
        }
        return Err(refused(
            file,
            BundleError::Mismatch(
                "its bundle id was already used by another accepted bundle".into(),
            ),
        ));
    }
    let max = tx
        .max_accepted_seq(&header.organisation, cycle.as_str())?
        .unwrap_or(0) as u64;
    if header.seq <= max {
        return Err(refused(
            file,
            BundleError::Comment(format!(
                "it is r{}, older than or the same as r{max} already accepted from {} for {} (a replay or rollback)",
                header.seq, header.organisation, header.cycle
            )),
        ));
    }
    if header.seq - max >= 1000 {
        return Err(refused(
            file,
            BundleError::Comment(format!(
                "its sequence number jumps from r{max} to r{}; refused as suspicious",
                header.seq
            )),
        ));
    }
    let mut opened = match prepared.and_then(|p| p.opened) {
        Some(opened) => opened?,
        None => open_payload(file, &unverified, &header, &trusted, ids)?,
    };
    let records = std::mem::take(&mut opened.records);
    let org = Organisation {
        scheme: opened.organisation.scheme.clone(),
        code: opened.organisation.code.clone(),
        name: opened.organisation.name.clone(),
    };
    let existing = tx
        .returns()?
        .into_iter()
        .find(|r| r.organisation.id() == org.id() && r.cycle == cycle);
    let old = match &existing {
        Some(r) => tx.records(r.id, None, false)?,
        None => Vec::new(),
    };
    let d = diff(&old, &records);
    let summary = format!(
        "{} records ({} added, {} changed, {} removed)",
        records.len(),
        d.added.len(),
        d.changed.len(),
        d.removed.len()
    );
    if !write {
        let mut o = outcome(
            ImportOutcomeKind::WouldAccept,
            format!(
                "{}: would accept r{} from {}: {summary}",
                file.display(),
                header.seq,
                org.name
            ),
            &header,
        );
        o.diff = Some(d);
        return Ok(o);
    }
    tx.insert_organisation(&org)?;
    let return_id = match existing {
        Some(r) => {
            tx.purge_records(r.id)?;
            r.id
        }
        None => {
            let id = Uuid::new_v4();
            tx.insert_return(&ReturnRow {
                id,
                organisation: org.clone(),
                cycle: cycle.clone(),
                questionnaire_version: opened.questionnaire_version.clone(),
                carried_from: None,
                created_at: ctx.now,
            })?;
            id
        }
    };
    tx.insert_new_records(return_id, ctx.now, &records, &opened.texts)?;
    tx.insert_accepted(&AcceptedRow {
        bundle_id: header.bundle_id.to_string(),
        sha256: sha,
        organisation_id: org.id(),
        cycle_id: cycle.to_string(),
        seq: header.seq as i64,
        key_id: key.key_id.clone(),
        file_name: file.display().to_string(),
        received_at: crate::store::rows_ts(ctx.now),
        received_by: ctx.actor.clone(),
        record_count: records.len() as i64,
        diff: serde_json::to_string(&d).unwrap_or_else(|_| "{}".into()),
        bundle: bytes.to_vec(),
    })?;
    let mut o = outcome(
        ImportOutcomeKind::Accepted,
        format!(
            "{}: accepted r{} from {}: {summary}",
            file.display(),
            header.seq,
            org.name
        ),
        &header,
    );
    o.diff = Some(d);
    Ok(o)
}

impl Store {
    /// Imports bundles into LOTI's central store, each file on its own and fail-closed: every
    /// check runs before the one transaction that writes. With `dry_run`, nothing is written
    /// and the outcome says what would happen (with the diff).
    pub fn import_bundles(
        &mut self,
        files: &[PathBuf],
        identities: &[PathBuf],
        dry_run: bool,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<ImportOutcome>, Error> {
        self.require_role(StoreRole::Central)?;
        let ids = identities
            .iter()
            .map(|p| read_text(p).and_then(|t| keys::parse_identity(&t).map_err(|e| refused(p, e))))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "give LOTI's identity file to decrypt bundles",
            )
            .at(input("bundle_import", "identities")));
        }
        let total = files.len() as u64;
        let mut out = Vec::with_capacity(files.len());
        // The next bundle is read, verified and decrypted on a second thread while this one
        // merges (see `bundle_prepare`); the channel holds at most one prepared bundle.
        let keyring = self.db.read(|tx| tx.keys())?;
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel(1);
            let (ids, keyring) = (&ids, &keyring);
            scope.spawn(move || {
                for file in files {
                    let prepared = super::super::bundle_prepare::prepare(file, keyring, ids);
                    if send.send(prepared).is_err() {
                        break;
                    }
                }
            });
            for (i, file) in files.iter().enumerate() {
                progress(&Progress {
                    stage: format!("Importing {}", file.display()),
                    done: i as u64,
                    total,
                });
                let prepared = receive.recv().ok();
                out.push(self.import_one(file, ids, dry_run, ctx, prepared));
            }
        });
        progress(&Progress {
            stage: "Imported".into(),
            done: total,
            total,
        });
        Ok(out)
    }

    pub(super) fn import_one(
        &mut self,
        file: &Path,
        ids: &[keys::Identity],
        dry_run: bool,
        ctx: &Context,
        prepared: Option<Prepared>,
    ) -> ImportOutcome {
        let name = file.display().to_string();
        let blank = |outcome, message: String| ImportOutcome {
            file: name.clone(),
            outcome,
            message,
            organisation: None,
            cycle: None,
            seq: None,
            diff: None,
            error: None,
        };
        let (bytes, sha256, mut unverified, mut verified) = match prepared {
            Some(p) => (p.bytes, p.sha256, p.unverified, p.verified),
            None => (
                read_file(file, crate::bundle::container::MAX_FILE as u64),
                None,
                None,
                None,
            ),
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                return ImportOutcome {
                    error: Some(e.clone()),
                    ..blank(ImportOutcomeKind::Refused, e.message)
                };
            }
        };
        let sha = sha256.unwrap_or_else(|| sha256_hex(&bytes));
        let mut ahead = Some(Ahead {
            sha,
            unverified: unverified.take(),
            verified: verified.take(),
        });
        let mut take = || {
            ahead.take().unwrap_or_else(|| Ahead {
                sha: sha256_hex(&bytes),
                unverified: None,
                verified: None,
            })
        };
        let result = if dry_run {
            self.db
                .read(|tx| import_in(tx, file, &bytes, take(), ids, false, ctx))
        } else {
            self.db
                .write(|tx| import_in(tx, file, &bytes, take(), ids, true, ctx))
        };
        match result {
            Ok(o) => o,
            Err(e) => ImportOutcome {
                error: Some(e.clone()),
                ..blank(ImportOutcomeKind::Refused, e.message)
            },
        }
    }
}
