//! Progress between two cycles through the API: [`Store::progress`] reads both cycles' returns
//! from LOTI's central store — the live records, how many are still to review, when each
//! organisation's bundles were accepted, and the cycle's closing date where a cycle pack
//! recorded it — and [`progress_from_returns`] reads the same from two returns files. Both hand
//! them to the pure `analysis::progress`.

use super::analysis::{check_windows, current_rules, read_returns_file};
use super::{Error, ErrorKind, Location, Store, parse_cycle};
use crate::analysis::progress::{self, CycleReturns, Receipt};
use crate::analysis::{AliasRule, AnalysisFilter, OrgReturn};
use crate::domain::enums::ReviewState;
use crate::domain::values::IsoDate;
use crate::store::Tx;
use std::collections::HashMap;
use std::path::Path;

pub use crate::analysis::progress::{
    AreaConcentration, CertificateCounts, CertificateMove, ChangeKind, ConcentrationFigures,
    ContractMovement, MarketProgress, Movement, OrgProgress, ProgressChange, ProgressOptions,
    ProgressReport, ProgressTotals, RecordMovement, ReturnPair, ReturnReceipt, ShareChange,
    SkillLevelCount, SystemMovement, WindowOutcome, WindowProgress,
};

fn day(ts: &str) -> Option<IsoDate> {
    IsoDate::parse(ts.get(..10)?).ok()
}

/// One cycle of the central store as the progress analysis reads it.
fn read_cycle(tx: &Tx<'_>, cycle: &str) -> Result<CycleReturns, Error> {
    let c = parse_cycle(cycle)?;
    let mut received: HashMap<String, (IsoDate, IsoDate)> = HashMap::new();
    for a in tx.accepted(Some(c.as_str()))? {
        let Some(d) = day(&a.received_at) else {
            continue;
        };
        let e = received.entry(a.organisation_id.clone()).or_insert((d, d));
        e.0 = e.0.min(d);
        e.1 = e.1.max(d);
    }
    let mut orgs = Vec::new();
    let mut receipts = Vec::new();
    for r in tx.returns()?.into_iter().filter(|r| r.cycle == c) {
        let mut not_reviewed = 0;
        let mut records = Vec::new();
        for x in tx.records(r.id, None, false)? {
            match x.review_state {
                ReviewState::Retired => continue,
                ReviewState::ToReview => not_reviewed += 1,
                _ => {}
            }
            records.push((x.id, x.data));
        }
        let id = r.organisation.id();
        let got = received.get(&id);
        receipts.push(Receipt {
            first: got.map(|g| g.0),
            last: got.map(|g| g.1),
            not_reviewed,
        });
        orgs.push(OrgReturn {
            organisation: id,
            name: r.organisation.name.clone(),
            records,
        });
    }
    let closes = tx
        .pack(c.as_str())?
        .and_then(|p| IsoDate::parse(&p.closes).ok());
    Ok(CycleReturns {
        cycle: c.to_string(),
        closes,
        orgs,
        receipts,
    })
}

fn check(from: &str, to: &str, options: &ProgressOptions) -> Result<(), Error> {
    let (a, b) = (parse_cycle(from)?, parse_cycle(to)?);
    if a >= b {
        return Err(Error::new(
            ErrorKind::Validation,
            format!("compare an earlier cycle with a later one: {a} is not before {b}"),
        )
        .at(Location::Record {
            table: "analysis".into(),
            record: None,
            field: Some("from".into()),
        }));
    }
    check_windows(&options.windows)
}

fn no_returns(cycle: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("there are no returns for cycle {cycle} to compare"),
    )
}

impl Store {
    /// Progress from cycle `from` to the later cycle `to` in LOTI's central store, under the
    /// alias decisions in force.
    pub fn progress(
        &mut self,
        from: &str,
        to: &str,
        options: &ProgressOptions,
        filter: &AnalysisFilter,
    ) -> Result<ProgressReport, Error> {
        check(from, to, options)?;
        self.require_central("progress needs LOTI's central store")?;
        let (a, b, rules) = self.db.read(|tx| {
            Ok::<_, Error>((
                read_cycle(tx, from)?,
                read_cycle(tx, to)?,
                current_rules(tx)?,
            ))
        })?;
        for c in [&a, &b] {
            if c.orgs.is_empty() {
                return Err(no_returns(&c.cycle));
            }
        }
        ProgressInput::new(a, b, rules).report(options, filter)
    }

    /// The newest cycle before `cycle` with returns in this store, if any: the one a workbook's
    /// *Progress since last year* compares with.
    pub(super) fn previous_cycle(&mut self, cycle: &str) -> Result<Option<String>, Error> {
        let c = parse_cycle(cycle)?;
        let returns = self.db.read(|tx| tx.returns())?;
        Ok(returns
            .into_iter()
            .map(|r| r.cycle)
            .filter(|x| *x < c)
            .max()
            .map(|x| x.to_string()))
    }
}

/// Two cycles' returns read and lined up, ready to compare (as often as wanted).
#[derive(Debug, Clone)]
pub struct ProgressInput {
    from: CycleReturns,
    to: CycleReturns,
    both: usize,
    rules: Vec<AliasRule>,
}

