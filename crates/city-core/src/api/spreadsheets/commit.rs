//! The dry run and the commit: the request's sheets read into rows (in the order that makes
//! what a row names exist first), every row planned inside one transaction, then rolled back
//! (a dry run, or a commit with errors) or kept with the mapping and answers remembered.

use super::answers;
use super::ids::IdGen;
use super::index::Index;
use super::inspect::{MAPPING_KEY, Remembered, header_texts};
use super::links;
use super::plan::{Fingerprints, PENDING_MAX, ReadRow, Run};
use super::request::mapped;
use super::writer::{self, Link, Outcome};
use super::{ImportCounts, ImportPlan, ImportRequest, RowAction, RowPlan, SheetImport, read_cache};
use super::{Issue, read_file};
use crate::api::{Context, Error, ErrorKind, Progress, Store, find_return};
use crate::domain::enums::RecordKind;
use crate::import::mapping;
use crate::import::rows::{self, Layout, SourceRow, TableRows};
use crate::import::workbook::Workbook;
use crate::store::StoreError;
use std::collections::HashMap;
use std::path::Path;

/// Why a transaction stopped: an error, or a dry run that must not be kept.
pub(super) enum Stop {
    Failed(Error),
    DryRun(ImportPlan),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        Stop::Failed(e.into())
    }
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// One sheet to import: its choice, record type, rows (read one at a time as they are
/// planned), how many rows it gives and its header signature.
struct Source<'r, 'w> {
    choice: &'r SheetImport,
    kind: RecordKind,
    rows: Rows<'w>,
    count: usize,
    signature: String,
}

/// A sheet's rows: a table's, read as they are asked for, or a form's one record.
enum Rows<'w> {
    Table(TableRows<'w>),
    Form(Option<SourceRow>),
}

impl Iterator for Rows<'_> {
    type Item = SourceRow;

    fn next(&mut self) -> Option<SourceRow> {
        match self {
            Rows::Table(t) => t.next(),
            Rows::Form(f) => f.take(),
        }
    }
}

impl Store {
    /// The dry run: what importing `request` from `path` into a return would do, row by row.
    /// Nothing is written.
    pub fn import_preview(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        request: &ImportRequest,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportPlan, Error> {
        self.import(cycle, path, request, ctx, progress, false)
    }

    /// Imports `request` from `path`: all of it in one transaction, or nothing if any row has
    /// an error (the error lists every problem at its sheet, row and column) — unless
    /// `request.partial`, when the rows without errors are written and the others left out
    /// (listed in the plan's errors). The mapping of each sheet is remembered for the next
    /// file with the same headers, and the request's answers for the next file using the same
    /// words.
    pub fn import_commit(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        request: &ImportRequest,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportPlan, Error> {
        self.import(cycle, path, request, ctx, progress, true)
    }

    fn import(
        &mut self,
        cycle: Option<&str>,
        path: &Path,
        request: &ImportRequest,
        ctx: &Context,
        progress: &mut dyn FnMut(&Progress),
        commit: bool,
    ) -> Result<ImportPlan, Error> {
        if request.sheets.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "choose at least one sheet to import",
            ));
        }
        answers::check(&request.answers)?;
        let wb = read_file(path)?;
        let remembered = self.db.read(answers::remembered)?;
        let (mut sources, suppliers) = read_sources(&wb, request, &remembered)?;
        // The transaction on a thread of its own (`writer`): SQLite writes what is planned
        // while the next rows are read, matched and checked here.
        let (link, writer) = writer::pair();
        let db = &mut self.db;
        let (planned, written) = std::thread::scope(|scope| {
            let writing = scope.spawn(move || writer.run(db));
            let planned = plan_import(
                &link,
                Planning {
                    cycle,
                    ctx,
                    path,
                    request,
                    commit,
                },
                &mut sources,
                &suppliers,
                progress,
            );
            link.end(planned.is_ok());
            let written = writing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (planned, written)
        });
        let result = match (planned, written) {
            (Err(stop), _) => Err(stop),
            (Ok(plan), Outcome::Committed) => Ok(plan),
            (Ok(_), _) => Err(Stop::Failed(link.error().into())),
        };
        match result {
            Ok(plan) => {
                read_cache::forget();
                Ok(plan)
            }
            Err(Stop::DryRun(plan)) => Ok(plan),
            Err(Stop::Failed(e)) => Err(e),
        }
    }
}

/// What an import was asked to do.
struct Planning<'a> {
    cycle: Option<&'a str>,
    ctx: &'a Context,
    path: &'a Path,
    request: &'a ImportRequest,
    commit: bool,
}

