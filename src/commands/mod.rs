//! The subcommands: each turns its clap arguments into settings, runs, and says how it ended.

mod catalog;
mod explain;
mod report;
mod scan;
pub mod watch;

use std::io::{self, Write};

use crate::batch::{BatchOptions, SourceError};
use crate::catalog::Catalog;
use crate::cli::{Cli, Command, Global};
use crate::timestamp::{self, Dating, Zone};

/// What an exit status means: each says what happened, so a unit manager or a script can
/// tell a mistyped option from a port in use from a daemon that died (README, "Exit status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything read and done; `watch` stopped when told to.
    Success = 0,
    /// Done, but some input could not be read (each was reported).
    PartialInput = 1,
    /// Nothing to do: a usage error, a bad catalog or web configuration file, an unknown code
    /// to explain.
    Usage = 2,
    /// `watch` could not start: its `--listen` address cannot be bound (in use, not this
    /// host's, not permitted), or its signal handlers or runtime could not be set up.
    Startup = 3,
    /// `watch` started and then ended on a fatal error (the HTTP server failed, the reader
    /// died), not because it was told to stop.
    Fatal = 4,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(o: ExitCode) -> std::process::ExitCode {
        std::process::ExitCode::from(o as u8)
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let zone = match zone(&cli.global) {
        Ok(z) => z,
        Err(e) => {
            eprintln!("errwatch: --timezone {e}");
            return ExitCode::Usage;
        }
    };
    let dating = Dating::now_in(zone);
    let catalog = match Catalog::with_overrides(&cli.global.catalogs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("errwatch: {e}");
            return ExitCode::Usage;
        }
    };
    let result = match cli.command {
        Some(Command::Scan(args)) => scan::run(&args, &catalog, batch_options(&cli.global, dating)),
        Some(Command::Report(args)) => report::run(&args, &catalog, &cli.global, dating),
        Some(Command::Explain(args)) => explain::run(&args, &catalog),
        Some(Command::Catalog(args)) => catalog::run(&args, &catalog),
        Some(Command::Watch(args)) => watch::run(args, catalog, &cli.global, dating),
        None => watch::run(cli.watch, catalog, &cli.global, dating),
    };
    match result {
        Ok(outcome) => outcome,
        // A reader that went away (`errwatch scan | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::Success,
        Err(e) => {
            eprintln!("errwatch: {e}");
            ExitCode::PartialInput
        }
    }
}

fn batch_options(global: &Global, dating: Dating) -> BatchOptions {
    BatchOptions { max_line: global.max_line_bytes, dating, input_format: global.input_format.into() }
}

/// The zone of zone-less timestamps and of the report's times: `--timezone`, else the local
/// one (an unreadable `TZ` is reported, and UTC used).
fn zone(global: &Global) -> Result<Zone, timestamp::ZoneError> {
    if let Some(name) = &global.timezone {
        return Zone::named(name);
    }
    let (zone, problem) = Zone::local();
    if let Some(e) = problem {
        tracing::warn!("the local time zone: {e}; times written without a zone are read as UTC");
    }
    Ok(zone)
}

/// A `--provider` value: one of the catalog's providers (embedded, or declared by a
/// `--catalog` file), else a usage error naming them.
fn provider_arg(catalog: &Catalog, id: &str) -> Result<crate::catalog::Provider, ExitCode> {
    catalog.provider(id).ok_or_else(|| {
        let known: Vec<&str> = catalog.providers().iter().map(|p| p.as_str()).collect();
        eprintln!(
            "errwatch: --provider {id:?} is not a provider of the catalog (known: {})",
            known.join(", ")
        );
        ExitCode::Usage
    })
}

/// Reports unreadable sources on stderr and says what the exit status must be.
fn report_failures(failures: &[SourceError]) -> ExitCode {
    for f in failures {
        eprintln!("errwatch: cannot read {f}");
    }
    if failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::PartialInput
    }
}

/// Writes and flushes, so a closed pipe shows up here rather than at exit.
fn write_out(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}
