//! The `city` command line: commands, flags and their help text (clap).

use city_core::api::RecordKind;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// City Tools: the annual London technology return, from the command line.
///
/// A store is one organisation's local file holding its return for each cycle.
#[derive(Debug, Parser)]
#[command(
    name = "city",
    version,
    propagate_version = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// The store file.
    #[arg(long, global = true, env = "CITY_STORE", value_name = "PATH")]
    pub(crate) store: Option<PathBuf>,
    /// The cycle to work on, e.g. 2026-27 (default: the newest in the store).
    #[arg(long, global = true, value_name = "CYCLE")]
    pub(crate) cycle: Option<String>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a store for an organisation and its first cycle (give --cycle).
    Create(CreateArgs),
    /// List the 33 London authorities and their GSS codes.
    Organisations,
    /// List every questionnaire enumeration with its option ids.
    Enums,
    /// The questionnaire: every record type's fields with labels, types and options.
    Questionnaire,
    /// Print the empty fields of a record type as JSON.
    Template(TemplateArgs),
    /// List the returns in the store.
    Returns,
    /// Show each section's completeness and what is missing.
    Status,
    /// Show the audit log: who changed what, when.
    History(HistoryArgs),
    /// Check the store file's integrity.
    Check,
    /// Undo the newest change to the return's records (repeat to step back).
    Undo,
    /// Start the next cycle's return from the newest one (records marked to review).
    CarryForward(CarryArgs),
    /// Start an empty return for a new cycle (instead of carrying the last one forward).
    NewReturn(NewReturnArgs),
    /// Signing keys: generate, fingerprint.
    #[command(subcommand)]
    Key(crate::bundle_cmds::KeyCommand),
    /// LOTI's age identities (the cycle key and the backup key).
    #[command(subcommand)]
    Identity(crate::bundle_cmds::IdentityCommand),
    /// Cycle packs: LOTI creates and signs; boroughs import.
    #[command(subcommand)]
    CyclePack(crate::bundle_cmds::CyclePackCommand),
    /// Bundles: export (borough), verify (anyone), import (LOTI).
    #[command(subcommand)]
    Bundle(crate::bundle_cmds::BundleCommand),
    /// Create LOTI's central store (give --store).
    CreateCentral,
    /// LOTI's keyring: list, quarantine, confirm, revoke.
    #[command(subcommand)]
    Keyring(crate::bundle_cmds::KeyringCommand),
    /// LOTI: who has returned for a cycle (give --cycle).
    Tracker,
    /// LOTI: collaboration analysis of a cycle's returns (suppliers, products, decisions,
    /// windows, concentration, readiness, skills, aliases, report).
    Analysis(crate::analysis_cmds::AnalysisArgs),
    /// Exports: the committee workbook, CSV, OCDS JSON (with a redaction profile).
    #[command(subcommand)]
    Export(crate::export_cmds::ExportCommand),
    /// LOTI publishes: a static site of a cycle's returns, with the procurement pipeline.
    #[command(subcommand)]
    Publish(crate::publish_cmds::PublishCommand),
    /// Spreadsheets: the survey template, inspecting and importing workbooks (xlsx, xls, ods) and
    /// CSV / TSV registers.
    #[command(subcommand)]
    Spreadsheet(crate::spreadsheet_cmds::SpreadsheetCommand),
    #[command(flatten)]
    Record(RecordKindCommand),
}

/// Record types, each with the same record commands.
#[derive(Debug, Subcommand)]
pub(crate) enum RecordKindCommand {
    /// Systems: add, list, show, update, delete, restore, confirm, retire.
    #[command(subcommand)]
    System(RecordCommand),
    /// Contracts.
    #[command(subcommand)]
    Contract(RecordCommand),
    /// Suppliers.
    #[command(subcommand)]
    Supplier(RecordCommand),
    /// Products.
    #[command(subcommand)]
    Product(RecordCommand),
    /// Skills (one per capability area).
    #[command(subcommand)]
    Skill(RecordCommand),
    /// Organisation-level GDPR readiness (one per return).
    #[command(subcommand)]
    Gdpr(RecordCommand),
    /// Organisation-level cyber readiness (one per return).
    #[command(subcommand)]
    Cyber(RecordCommand),
}