/// Plans every row through the transaction's link: `Ok` when the plan is to be committed
/// (with the mapping and answers remembered), else why not (a dry run's plan, or an error).
fn plan_import(
    link: &Link,
    p: Planning<'_>,
    sources: &mut [Source<'_, '_>],
    suppliers: &[String],
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportPlan, Stop> {
    let cycle = p.cycle.map(str::to_string);
    let ret = link.call(move |tx| find_return(tx, cycle.as_deref()))?;
    let mut ix = {
        let ret = ret.clone();
        link.call(move |tx| Index::load(tx, &ret))?
    };
    // Room for every row from the start: growing these maps as 50,000 rows come in rebuilt
    // them again and again, each time in fresh memory.
    let rows: usize = sources.iter().map(|s| s.count).sum();
    ix.reserve(rows);
    let mut run = Run {
        db: link,
        ret: &ret,
        ctx: p.ctx,
        file: p.path,
        ix,
        // A row may add a record besides its own (a supplier it names).
        plan: Vec::with_capacity(rows + rows / 8),
        warnings: Vec::new(),
        errors: Vec::new(),
        seen: HashMap::with_capacity(2 * rows),
        pending: Vec::with_capacity(PENDING_MAX),
        spellings: links::supplier_spellings(suppliers.iter().map(String::as_str)),
        ids: IdGen::new(),
        sheet_names: Vec::new(),
    };
    plan_rows(&mut run, sources, p.request, p.path, progress)?;
    let plan = finish(run, p.request, p.path, ret.cycle.to_string(), p.commit);
    if !p.commit {
        return Err(Stop::DryRun(plan));
    }
    if !plan.committed {
        return Err(Stop::Failed(refusal(&plan, p.path)));
    }
    remember(link, sources, p.request)?;
    Ok(plan)
}

/// Each chosen sheet ready to be read, in the order sheets are imported, with the first name
/// of every supplier the rows name (for their best-cased spellings).
fn read_sources<'r, 'w>(
    wb: &'w Workbook,
    request: &'r ImportRequest,
    remembered: &answers::Remembered,
) -> Result<(Vec<Source<'r, 'w>>, Vec<String>), Error> {
    let mut sheets = Vec::new();
    for choice in &request.sheets {
        sheets.push((choice, mapped(wb, choice)?));
    }
    sheets.sort_by_key(|(c, _)| kind_order(c.kind));
    let mut sources = Vec::new();
    let mut suppliers = Vec::new();
    for (choice, (index, m)) in sheets {
        let sheet = &wb.sheets[index];
        let given = answers::given_for(m.kind, &request.answers, remembered);
        let (rows, count) = match m.layout.clone() {
            Layout::Table(cols) => {
                let (count, names) = rows::table_outline(sheet, m.header_row, &cols);
                suppliers.extend(names);
                let rows = TableRows::new(sheet, m.kind, m.header_row, cols, &given);
                (Rows::Table(rows), count)
            }
            Layout::Form {
                key,
                question,
                answer,
                columns,
            } => {
                let src = rows::read_form(sheet, &m, key, question, answer, &columns, &given);
                suppliers.extend(src.lookups.iter().filter_map(|l| {
                    (l.kind == RecordKind::Supplier)
                        .then(|| l.names.first().cloned())
                        .flatten()
                }));
                (Rows::Form(Some(src)), 1)
            }
        };
        sources.push(Source {
            choice,
            kind: m.kind,
            rows,
            count,
            signature: mapping::signature(&header_texts(sheet, m.header_row)),
        });
    }
    Ok((sources, suppliers))
}

/// Plans every row, reporting progress every 100 rows.
fn plan_rows(
    run: &mut Run<'_>,
    sources: &mut [Source<'_, '_>],
    request: &ImportRequest,
    path: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), Stop> {
    let total: u64 = sources.iter().map(|s| s.count as u64).sum();
    let stage = format!("Importing {total} rows from {}", path.display());
    progress(&Progress {
        stage: stage.clone(),
        done: 0,
        total,
    });
    let mut done = 0u64;
    // The rows are read on a thread of their own, a batch ahead of the planning here (the
    // store writes on a third: see `writer`), with what each row alone gives (its label,
    // natural key and fingerprint: `ReadRow`).
    let (sheets, rows): (Vec<_>, Vec<_>) = sources
        .iter_mut()
        .map(|s| ((s.choice, s.kind), (s.kind, &mut s.rows)))
        .unzip();
    let key = request.match_key;
    std::thread::scope(|scope| -> Result<(), Stop> {
        let (send, batches) = std::sync::mpsc::sync_channel(READ_AHEAD);
        scope.spawn(move || {
            let mut prints = Fingerprints::new();
            for (i, (kind, rows)) in rows.into_iter().enumerate() {
                let mut batch = Vec::with_capacity(READ_BATCH);
                for src in rows {
                    batch.push(ReadRow::new(src, kind, key, &mut prints));
                    if batch.len() == READ_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(READ_BATCH));
                        // The planner has stopped: nothing more to read.
                        if send.send((i, full)).is_err() {
                            return;
                        }
                    }
                }
                if !batch.is_empty() && send.send((i, batch)).is_err() {
                    return;
                }
            }
        });
        for (i, batch) in batches {
            let (choice, kind) = sheets[i];
            for read in batch {
                run.row(&choice.sheet, kind, read, key)?;
                done += 1;
                if done.is_multiple_of(100) || done == total {
                    progress(&Progress {
                        stage: stage.clone(),
                        done,
                        total,
                    });
                }
            }
        }
        Ok(())
    })?;
    run.flush()?;
    Ok(())
}

