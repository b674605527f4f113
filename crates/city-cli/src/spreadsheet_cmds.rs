//! `city spreadsheet`: write the survey template, inspect a workbook (sheets, header rows,
//! suggested mappings, the answers suggested for columns with options) and import one — the
//! commit writes only when every row can be imported (or, with `--partial`, the rows without
//! errors), else the dry run's plan is shown; an error report can be written beside it.

use crate::Failure;
use crate::output::{json, say_line};
use crate::status_line::StatusLine;
use city_core::api::{
    self, Context, ImportPlan, ImportRequest, RowAction, SheetImport, SpreadsheetInfo, Store,
};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub(crate) enum SpreadsheetCommand {
    /// Write the survey template (xlsx) for the return's questionnaire.
    Template {
        /// Where to write it.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Fill it with the return's records, so it can be edited and imported back.
        #[arg(long)]
        prefill: bool,
    },
    /// Show a workbook's sheets, header rows and the suggested mapping of each column.
    Inspect {
        /// An xlsx, xls, ods, csv or tsv file (recognised by content).
        file: PathBuf,
    },
    /// Import records from a workbook: shows what each row would do; writes only if every row
    /// can be imported (all or nothing).
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// An xlsx, xls, ods, csv or tsv file (recognised by content).
    file: PathBuf,
    /// Import only this sheet (repeat for several). Default: every sheet that was recognised.
    #[arg(long, value_name = "NAME")]
    sheet: Vec<String>,
    /// What the sheet holds: system, contract, supplier, product, skill, gdpr or cyber.
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// The header row (counted from 1), if the suggestion is wrong.
    #[arg(long, value_name = "N")]
    header_row: Option<u32>,
    /// A JSON mapping: an ImportRequest or one sheet's SheetImport (see --json of inspect).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// JSON answers for columns with options: {"system.service_area": {"Rev & Bens":
    /// "esd:1", "Misc": null}}, or inspect --json's output with each value's "answer" edited.
    /// Values not answered take the store's remembered answer, else a sure suggestion, else
    /// are left blank with a warning.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Import the rows without errors and leave the others out (listed with --errors).
    #[arg(long)]
    partial: bool,
    /// How rows find the record they update: auto, id, reference, name or none.
    #[arg(long, value_name = "KEY", default_value = "auto")]
    match_key: String,
    /// Only show what would happen.
    #[arg(long)]
    dry_run: bool,
    /// Write an xlsx report with the problem cells highlighted.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Do not print progress.
    #[arg(long)]
    quiet: bool,
}

fn store(path: Option<&Path>) -> Result<Store, Failure> {
    let p = path.ok_or_else(|| {
        Failure::usage("give the store file with --store PATH (or set CITY_STORE)")
    })?;
    Ok(Store::open(p)?)
}

pub(crate) fn run(
    c: &SpreadsheetCommand,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    match c {
        SpreadsheetCommand::Template { out, prefill } => {
            store(store_path)?.survey_template(cycle, out, *prefill)?;
            if as_json {
                json(&serde_json::json!({"template": out.display().to_string()}));
            } else {
                say_line(&format!("Wrote the survey template to {}", out.display()));
            }
        }
        SpreadsheetCommand::Inspect { file } => {
            let info = match store_path {
                Some(p) => Store::open(p)?.inspect_spreadsheet(file)?,
                None => api::inspect_spreadsheet(file)?,
            };
            if as_json {
                json(&info);
            } else {
                print_info(&info);
            }
        }
        SpreadsheetCommand::Import(a) => import(a, store_path, cycle, as_json, ctx)?,
    }
    Ok(())
}

fn print_info(info: &SpreadsheetInfo) {
    say_line(&format!("{} ({})", info.file, info.format));
    for s in &info.sheets {
        let kind = s.kind.map_or("not recognised", |k| k.id());
        let header = s
            .header_row
            .map_or("no header row".to_string(), |r| format!("header row {r}"));
        say_line(&format!(
            "Sheet '{}'{}: {} rows, {header}, {kind} ({:?} mapping)",
            s.name,
            if s.hidden { " (hidden)" } else { "" },
            s.rows,
            s.mapping_source
        ));
        for c in &s.columns {
            say_line(&format!(
                "  {:<3} {:<40} → {}",
                c.column,
                c.header,
                c.field.as_deref().unwrap_or("(ignored)")
            ));
        }
        for f in &s.answers {
            say_line(&format!("  Answers for column {} ({}):", f.column, f.key));
            for v in &f.values {
                let label = |id: &str| {
                    f.options
                        .iter()
                        .find(|o| o.id == id)
                        .map_or(id.to_string(), |o| o.label.clone())
                };
                let answer = v.answer.as_deref().map_or("(blank)".to_string(), label);
                say_line(&format!(
                    "    '{}' ({} row{}) → {answer} [{:?}, {}%]",
                    v.value,
                    v.rows,
                    if v.rows == 1 { "" } else { "s" },
                    v.basis,
                    v.confidence
                ));
            }
        }
    }
}

