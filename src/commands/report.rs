//! `errwatch report`: read to the end, then print the summary.

use std::io::{self, IsTerminal};

use crate::batch::{read_all, summarize_file, EventSink};
use crate::catalog::{Catalog, Lang};
use crate::cli::{ColorArg, Global, ReportArgs, ReportFormat};
use crate::metrics::Metrics;
use crate::pipeline::ErrorEvent;
use crate::report::{render_json, render_markdown, render_text, Report, Style};
use crate::source::ReadStats;
use crate::summary::Summary;

use super::{batch_options, report_failures, write_out, Outcome};

/// Both sinks a report can need; metrics only for `--format prometheus`.
struct Collect<'a> {
    summary: Summary,
    metrics: Option<&'a Metrics>,
}

impl EventSink for Collect<'_> {
    fn event(&mut self, source: &str, event: &ErrorEvent) -> io::Result<()> {
        self.summary.add(source, event);
        if let Some(m) = self.metrics {
            m.record(event, None);
        }
        Ok(())
    }

    fn read(&mut self, source: &str, stats: &ReadStats) {
        self.summary.add_read(source, stats);
        if let Some(m) = self.metrics {
            m.add_read(source, stats);
        }
    }
}

pub fn run(args: &ReportArgs, catalog: &Catalog, global: &Global) -> io::Result<Outcome> {
    let metrics =
        (args.format == ReportFormat::Prometheus).then(|| Metrics::new(catalog, global.max_unknown_codes));
    let mut collect = Collect { summary: Summary::new(global.max_unknown_codes), metrics: metrics.as_ref() };
    let opts = batch_options(global);
    let threads = match args.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let failures =
        if threads > 1 && metrics.is_none() && !args.files.iter().any(|f| f == "-") && !args.files.is_empty()
        {
            // Each file split among the workers; files one after another.
            let mut failures = Vec::new();
            for file in &args.files {
                match summarize_file(file, threads, catalog, opts, global.max_unknown_codes) {
                    Ok(s) => collect.summary.merge(s, 0),
                    Err(e) => failures.push(e),
                }
            }
            failures
        } else {
            read_all(&args.files, catalog, opts, &mut collect)?
        };
    let lang = Lang::from(args.lang);
    let text = match args.format {
        ReportFormat::Prometheus => metrics.as_ref().map(Metrics::render).unwrap_or_default(),
        ReportFormat::Json => render_json(&Report::build(&collect.summary, catalog, lang)),
        ReportFormat::Markdown => render_markdown(&Report::build(&collect.summary, catalog, lang), lang),
        ReportFormat::Text => {
            let style = match args.color {
                ColorArg::Always => Style::Color,
                ColorArg::Never => Style::Plain,
                ColorArg::Auto if io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() => {
                    Style::Color
                }
                ColorArg::Auto => Style::Plain,
            };
            render_text(&Report::build(&collect.summary, catalog, lang), lang, style)
        }
    };
    write_out(&mut io::stdout().lock(), &text)?;
    Ok(report_failures(&failures))
}