/// Rows read ahead of the planning: batches of [`READ_BATCH`], at most [`READ_AHEAD`] waiting.
const READ_BATCH: usize = 64;
const READ_AHEAD: usize = 4;

/// The plan of a run: its counts, and whether it is (or would be) written.
fn finish(
    run: Run<'_>,
    request: &ImportRequest,
    path: &Path,
    cycle: String,
    commit: bool,
) -> ImportPlan {
    let counts = counts(&run.plan);
    let importable = importable(&run.plan, request);
    let can_commit = run.errors.is_empty();
    // A partial import writes the rows without errors, if there are any.
    let writes = can_commit || (request.partial && importable > 0);
    ImportPlan {
        file: path.display().to_string(),
        cycle,
        rows: run.plan,
        counts,
        errors: run.errors,
        warnings: run.warnings,
        can_commit,
        committed: commit && writes,
        importable,
        left_out: counts.error,
    }
}

fn counts(plan: &[RowPlan]) -> ImportCounts {
    let mut counts = ImportCounts::default();
    for r in plan {
        match r.action {
            RowAction::Create => counts.create += 1,
            RowAction::Update => counts.update += 1,
            RowAction::Unchanged => counts.unchanged += 1,
            RowAction::Skip => counts.skip += 1,
            RowAction::Error => counts.error += 1,
        }
    }
    counts
}

/// Rows of the sheets (not the records they add) that would be added, updated or found
/// unchanged.
fn importable(plan: &[RowPlan], request: &ImportRequest) -> u32 {
    let sheet_kind: HashMap<&str, RecordKind> = request
        .sheets
        .iter()
        .map(|c| (c.sheet.as_str(), c.kind))
        .collect();
    plan.iter()
        .filter(|r| {
            matches!(
                r.action,
                RowAction::Create | RowAction::Update | RowAction::Unchanged
            ) && sheet_kind.get(r.sheet.as_str()) == Some(&r.kind)
        })
        .count() as u32
}

/// Why a commit wrote nothing: every problem, the first named.
fn refusal(plan: &ImportPlan, path: &Path) -> Error {
    let n = plan.errors.len();
    let first: Option<&Issue> = plan.errors.first();
    let mut e = Error::new(
        ErrorKind::Validation,
        format!(
            "nothing was imported: {n} problem{} in {} (first: {})",
            if n == 1 { "" } else { "s" },
            path.display(),
            first.map_or("", |i| i.message.as_str())
        ),
    );
    e.location = first.and_then(|i| i.location.clone());
    e.issues = plan.errors.clone();
    e
}

/// Remembers each sheet's mapping by its header signature, and the request's answers.
fn remember(
    link: &Link,
    sources: &[Source<'_, '_>],
    request: &ImportRequest,
) -> Result<(), StoreError> {
    let mut meta = Vec::new();
    for source in sources {
        let remembered = Remembered {
            kind: source.choice.kind,
            layout: source.choice.layout,
            columns: source.choice.columns.clone(),
        };
        let json = serde_json::to_string(&remembered).unwrap_or_default();
        meta.push((format!("{MAPPING_KEY}{}", source.signature), json));
    }
    let given = request.answers.clone();
    link.send(move |tx| {
        for (key, json) in &meta {
            tx.set_meta(key, json)?;
        }
        answers::remember(tx, &given)
    })
}

/// The order sheets are imported in, so that what a row names already exists.
fn kind_order(k: RecordKind) -> usize {
    match k {
        RecordKind::Supplier => 0,
        RecordKind::Product => 1,
        RecordKind::System => 2,
        RecordKind::Contract => 3,
        RecordKind::Skill => 4,
        RecordKind::Gdpr => 5,
        RecordKind::Cyber => 6,
    }
}