fn request(a: &ImportArgs, st: &mut Store) -> Result<ImportRequest, Failure> {
    let mut req = match &a.mapping {
        Some(m) => {
            let text = std::fs::read_to_string(m)
                .map_err(|e| Failure::failed(format!("could not read {}: {e}", m.display())))?;
            api::parse_import_request(&text)?
        }
        None => {
            let info = st.inspect_spreadsheet(&a.file)?;
            let mut req = api::default_import_request(&info);
            let kind = a.kind.as_deref().map(api::parse_kind).transpose()?;
            if kind.is_some() || a.header_row.is_some() {
                let names: Vec<String> = if a.sheet.is_empty() {
                    req.sheets.iter().map(|s| s.sheet.clone()).collect()
                } else {
                    a.sheet.clone()
                };
                req.sheets.clear();
                for name in names {
                    let s = api::inspect_sheet(&a.file, &name, kind, a.header_row)?;
                    let (Some(k), Some(row)) = (s.kind, s.header_row) else {
                        return Err(Failure::usage(format!(
                            "say what sheet '{name}' holds with --kind"
                        )));
                    };
                    req.sheets.push(SheetImport {
                        sheet: s.name,
                        kind: k,
                        header_row: row,
                        layout: s.layout,
                        columns: s
                            .columns
                            .into_iter()
                            .map(|c| api::ColumnChoice {
                                column: c.column,
                                field: c.field,
                            })
                            .collect(),
                    });
                }
            } else if !a.sheet.is_empty() {
                for name in &a.sheet {
                    if !req.sheets.iter().any(|s| &s.sheet == name) {
                        return Err(Failure::usage(format!(
                            "sheet '{name}' was not recognised: say what it holds with --kind"
                        )));
                    }
                }
                req.sheets.retain(|s| a.sheet.contains(&s.sheet));
            }
            req
        }
    };
    req.match_key = api::parse_match_key(&a.match_key)?;
    if let Some(path) = &a.answers {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::failed(format!("could not read {}: {e}", path.display())))?;
        req.answers = api::parse_answers(&text)?;
    }
    req.partial = a.partial;
    if req.sheets.is_empty() {
        return Err(Failure::failed(
            "no sheet of the workbook was recognised: choose one with --sheet NAME --kind KIND",
        ));
    }
    Ok(req)
}

fn import(
    a: &ImportArgs,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let mut st = store(store_path)?;
    let req = request(a, &mut st)?;
    let quiet = as_json || a.quiet;
    let mut status = StatusLine::stderr(quiet);
    let mut progress = |p: &api::Progress| status.show(p);
    // One pass when it can be written: the commit plans every row and writes only if it may
    // (every row, or with --partial the rows without errors). When it may not, the dry run
    // gives the plan to show and report (the core parses the file once for both).
    let plan = if a.dry_run {
        st.import_preview(cycle, &a.file, &req, ctx, &mut progress)?
    } else {
        match st.import_commit(cycle, &a.file, &req, ctx, &mut progress) {
            Ok(plan) => plan,
            Err(e) if e.kind == api::ErrorKind::Validation && !e.issues.is_empty() => {
                st.import_preview(cycle, &a.file, &req, ctx, &mut progress)?
            }
            Err(e) => return Err(e.into()),
        }
    };
    status.finish();
    if let Some(out) = &a.errors
        && (!plan.errors.is_empty() || !plan.warnings.is_empty())
    {
        api::write_import_errors(&a.file, &plan, out)?;
        if !quiet {
            eprintln!("Wrote the problems to {}", out.display());
        }
    }
    let partial = a.partial && plan.importable > 0;
    if as_json {
        json(&plan);
    } else {
        print_plan(&plan, a.dry_run);
    }
    if plan.left_out > 0 && (plan.committed || (a.dry_run && partial)) {
        eprintln!(
            "{} {} row{} with errors{}",
            if plan.committed {
                "Left out"
            } else {
                "Would leave out"
            },
            plan.left_out,
            if plan.left_out == 1 { "" } else { "s" },
            if a.errors.is_some() {
                " (listed in the error report)"
            } else {
                " (write them out with --errors FILE)"
            }
        );
        return Ok(());
    }
    if !plan.can_commit {
        return Err(Failure::failed(format!(
            "nothing was imported: {} problem{} (first: {})",
            plan.errors.len(),
            if plan.errors.len() == 1 { "" } else { "s" },
            plan.errors.first().map_or("", |e| e.message.as_str())
        )));
    }
    Ok(())
}

fn where_(i: &api::Issue) -> String {
    match &i.location {
        Some(api::Location::File {
            sheet, row, column, ..
        }) => format!(
            "{}!{}{}",
            sheet.as_deref().unwrap_or("?"),
            column.as_deref().unwrap_or(""),
            row.map(|r| r.to_string()).unwrap_or_default()
        ),
        _ => String::new(),
    }
}

/// Prints the plan row by row (a 50,000-row register is as many lines: written through one
/// buffer; a closed pipe is not an error).
fn print_plan(plan: &ImportPlan, dry_run: bool) {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for r in &plan.rows {
        let action = match r.action {
            RowAction::Create => "add",
            RowAction::Update => "update",
            RowAction::Unchanged => "unchanged",
            RowAction::Skip => "skip",
            RowAction::Error => "ERROR",
        };
        let _ = write!(out, "{} row {}: {action} {}", r.sheet, r.row, r.kind.id());
        if !r.label.is_empty() {
            let _ = write!(out, " '{}'", r.label);
        }
        if let Some(why) = &r.reason {
            let _ = write!(out, " ({why})");
        }
        let _ = writeln!(out);
    }
    for e in &plan.errors {
        let _ = writeln!(out, "error {}: {}", where_(e), e.message);
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "warning {}: {}", where_(w), w.message);
    }
    let c = plan.counts;
    let verb = if plan.committed {
        "Imported"
    } else if dry_run || plan.can_commit {
        "Would import"
    } else {
        "Could not import"
    };
    let _ = writeln!(
        out,
        "{verb}: {} to add, {} to update, {} unchanged, {} skipped, {} with errors",
        c.create, c.update, c.unchanged, c.skip, c.error
    );
    let _ = out.flush();
}
