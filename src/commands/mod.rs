//! The subcommands: each turns its clap arguments into settings, runs, and says how it ended.

mod catalog;
mod explain;
mod report;
mod scan;
pub mod watch;

use std::io::{self, Write};
use std::process::ExitCode;

use crate::batch::{BatchOptions, SourceError};
use crate::catalog::Catalog;
use crate::cli::{Cli, Command, Global};
use crate::timestamp;

/// What an exit status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything read and done.
    Success = 0,
    /// Done, but some input could not be read (each was reported).
    PartialInput = 1,
    /// Nothing to do: a usage error, a bad catalog file, an unknown code to explain.
    Usage = 2,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(o as u8)
    }
}

pub fn run(cli: Cli) -> Outcome {
    let catalog = match Catalog::with_overrides(&cli.global.catalogs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("errwatch: {e}");
            return Outcome::Usage;
        }
    };
    let result = match cli.command {
        Some(Command::Scan(args)) => scan::run(&args, &catalog, &cli.global),
        Some(Command::Report(args)) => report::run(&args, &catalog, &cli.global),
        Some(Command::Explain(args)) => explain::run(&args, &catalog),
        Some(Command::Catalog(args)) => catalog::run(&args, &catalog),
        Some(Command::Watch(args)) => watch::run(args, catalog, &cli.global),
        None => watch::run(cli.watch, catalog, &cli.global),
    };
    match result {
        Ok(outcome) => outcome,
        // A reader that went away (`errwatch scan | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Outcome::Success,
        Err(e) => {
            eprintln!("errwatch: {e}");
            Outcome::PartialInput
        }
    }
}

fn batch_options(global: &Global) -> BatchOptions {
    BatchOptions {
        max_line: global.max_line_bytes,
        default_year: timestamp::current_year(),
        input_format: global.input_format.into(),
    }
}

/// A `--provider` value: one of the catalog's providers (embedded, or declared by a
/// `--catalog` file), else a usage error naming them.
fn provider_arg(catalog: &Catalog, id: &str) -> Result<crate::catalog::Provider, Outcome> {
    catalog.provider(id).ok_or_else(|| {
        let known: Vec<&str> = catalog.providers().iter().map(|p| p.as_str()).collect();
        eprintln!(
            "errwatch: --provider {id:?} is not a provider of the catalog (known: {})",
            known.join(", ")
        );
        Outcome::Usage
    })
}

/// Reports unreadable sources on stderr and says what the exit status must be.
fn report_failures(failures: &[SourceError]) -> Outcome {
    for f in failures {
        eprintln!("errwatch: cannot read {f}");
    }
    if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialInput
    }
}

/// Writes and flushes, so a closed pipe shows up here rather than at exit.
fn write_out(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}
