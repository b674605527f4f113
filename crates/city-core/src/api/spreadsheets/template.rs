//! The survey template of a return's questionnaire (the writing is `export::template`'s).

use super::file_loc;
use crate::api::{Error, ErrorKind, Store, find_return};
use std::path::Path;

impl Store {
    /// Writes the survey template for a return's questionnaire to `path` (xlsx): instructions,
    /// a sheet per record type with dropdowns and formats, the two one-per-return
    /// questionnaires as question / answer sheets, and a data dictionary. With `prefill`, the
    /// return's records are filled in (with their hidden ids), so the file can be edited and
    /// imported back onto the same records.
    pub fn survey_template(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        prefill: bool,
    ) -> Result<(), Error> {
        let (cycle_id, records) = self.db.read(|tx| -> Result<_, Error> {
            let ret = find_return(tx, cycle)?;
            let records = if prefill {
                tx.records(ret.id, None, false)?
                    .into_iter()
                    .map(|r| (r.id, r.data))
                    .collect()
            } else {
                Vec::new()
            };
            Ok((ret.cycle.to_string(), records))
        })?;
        crate::export::template::write(path, &cycle_id, &records).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("could not write {}: {e}", path.display()),
            )
            .at(file_loc(path, None, None, None))
        })
    }
}
