//! `city`: the command-line front end over `city_core::api`, for LOTI's automation and for
//! black-box tests. Argument parsing and output formatting only; every rule lives in the core.
//!
//! Exit codes: 0 success; 1 the command failed (one-line reason on stderr); 2 usage error.

/// The allocator every City Tools binary uses (see the workspace manifest): an import of a
/// 50,000-row register spent a quarter of its time in glibc's malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod analysis_cmds;
mod args;
mod bundle_cmds;
mod export_cmds;
mod input;
mod output;
mod publish_cmds;
mod spreadsheet_cmds;
mod status_line;

use args::{Cli, Command, RecordCommand};
use city_core::api::{self, Context, ErrorKind, NewStore, ReviewState, Store};
use clap::{CommandFactory, FromArgMatches};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A failure with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
}

impl From<api::Error> for Failure {
    fn from(e: api::Error) -> Self {
        let message = match flag_for(&e) {
            Some(flag) => format!("{} ({flag})", e.message),
            None => e.message,
        };
        Failure {
            code: if e.kind == ErrorKind::Usage { 2 } else { 1 },
            message,
        }
    }
}

/// The flag that gives the input a core error points at, as a hint after its message (the
/// core's messages name no flag: the app asks for the same inputs in its own words).
fn flag_for(e: &api::Error) -> Option<&'static str> {
    let Some(api::Location::Record {
        table,
        field: Some(field),
        ..
    }) = &e.location
    else {
        return None;
    };
    match (table.as_str(), field.as_str()) {
        ("cycle_pack", "root_key") => Some("--root-key FILE"),
        ("bundle_import", "identities") => Some("--identity FILE"),
        ("keyring", "note") => Some("--note"),
        _ => None,
    }
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    fn failed(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// This build: the workspace version, the git commit it was built from (build.rs), and the
/// core's store schema and questionnaire versions.
fn about() -> api::About {
    api::about(env!("CARGO_PKG_VERSION"), env!("CITY_BUILD_COMMIT"))
}

fn main() -> ExitCode {
    // clap wants the version text for the whole run; it is made once, so leaking it is free.
    let version: &'static str = Box::leak(about().line().into_boxed_str());
    let matches = Cli::command().version(version).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let one_line = f.message.replace(['\n', '\r'], " ");
            eprintln!("error: {one_line}");
            ExitCode::from(f.code)
        }
    }
}

fn store_path(cli: &Cli) -> Result<&Path, Failure> {
    cli.store
        .as_deref()
        .ok_or_else(|| Failure::usage("give the store file with --store PATH (or set CITY_STORE)"))
}

fn open(cli: &Cli) -> Result<Store, Failure> {
    Ok(Store::open(store_path(cli)?)?)
}