impl ProgressInput {
    fn new(mut from: CycleReturns, mut to: CycleReturns, rules: Vec<AliasRule>) -> Self {
        let both = progress::align(&mut from, &mut to);
        ProgressInput {
            from,
            to,
            both,
            rules,
        }
    }

    /// Reads two returns files (the earlier cycle's first; see
    /// [`Analysis::from_returns_file`](super::Analysis::from_returns_file)); no alias decisions
    /// apply.
    pub fn from_returns_files(from: &Path, to: &Path) -> Result<ProgressInput, Error> {
        let read = |p: &Path| {
            read_returns_file(p).map(|f| CycleReturns {
                cycle: f.cycle,
                closes: f.closes,
                orgs: f.orgs,
                receipts: f.receipts,
            })
        };
        Ok(ProgressInput::new(read(from)?, read(to)?, Vec::new()))
    }

    /// Organisations with a return in the earlier cycle, in the later one, and in both.
    pub fn organisations(&self) -> (usize, usize, usize) {
        (self.from.orgs.len(), self.to.orgs.len(), self.both)
    }

    /// The progress from the earlier cycle to the later one.
    pub fn report(
        &self,
        options: &ProgressOptions,
        filter: &AnalysisFilter,
    ) -> Result<ProgressReport, Error> {
        self.report_laps(options, filter, &mut |_| {})
    }

    /// Not an analysis: the benchmark's reference for linear growth. One bare pass over the
    /// same two cycles' records as the report reads them: per organisation in both cycles, last
    /// cycle's records hash-joined with this cycle's by id (unchanged, changed, new, retired)
    /// and this cycle's systems joined with last cycle's by product id (systems on a product
    /// the organisation did not run before). Returns those five counts.
    #[doc(hidden)]
    pub fn reference_pass(&self) -> [usize; 5] {
        let mut n = [0usize; 5];
        let mut before = HashMap::new();
        let mut products = HashMap::new();
        for (then, now) in self.from.orgs[..self.both]
            .iter()
            .zip(&self.to.orgs[..self.both])
        {
            before.clear();
            products.clear();
            for (id, r) in &then.records {
                before.insert(*id, r);
                if let crate::domain::records::RecordData::System(s) = r {
                    products.insert(s.product_id, ());
                }
            }
            let mut seen = 0;
            for (id, r) in &now.records {
                match before.get(id) {
                    Some(b) if *b == r => n[0] += 1,
                    Some(_) => n[1] += 1,
                    None => n[2] += 1,
                }
                seen += usize::from(before.contains_key(id));
                if let crate::domain::records::RecordData::System(s) = r {
                    n[4] += usize::from(!products.contains_key(&s.product_id));
                }
            }
            n[3] += before.len() - seen;
        }
        n
    }

    /// [`ProgressInput::report`], calling `lap` with each stage's name as it ends (for the
    /// benchmark's profiling child, which times the stages in between).
    #[doc(hidden)]
    pub fn report_laps(
        &self,
        options: &ProgressOptions,
        filter: &AnalysisFilter,
        lap: &mut dyn FnMut(&'static str),
    ) -> Result<ProgressReport, Error> {
        check(&self.from.cycle, &self.to.cycle, options)?;
        Ok(progress::report_laps(
            &self.from,
            &self.to,
            self.both,
            &self.rules,
            options,
            filter,
            lap,
        ))
    }
}

/// Progress between two returns files (the earlier cycle's first); no alias decisions apply.
pub fn progress_from_returns(
    from: &Path,
    to: &Path,
    options: &ProgressOptions,
    filter: &AnalysisFilter,
) -> Result<ProgressReport, Error> {
    ProgressInput::from_returns_files(from, to)?.report(options, filter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportProfile;
    use crate::export::progress_sheets::progress_tables;

    /// The benchmark's reference pass joins the same records the report counts.
    #[test]
    fn the_reference_pass_counts_the_records_the_report_counts() {
        let london = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/london");
        let input = ProgressInput::from_returns_files(
            &london.join("returns.json"),
            &london.join("returns-2027-28.json"),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        let r = input
            .report(&ProgressOptions::default(), &AnalysisFilter::default())
            .unwrap_or_else(|e| panic!("{}", e.message));
        let m = r.london.records;
        let n = input.reference_pass();
        assert_eq!(n[..4], [m.unchanged, m.changed, m.new, m.retired]);
        assert!(m.changed > 0 && m.new > 0 && m.retired > 0, "{m:?}");
    }

    /// Each row of every *since last year* sheet has a cell per column, with and without CAF.
    #[test]
    fn every_sheet_row_has_a_cell_per_column() {
        let london = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/london");
        let r = progress_from_returns(
            &london.join("returns.json"),
            &london.join("returns-2027-28.json"),
            &ProgressOptions::default(),
            &AnalysisFilter::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        for profile in [ExportProfile::Full, ExportProfile::Open] {
            for make in progress_tables(&r, profile) {
                let t = make();
                let (n, title, count) = (t.columns.len(), t.title.clone(), t.count);
                let rows: Vec<_> = t.rows.collect();
                assert_eq!(rows.len(), count, "{title}");
                assert!(rows.iter().all(|row| row.len() == n), "{title}");
            }
        }
    }
}
