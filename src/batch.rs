//! Reading sources to their end (`scan`, `report`, stdin for `watch`): each file or stdin
//! through its own [`Source`], events and read counts handed to the caller. An unreadable file
//! is reported and skipped; the others are still read.

use std::fs::File;
use std::io::{self, Read};

use crate::catalog::Catalog;
use crate::input::CHUNK_BYTES;
use crate::pipeline::ErrorEvent;
use crate::source::{ReadStats, Source};

/// Reading one source failed.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {error}")]
pub struct SourceError {
    pub source_name: String,
    #[source]
    pub error: io::Error,
}

#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    pub max_line: usize,
    pub default_year: i32,
}

/// What the caller does with each event; an `Err` (say, a closed stdout) stops reading.
pub trait EventSink {
    fn event(&mut self, source: &str, event: &ErrorEvent) -> io::Result<()>;
    fn read(&mut self, _source: &str, _stats: &ReadStats) {}
}

/// Reads every source to its end. `-` is stdin; no sources means stdin.
pub fn read_all(
    sources: &[String],
    catalog: &Catalog,
    opts: BatchOptions,
    sink: &mut dyn EventSink,
) -> io::Result<Vec<SourceError>> {
    let stdin = ["-".to_string()];
    let sources = if sources.is_empty() {
        &stdin[..]
    } else {
        sources
    };
    let mut failures = Vec::new();
    for name in sources {
        let result = if name == "-" {
            read_one(name, io::stdin().lock(), catalog, opts, sink)
        } else {
            match File::open(name) {
                Ok(f) => read_one(name, f, catalog, opts, sink),
                Err(error) => Err(Failure::Source(error)),
            }
        };
        match result {
            Ok(()) => {}
            Err(Failure::Source(error)) => failures.push(SourceError {
                source_name: name.clone(),
                error,
            }),
            Err(Failure::Sink(e)) => return Err(e),
        }
    }
    Ok(failures)
}

enum Failure {
    Source(io::Error),
    Sink(io::Error),
}

fn read_one(
    name: &str,
    mut input: impl Read,
    catalog: &Catalog,
    opts: BatchOptions,
    sink: &mut dyn EventSink,
) -> Result<(), Failure> {
    let mut source = Source::new(opts.max_line, opts.default_year);
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut events = Vec::new();
    let outcome = loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(Failure::Source(e)),
        };
        source.feed(&buf[..n], catalog, &mut events);
        for e in events.drain(..) {
            sink.event(name, &e).map_err(Failure::Sink)?;
        }
    };
    // What was read before an error still counts.
    source.finish(catalog, &mut events);
    for e in events.drain(..) {
        sink.event(name, &e).map_err(Failure::Sink)?;
    }
    sink.read(name, &source.stats);
    outcome
}
