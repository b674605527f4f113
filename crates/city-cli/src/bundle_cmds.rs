//! `city` commands for keys, cycle packs, bundles, LOTI's central store, keyring and tracker.
//! Passphrases come from a file (`--passphrase-file`) or the `CITY_PASSPHRASE` environment
//! variable, never from the command line.

use crate::Failure;
use crate::output::{json, say_line};
use city_core::api::{self, Context, ImportOutcome, ImportOutcomeKind, Store};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Create a borough signing key (minisign, passphrase-protected).
    Generate {
        /// Where to write the secret key (kept private; back it up).
        #[arg(long, value_name = "FILE")]
        secret: PathBuf,
        /// Where to write the public key (send it to LOTI).
        #[arg(long, value_name = "FILE")]
        public: PathBuf,
        #[command(flatten)]
        pass: Passphrase,
    },
    /// Replace the borough's key: makes a new key and a statement signed by the old and the new
    /// key for LOTI (the same passphrase protects both).
    Rotate {
        /// The organisation, e.g. E09000007.
        #[arg(long, value_name = "CODE")]
        org: String,
        /// The current secret key.
        #[arg(long, value_name = "FILE")]
        old: PathBuf,
        #[arg(long, value_name = "FILE")]
        new_secret: PathBuf,
        #[arg(long, value_name = "FILE")]
        new_public: PathBuf,
        /// Where to write the rotation statement (send it to LOTI).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        pass: Passphrase,
    },
    /// Show a public key's id and fingerprint (read it to LOTI over the phone).
    Fingerprint {
        /// The public key file.
        public: PathBuf,
    },
}

