//! `errwatch scan`: one record per provider error, JSON lines or text.

use std::io::{self, BufWriter, Stdout, Write};

use crate::batch::BatchOptions;
use crate::batch::{read_all, EventSink};
use crate::catalog::Catalog;
use crate::cli::{ScanArgs, ScanFormat};
use crate::output::{format_event, LineFormat};
use crate::pipeline::ErrorEvent;

use super::{report_failures, ExitCode};

struct Printer {
    out: BufWriter<Stdout>,
    format: LineFormat,
}

impl EventSink for Printer {
    fn event(&mut self, source: &str, event: &ErrorEvent) -> io::Result<()> {
        let line = format_event(self.format, source, event);
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")
    }
}

pub fn run(args: &ScanArgs, catalog: &Catalog, opts: BatchOptions) -> io::Result<ExitCode> {
    let format = match args.format {
        ScanFormat::Jsonl => LineFormat::Jsonl,
        ScanFormat::Text => LineFormat::Text,
    };
    let mut printer = Printer { out: BufWriter::new(io::stdout()), format };
    let failures = read_all(&args.files, catalog, opts, &mut printer)?;
    printer.out.flush()?;
    Ok(report_failures(&failures))
}
