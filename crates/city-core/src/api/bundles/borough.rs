//! A borough sending its return: the bundle export (validate, seal, sign, record the sequence) and
//! the bundles sent so far.

use super::*;

pub(super) fn sent_dto(file: &Path, s: &SentRow) -> SentBundle {
    SentBundle {
        file: file.display().to_string(),
        bundle_id: s.bundle_id.clone(),
        seq: s.seq,
        sha256: s.sha256.clone(),
        key_id: s.key_id.clone(),
        sent_at: s.sent_at.clone(),
        actor: s.actor.clone(),
    }
}

impl Store {
    /// Exports the return as a signed, encrypted bundle into `dir`. Written beside its final
    /// name, synced, renamed, then re-read and verified before the sending is recorded.
    pub fn export_bundle(
        &mut self,
        cycle: Option<&str>,
        dir: &Path,
        secret_key: &Path,
        passphrase: &str,
        ctx: &Context,
    ) -> Result<SentBundle, Error> {
        self.require_role(StoreRole::Borough)?;
        let key = SigningKey::unlock(&read_text(secret_key)?, passphrase)
            .map_err(|e| refused(secret_key, e))?;
        let info = key.info();
        let (ret, records, sent, pack) = self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            let records = tx.records(ret.id, None, false)?;
            let sent = tx.sent(ret.id)?;
            let pack = tx.pack(ret.cycle.as_str())?;
            Ok::<_, Error>((ret, records, sent, pack))
        })?;
        let pack = pack.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "there is no cycle pack for {}: import LOTI's cycle pack first",
                    ret.cycle
                ),
            )
        })?;
        let recipients = pack
            .recipients
            .iter()
            .map(|r| keys::parse_recipient(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::new(ErrorKind::Storage, e.to_string()))?;
        let seq = sent.last().map_or(1, |s| s.seq + 1) as u64;
        let bundle_id = Uuid::new_v4();
        let header = Header {
            format: FORMAT_VERSION,
            organisation: ret.organisation.id(),
            cycle: ret.cycle.to_string(),
            seq,
            bundle_id,
            // The signed header keeps whole seconds.
            created: chrono::DateTime::from_timestamp(ctx.now.timestamp(), 0).unwrap_or(ctx.now),
            questionnaire_version: ret.questionnaire_version.clone(),
        };
        let mut counts = BTreeMap::new();
        let wire: Vec<WireRecord> = records
            .iter()
            .map(|r| {
                *counts.entry(r.data.kind().id().to_string()).or_insert(0) += 1;
                WireRecord {
                    id: r.id,
                    kind: r.data.kind(),
                    review_state: r.review_state,
                    data: r.data.to_json(),
                }
            })
            .collect();
        let payload = Payload {
            format: payload::FORMAT_NAME.into(),
            format_version: FORMAT_VERSION,
            bundle_id,
            seq,
            previous_bundle_id: sent.last().and_then(|s| Uuid::parse_str(&s.bundle_id).ok()),
            organisation: WireOrganisation {
                scheme: ret.organisation.scheme.clone(),
                code: ret.organisation.code.clone(),
                name: ret.organisation.name.clone(),
            },
            cycle: ret.cycle.to_string(),
            questionnaire_version: ret.questionnaire_version.clone(),
            created_at: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            app_version: env!("CARGO_PKG_VERSION").into(),
            signer_key: info.base64.clone(),
            counts,
            records: wire,
        };
        let file = dir.join(format!(
            "{}_{}_r{seq}.ctbundle",
            ret.organisation.code, ret.cycle
        ));
        let bytes =
            seal::seal(&payload, &header, &key, &recipients).map_err(|e| refused(&file, e))?;
        write_new_file(&file, &bytes, Readers::Anyone)?;
        let check = (|| {
            let written =
                std::fs::read(&file).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
            let again = seal::read(&written).map_err(|e| refused(&file, e))?;
            let h = again.verify(&info).map_err(|e| refused(&file, e))?;
            if h != header || written != bytes {
                return Err(Error::new(
                    ErrorKind::Io,
                    format!(
                        "{}: the written file does not read back the same",
                        file.display()
                    ),
                ));
            }
            Ok(())
        })();
        let sent_row = SentRow {
            bundle_id: bundle_id.to_string(),
            seq: seq as i64,
            sha256: sha256_hex(&bytes),
            file_name: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            key_id: info.key_id.clone(),
            sent_at: crate::store::rows_ts(ctx.now),
            actor: ctx.actor.clone(),
        };
        let recorded = check.and_then(|()| {
            self.db
                .write(|tx| Ok::<_, Error>(tx.insert_sent(ret.id, &sent_row)?))
        });
        if let Err(e) = recorded {
            let _ = std::fs::remove_file(&file);
            return Err(e);
        }
        Ok(sent_dto(&file, &sent_row))
    }

    /// The bundles exported from a return, oldest first.
    pub fn sent_bundles(&mut self, cycle: Option<&str>) -> Result<Vec<SentBundle>, Error> {
        self.db.read(|tx| {
            let ret = find_return(tx, cycle)?;
            Ok(tx
                .sent(ret.id)?
                .iter()
                .map(|s| sent_dto(Path::new(&s.file_name), s))
                .collect())
        })
    }
}