#[derive(Debug, Args)]
pub(crate) struct Passphrase {
    /// Read the passphrase from this file's first line (default: $CITY_PASSPHRASE).
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

impl Passphrase {
    fn get(&self) -> Result<String, Failure> {
        if let Some(f) = &self.passphrase_file {
            let text = std::fs::read_to_string(f)
                .map_err(|e| Failure::failed(format!("could not read {}: {e}", f.display())))?;
            return Ok(text.lines().next().unwrap_or_default().to_string());
        }
        std::env::var("CITY_PASSPHRASE").map_err(|_| {
            Failure::usage("give the passphrase with --passphrase-file FILE or CITY_PASSPHRASE")
        })
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum IdentityCommand {
    /// Create a LOTI age identity (the cycle key or the backup key); prints its recipient.
    Generate {
        /// Where to write the identity (kept private).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CyclePackCommand {
    /// LOTI: create and sign a cycle pack.
    Create {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The cycle, e.g. 2026-27.
        #[arg(long = "for-cycle", value_name = "CYCLE")]
        cycle: String,
        #[arg(long, value_name = "DATE")]
        opens: String,
        #[arg(long, value_name = "DATE")]
        closes: String,
        /// An age recipient (age1…) to encrypt returns to; give the cycle key and the backup key.
        #[arg(long = "recipient", value_name = "AGE1…", required = true)]
        recipients: Vec<String>,
        /// LOTI's root secret key.
        #[arg(long, value_name = "FILE")]
        root_secret: PathBuf,
        #[command(flatten)]
        pass: Passphrase,
    },
    /// Borough: import LOTI's cycle pack into the store (pins LOTI's root key the first time).
    Import {
        file: PathBuf,
        /// LOTI's root public key (needed the first time).
        #[arg(long, value_name = "FILE")]
        root_key: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum BundleCommand {
    /// Borough: export the return as a signed, encrypted bundle.
    Export {
        /// The folder to write the bundle into.
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// The borough's secret signing key.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        #[command(flatten)]
        pass: Passphrase,
    },
    /// Borough: the bundles sent from this return.
    Sent,
    /// Check a bundle's container and signature without LOTI's key (alias: inspect).
    #[command(alias = "inspect")]
    Verify {
        file: PathBuf,
        /// The public key it must be signed with (default: the key it carries).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
    /// LOTI: the bundles accepted from an organisation for a cycle (give --cycle), newest first,
    /// with what each changed.
    History {
        /// The organisation, e.g. E09000007.
        #[arg(long, value_name = "CODE")]
        org: String,
    },
    /// LOTI: verify, decrypt and merge bundles into the central store, fail-closed.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// LOTI's age identity (repeat for the backup identity).
        #[arg(long = "identity", value_name = "FILE", required = true)]
        identities: Vec<PathBuf>,
        /// Check everything and show what would change, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeyringCommand {
    /// The keys LOTI trusts, by organisation.
    List,
    /// Bundles waiting for their signer's key to be confirmed.
    Quarantine,
    /// Trust a key for an organisation after confirming its fingerprint out of band.
    Confirm {
        /// A public key file, or the key id of a quarantined bundle's signer.
        key: String,
        /// The organisation, e.g. E09000007.
        #[arg(long, value_name = "CODE")]
        org: String,
        /// The organisation's name, for one that is not a London authority (e.g. a county
        /// council with its own GSS code); London authorities are named by their code.
        #[arg(long, value_name = "NAME")]
        org_name: Option<String>,
        /// The fingerprint as read out by the organisation.
        #[arg(long, value_name = "HEX")]
        fingerprint: String,
        /// How it was confirmed (who, which number, when).
        #[arg(long, value_name = "TEXT")]
        note: String,
        /// LOTI's age identity, to import the bundles waiting in quarantine.
        #[arg(long = "identity", value_name = "FILE")]
        identities: Vec<PathBuf>,
    },
    /// Apply a key rotation statement from an organisation (signed by its old and new key).
    Rotate { file: PathBuf },
    /// Revoke a key: later bundles signed with it are refused.
    Revoke {
        key_id: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

fn store(path: Option<&Path>) -> Result<Store, Failure> {
    let p = path.ok_or_else(|| {
        Failure::usage("give the store file with --store PATH (or set CITY_STORE)")
    })?;
    Ok(Store::open(p)?)
}

pub(crate) fn key(cmd: &KeyCommand, as_json: bool, ctx: &Context) -> Result<(), Failure> {
    let info = match cmd {
        KeyCommand::Rotate {
            org,
            old,
            new_secret,
            new_public,
            out,
            pass,
        } => api::rotate_signing_key(org, old, new_secret, new_public, &pass.get()?, out, ctx)?,
        KeyCommand::Generate {
            secret,
            public,
            pass,
        } => api::generate_signing_key(secret, public, &pass.get()?)?,
        KeyCommand::Fingerprint { public } => api::public_key_info(public)?,
    };
    if as_json {
        json(&info);
    } else {
        say_line(&format!("key id       {}", info.key_id));
        say_line(&format!("fingerprint  {}", info.fingerprint));
        say_line(&format!("public key   {}", info.public_key));
    }
    Ok(())
}

pub(crate) fn identity(cmd: &IdentityCommand, ctx: &Context) -> Result<(), Failure> {
    let IdentityCommand::Generate { out } = cmd;
    let recipient = api::generate_identity(out, ctx)?;
    say_line(&recipient);
    Ok(())
}

pub(crate) fn cycle_pack(
    cmd: &CyclePackCommand,
    store_path: Option<&Path>,
    ctx: &Context,
) -> Result<(), Failure> {
    match cmd {
        CyclePackCommand::Create {
            out,
            cycle,
            opens,
            closes,
            recipients,
            root_secret,
            pass,
        } => {
            let input = api::CyclePackInput {
                cycle: cycle.clone(),
                opens: opens.clone(),
                closes: closes.clone(),
                recipients: recipients.clone(),
            };
            api::create_cycle_pack(out, &input, root_secret, &pass.get()?)?;
            say_line(&format!(
                "Wrote the {cycle} cycle pack to {}",
                out.display()
            ));
        }
        CyclePackCommand::Import { file, root_key } => {
            let cycle = store(store_path)?.import_cycle_pack(file, root_key.as_deref(), ctx)?;
            say_line(&format!("Imported LOTI's cycle pack for {cycle}"));
        }
    }
    Ok(())
}

fn print_outcome(o: &ImportOutcome) {
    say_line(&o.message);
    if let Some(d) = &o.diff {
        for a in d.added.iter().take(20) {
            say_line(&format!("  + {} {}", a.kind, a.label));
        }
        for r in d.removed.iter().take(20) {
            say_line(&format!("  - {} {}", r.kind, r.label));
        }
        for c in d.changed.iter().take(20) {
            for (field, before, after) in &c.fields {
                say_line(&format!(
                    "  ~ {} {}: {field}: {before} → {after}",
                    c.kind, c.label
                ));
            }
        }
    }
    if let Some(e) = &o.error {
        for i in e.issues.iter().take(20) {
            say_line(&format!("    {}", i.message));
        }
    }
}

pub(crate) fn bundle(
    cmd: &BundleCommand,
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    match cmd {
        BundleCommand::Export { dir, key, pass } => {
            let sent = store(store_path)?.export_bundle(cycle, dir, key, &pass.get()?, ctx)?;
            if as_json {
                json(&sent);
            } else {
                say_line(&format!(
                    "Wrote {} (r{}, sha256 {})",
                    sent.file, sent.seq, sent.sha256
                ));
            }
        }
        BundleCommand::Sent => {
            let sent = store(store_path)?.sent_bundles(cycle)?;
            if as_json {
                json(&sent);
            } else {
                for s in sent {
                    say_line(&format!(
                        "r{}  {}  {}  {}  sha256 {}",
                        s.seq, s.sent_at, s.actor, s.file, s.sha256
                    ));
                }
            }
        }
        BundleCommand::Verify { file, key } => {
            let info = api::inspect_bundle(file, key.as_deref())?;
            if as_json {
                json(&info);
            } else {
                say_line(&format!(
                    "{}: signature valid; {} cycle {} r{} (bundle {}), created {}, signed by key {} (fingerprint {})",
                    info.file,
                    info.organisation,
                    info.cycle,
                    info.seq,
                    info.bundle_id,
                    info.created,
                    info.signer.key_id,
                    info.signer.fingerprint
                ));
                if key.is_none() {
                    say_line(
                        "  (checked against the key the bundle carries: this proves it is intact, not who sent it)",
                    );
                }
            }
        }
        BundleCommand::History { org } => {
            let cycle = cycle.ok_or_else(|| {
                Failure::usage("give the cycle with --cycle, e.g. --cycle 2026-27")
            })?;
            let history = store(store_path)?.bundle_history(org, cycle)?;
            if as_json {
                json(&history);
            } else {
                for (seq, d) in &history {
                    say_line(&format!(
                        "r{seq}: {} added, {} changed, {} removed",
                        d.added.len(),
                        d.changed.len(),
                        d.removed.len()
                    ));
                    for c in &d.changed {
                        for (field, before, after) in &c.fields {
                            say_line(&format!(
                                "  ~ {} {}: {field}: {before} → {after}",
                                c.kind, c.label
                            ));
                        }
                    }
                }
            }
        }
        BundleCommand::Import {
            files,
            identities,
            dry_run,
        } => {
            let outcomes =
                store(store_path)?.import_bundles(files, identities, *dry_run, ctx, &mut |p| {
                    if !as_json && p.total > 1 {
                        eprintln!("{}/{} {}", p.done, p.total, p.stage);
                    }
                })?;
            if as_json {
                json(&outcomes);
            } else {
                outcomes.iter().for_each(print_outcome);
            }
            let refused = outcomes
                .iter()
                .filter(|o| o.outcome == ImportOutcomeKind::Refused)
                .count();
            if refused > 0 {
                return Err(Failure::failed(format!(
                    "{refused} of {} bundles refused",
                    outcomes.len()
                )));
            }
        }
    }
    Ok(())
}

pub(crate) fn keyring(
    cmd: &KeyringCommand,
    store_path: Option<&Path>,
    as_json: bool,
    ctx: &Context,
) -> Result<(), Failure> {
    let mut s = store(store_path)?;
    match cmd {
        KeyringCommand::List => {
            let keys = s.keyring()?;
            if as_json {
                json(&keys);
            } else {
                for k in keys {
                    say_line(&format!(
                        "{}  {}  {}  {}  confirmed by {}: {}",
                        k.organisation,
                        k.key.key_id,
                        k.key.fingerprint,
                        k.status,
                        k.confirmed_by,
                        k.confirmed_note
                    ));
                }
            }
        }
        KeyringCommand::Quarantine => {
            let q = s.quarantine()?;
            if as_json {
                json(&q);
            } else {
                for b in q {
                    say_line(&format!(
                        "{}  claims {} {}  key {}  fingerprint {}",
                        b.file,
                        b.claimed_organisation,
                        b.claimed_cycle,
                        b.key.key_id,
                        b.key.fingerprint
                    ));
                }
            }
        }
        KeyringCommand::Confirm {
            key,
            org,
            org_name,
            fingerprint,
            note,
            identities,
        } => {
            let outcomes = s.confirm_key_named(
                key,
                org,
                org_name.as_deref(),
                fingerprint,
                note,
                identities,
                ctx,
            )?;
            say_line(&format!("Trusted the key for {org}"));
            outcomes.iter().for_each(print_outcome);
        }
        KeyringCommand::Rotate { file } => {
            let k = s.apply_rotation(file, ctx)?;
            say_line(&format!(
                "{} now signs with key {} (fingerprint {})",
                k.organisation, k.key.key_id, k.key.fingerprint
            ));
        }
        KeyringCommand::Revoke { key_id, reason } => {
            let k = s.revoke_key(key_id, reason, ctx)?;
            say_line(&format!(
                "Revoked key {} of {}",
                k.key.key_id, k.organisation
            ));
        }
    }
    Ok(())
}

pub(crate) fn tracker(
    store_path: Option<&Path>,
    cycle: Option<&str>,
    as_json: bool,
) -> Result<(), Failure> {
    let cycle =
        cycle.ok_or_else(|| Failure::usage("give the cycle with --cycle, e.g. --cycle 2026-27"))?;
    let t = store(store_path)?.tracker(cycle)?;
    if as_json {
        json(&t);
        return Ok(());
    }
    say_line(&format!(
        "{}: {} of {} returns received",
        t.cycle,
        t.received,
        t.rows.len()
    ));
    for r in &t.rows {
        let state = match (&r.received_at, r.seq) {
            (Some(at), Some(seq)) => format!(
                "received r{seq} {at}, key {}, {} records",
                r.signer_key_id.clone().unwrap_or_default(),
                r.records.unwrap_or(0)
            ),
            _ if r.waiting_in_quarantine => "waiting in quarantine".into(),
            _ => "missing".into(),
        };
        say_line(&format!("{}  {:<24} {state}", r.code, r.organisation));
    }
    Ok(())
}

pub(crate) fn create_central(store_path: Option<&Path>, ctx: &Context) -> Result<(), Failure> {
    let p = store_path.ok_or_else(|| Failure::usage("give the store file with --store PATH"))?;
    Store::create_central(p, ctx)?;
    say_line(&format!("Created LOTI's central store {}", p.display()));
    Ok(())
}