/// Builds the fields from the flags and runs `call`; when the core wanted text for a `--set`
/// value that looked like a number, runs it again with that value as text.
fn with_fields<T>(
    a: &args::FieldsArgs,
    mut call: impl FnMut(serde_json::Value) -> Result<T, api::Error>,
) -> Result<T, Failure> {
    let mut as_text = std::collections::HashSet::new();
    loop {
        let fields = input::fields(a.data.as_deref(), a.file.as_deref(), &a.set, &as_text)?;
        match call(fields) {
            Ok(v) => return Ok(v),
            Err(e) => match input::retry_as_text(&e, &a.set, &as_text) {
                Some(field) => {
                    as_text.insert(field);
                }
                None => return Err(e.into()),
            },
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let ctx = Context::system();
    let cycle = cli.cycle.as_deref();
    let json = cli.json;
    match &cli.command {
        Command::Create(a) => {
            let path: PathBuf = store_path(&cli)?.to_path_buf();
            let new = NewStore {
                organisation: a.org.clone(),
                organisation_name: a.org_name.clone(),
                cycle: cli.cycle.clone().ok_or_else(|| {
                    Failure::usage("give the first cycle with --cycle, e.g. --cycle 2026-27")
                })?,
            };
            let mut store = Store::create_for(&path, &new, &ctx)?;
            let returns = store.returns()?;
            if let Some(r) = returns.first() {
                output::created_store(&path, r, json);
            }
        }
        Command::Organisations => output::organisations(&api::london_organisations(), json),
        Command::Enums => output::enumerations(&api::enumerations(), json),
        Command::Questionnaire => output::questionnaire(&api::questionnaire(), json),
        Command::Template(a) => {
            let kind = api::parse_kind(&a.kind)?;
            output::json(&api::record_template(kind));
        }
        Command::Returns => output::returns(&open(&cli)?.returns()?, json),
        Command::Status => output::status(&open(&cli)?.status(cycle)?, json),
        Command::History(a) => output::history(&open(&cli)?.history(cycle, a.limit)?, json),
        Command::Key(c) => bundle_cmds::key(c, json, &ctx)?,
        Command::Identity(c) => bundle_cmds::identity(c, &ctx)?,
        Command::CyclePack(c) => bundle_cmds::cycle_pack(c, cli.store.as_deref(), &ctx)?,
        Command::Bundle(c) => bundle_cmds::bundle(c, cli.store.as_deref(), cycle, json, &ctx)?,
        Command::CreateCentral => bundle_cmds::create_central(cli.store.as_deref(), &ctx)?,
        Command::Keyring(c) => bundle_cmds::keyring(c, cli.store.as_deref(), json, &ctx)?,
        Command::Tracker => bundle_cmds::tracker(cli.store.as_deref(), cycle, json)?,
        Command::Analysis(a) => analysis_cmds::run(a, cli.store.as_deref(), cycle, json, &ctx)?,
        Command::Export(c) => export_cmds::export(c, cli.store.as_deref(), cycle, json, &ctx)?,
        Command::Publish(c) => publish_cmds::run(c, cli.store.as_deref(), cycle, json, &ctx)?,
        Command::Spreadsheet(c) => {
            spreadsheet_cmds::run(c, cli.store.as_deref(), cycle, json, &ctx)?;
        }
        Command::Check => {
            open(&cli)?.integrity_check()?;
            if json {
                output::json(&serde_json::json!({"integrity": "ok"}));
            } else {
                println!("ok: the store passes SQLite's integrity check");
            }
        }
        Command::Undo => {
            let outcome = open(&cli)?.undo(cycle, &ctx)?;
            output::undone(&outcome, json);
        }
        Command::CarryForward(a) => {
            let mut store = open(&cli)?;
            let to = match &a.to {
                Some(t) => t.clone(),
                None => {
                    let latest = store
                        .returns()?
                        .pop()
                        .ok_or_else(|| Failure::failed("the store has no returns"))?;
                    api::next_cycle(&latest.cycle)?
                }
            };
            let quiet = json || a.quiet;
            let summary = store.carry_forward(&to, &ctx, &mut |p| {
                if !quiet {
                    eprintln!("{}: {}/{}", p.stage, p.done, p.total);
                }
            })?;
            let count = store
                .list(Some(&summary.cycle), api::RecordKind::System, false)?
                .len();
            output::carried(&summary, count, json);
        }
        Command::NewReturn(a) => {
            let summary = open(&cli)?.new_return(&a.to, &ctx)?;
            output::new_return(&summary, json);
        }
        Command::Record(_) => {
            let Some((kind, rc)) = cli.command.record() else {
                return Err(Failure::usage("unknown record type"));
            };
            let mut store = open(&cli)?;
            match rc {
                RecordCommand::Add(a) => {
                    let r = with_fields(a, |fields| store.add(cycle, kind, fields, &ctx))?;
                    output::changed("Added", &r, json);
                }
                RecordCommand::AddMany(a) => {
                    let records = input::array(&a.file)?;
                    let added = store.add_many(cycle, kind, records, &ctx, &mut |p| {
                        if !json {
                            eprintln!("{}: {}/{}", p.stage, p.done, p.total);
                        }
                    })?;
                    output::added_many(kind, &added, json);
                }
                RecordCommand::Duplicate(a) => {
                    let r = store.duplicate(cycle, kind, &a.id, &ctx)?;
                    output::changed("Added", &r, json);
                }
                RecordCommand::List(a) => output::list(&store.list(cycle, kind, a.deleted)?, json),
                RecordCommand::Show(a) => output::show(&store.get(cycle, kind, &a.id)?, json),
                RecordCommand::Update(a) => {
                    if a.set.is_empty() && a.data.is_none() && a.file.is_none() {
                        return Err(Failure::usage(
                            "nothing to change: give --set FIELD=VALUE or --data JSON",
                        ));
                    }
                    let r = with_fields(a, |patch| store.update(cycle, kind, &a.id, patch, &ctx))?;
                    output::changed("Updated", &r, json);
                }
                RecordCommand::Delete(a) => {
                    let r = store.delete(cycle, kind, &a.id, &ctx)?;
                    output::changed("Deleted", &r, json);
                }
                RecordCommand::Restore(a) => {
                    let r = store.restore(cycle, kind, &a.id, &ctx)?;
                    output::changed("Restored", &r, json);
                }
                RecordCommand::Confirm(a) => {
                    let r = store.set_review(cycle, kind, &a.id, ReviewState::Confirmed, &ctx)?;
                    output::changed("Confirmed", &r, json);
                }
                RecordCommand::Retire(a) => {
                    let r = store.set_review(cycle, kind, &a.id, ReviewState::Retired, &ctx)?;
                    output::changed("Retired", &r, json);
                }
            }
        }
    }
    Ok(())
}
