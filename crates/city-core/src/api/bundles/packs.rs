//! Cycle packs: LOTI makes one for a cycle (its dates and the recipients bundles are encrypted to),
//! signed by LOTI's root key; a borough store imports it, pinning the root key the first time.

use super::*;

/// Creates a cycle pack signed with LOTI's root key.
pub fn create_cycle_pack(
    out: &Path,
    input: &CyclePackInput,
    root_secret: &Path,
    passphrase: &str,
) -> Result<(), Error> {
    parse_cycle(&input.cycle)?;
    for d in [&input.opens, &input.closes] {
        crate::domain::values::IsoDate::parse(d)
            .map_err(|m| Error::new(ErrorKind::Validation, format!("cycle pack date: {m}")))?;
    }
    let key = SigningKey::unlock(&read_text(root_secret)?, passphrase)
        .map_err(|e| refused(root_secret, e))?;
    let pack = CyclePack {
        format: cycle_pack::FORMAT_NAME.into(),
        format_version: 1,
        cycle: input.cycle.clone(),
        questionnaire_version: QUESTIONNAIRE_VERSION.into(),
        opens: input.opens.clone(),
        closes: input.closes.clone(),
        recipients: input.recipients.clone(),
    };
    let bytes = pack.seal(&key).map_err(|e| refused(out, e))?;
    write_new_file(out, &bytes, Readers::Anyone)
}

impl Store {
    /// Imports LOTI's cycle pack into a borough store. The first import pins LOTI's root key
    /// (`root_key`, a `.pub` file); later packs must be signed by the pinned key.
    pub fn import_cycle_pack(
        &mut self,
        file: &Path,
        root_key: Option<&Path>,
        ctx: &Context,
    ) -> Result<String, Error> {
        self.require_role(StoreRole::Borough)?;
        let pinned = self.db.read(|tx| tx.meta("loti_root_key"))?;
        let given = root_key
            .map(|p| read_text(p).and_then(|t| PublicKeyInfo::parse(&t).map_err(|e| refused(p, e))))
            .transpose()?;
        let root = match (&pinned, &given) {
            (Some(p), Some(g)) if &g.base64 != p => {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "this store already trusts a different LOTI root key; a new root key needs a new app release",
                ));
            }
            (Some(p), _) => PublicKeyInfo::parse(p).map_err(|e| refused(file, e))?,
            (None, Some(g)) => g.clone(),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "give LOTI's root public key for the first cycle pack",
                )
                .at(input("cycle_pack", "root_key")));
            }
        };
        let bytes = read_file(file, crate::bundle::container::MAX_FILE as u64)?;
        let pack = CyclePack::open(&bytes, &root).map_err(|e| refused(file, e))?;
        let cycle = pack.cycle.clone();
        self.db.write(|tx| {
            tx.set_meta("loti_root_key", &root.base64)?;
            tx.upsert_pack(
                &PackRow {
                    cycle_id: pack.cycle.clone(),
                    questionnaire_version: pack.questionnaire_version.clone(),
                    opens: pack.opens.clone(),
                    closes: pack.closes.clone(),
                    recipients: pack.recipients.clone(),
                    root_key: root.base64.clone(),
                },
                ctx.now,
            )?;
            Ok::<_, Error>(())
        })?;
        Ok(cycle)
    }
}