impl Command {
    pub(crate) fn record(&self) -> Option<(RecordKind, &RecordCommand)> {
        let Command::Record(k) = self else {
            return None;
        };
        Some(match k {
            RecordKindCommand::System(c) => (RecordKind::System, c),
            RecordKindCommand::Contract(c) => (RecordKind::Contract, c),
            RecordKindCommand::Supplier(c) => (RecordKind::Supplier, c),
            RecordKindCommand::Product(c) => (RecordKind::Product, c),
            RecordKindCommand::Skill(c) => (RecordKind::Skill, c),
            RecordKindCommand::Gdpr(c) => (RecordKind::Gdpr, c),
            RecordKindCommand::Cyber(c) => (RecordKind::Cyber, c),
        })
    }
}

#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// Organisation: a London GSS code such as E09000007, or scheme:code for another.
    #[arg(long, value_name = "CODE")]
    pub(crate) org: String,
    /// The organisation's name (only for one that is not a London authority).
    #[arg(long, value_name = "NAME")]
    pub(crate) org_name: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// system, contract, supplier, product, skill, gdpr or cyber.
    pub(crate) kind: String,
}

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// How many entries to show.
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
}

#[derive(Debug, Args)]
pub(crate) struct CarryArgs {
    /// The new cycle (default: the one after the newest in the store).
    #[arg(long, value_name = "CYCLE")]
    pub(crate) to: Option<String>,
    /// Do not print progress.
    #[arg(long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct NewReturnArgs {
    /// The new cycle, e.g. 2027-28.
    #[arg(long, value_name = "CYCLE")]
    pub(crate) to: String,
}

/// What to do with records of one type.
#[derive(Debug, Subcommand)]
pub(crate) enum RecordCommand {
    /// Add a record from --set FIELD=VALUE flags and/or JSON.
    Add(FieldsArgs),
    /// Add many records from a file holding a JSON array of objects: all or none.
    AddMany(FileArgs),
    /// Add a copy of a record (its name marked "(copy)").
    Duplicate(IdArgs),
    /// List the records.
    List(ListArgs),
    /// Show one record.
    Show(IdArgs),
    /// Change some fields of a record (--set FIELD=null clears one).
    Update(UpdateArgs),
    /// Delete a record (it can be restored, or the delete undone).
    Delete(IdArgs),
    /// Bring back a deleted record.
    Restore(IdArgs),
    /// Confirm a record carried forward from last cycle is still right.
    Confirm(IdArgs),
    /// Mark a record as retired (no longer in use this cycle).
    Retire(IdArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FieldsArgs {
    /// Set a field: FIELD=VALUE. VALUE is read as JSON when it is a number, true, false, null,
    /// an array, an object or a quoted string, and as text otherwise. Nested fields use one
    /// dot: gdpr.lawful_basis=public_task, caf.B1.a=achieved.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub(crate) set: Vec<String>,
    /// The fields as a JSON object.
    #[arg(long, value_name = "JSON", conflicts_with = "file")]
    pub(crate) data: Option<String>,
    /// Read the fields as a JSON object from a file ('-' for standard input).
    #[arg(long, value_name = "PATH")]
    pub(crate) file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// The record's id (or its first characters).
    pub(crate) id: String,
    #[command(flatten)]
    pub(crate) fields: FieldsArgs,
}

impl std::ops::Deref for UpdateArgs {
    type Target = FieldsArgs;
    fn deref(&self) -> &FieldsArgs {
        &self.fields
    }
}

#[derive(Debug, Args)]
pub(crate) struct IdArgs {
    /// The record's id (or its first characters).
    pub(crate) id: String,
}

#[derive(Debug, Args)]
pub(crate) struct FileArgs {
    /// A file holding a JSON array of records' fields ('-' for standard input).
    #[arg(long, value_name = "PATH")]
    pub(crate) file: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Include deleted records.
    #[arg(long)]
    pub(crate) deleted: bool,
}
