//! `errwatch report`: read to the end, then print the summary.

use std::io::{self, IsTerminal};

use crate::batch::{read_all, summarize_file, EventSink};
use crate::catalog::{Catalog, Lang};
use crate::cli::{ColorArg, Global, ReportArgs, ReportFormat};
use crate::metrics::Metrics;
use crate::output::{no_color, terminal_width};
use crate::pipeline::ErrorEvent;
use crate::report::{render_html, render_json, render_markdown, render_text, Report, Style, View};
use crate::source::ReadStats;
use crate::summary::Summary;
use crate::timestamp::Dating;

use super::{batch_options, report_failures, write_out, ExitCode};

/// Both sinks a report can need; metrics only for `--format prometheus`.
struct Collect<'a> {
    summary: Summary,
    metrics: Option<&'a Metrics>,
}

impl EventSink for Collect<'_> {
    fn event(&mut self, source: &str, event: &ErrorEvent) -> io::Result<()> {
        let code = self.summary.add(source, event);
        if let Some(m) = self.metrics {
            m.record(event, code, None);
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

pub fn run(args: &ReportArgs, catalog: &Catalog, global: &Global, dating: Dating) -> io::Result<ExitCode> {
    let metrics = (args.format == ReportFormat::Prometheus).then(|| Metrics::new(catalog));
    let mut collect = Collect { summary: Summary::new(global.max_unknown_codes), metrics: metrics.as_ref() };
    let opts = batch_options(global, dating);
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
                    Ok(s) => collect.summary.merge(s),
                    Err(e) => failures.push(e),
                }
            }
            failures
        } else {
            read_all(&args.files, catalog, opts, &mut collect)?
        };
    // Named in the report too, not only on stderr: a report of nothing must not look like a
    // report of a quiet log.
    for f in &failures {
        collect.summary.add_failure(&f.source_name, &f.error);
    }
    let lang = Lang::from(args.lang);
    let view = View {
        lang,
        zone: dating.zone,
        width: terminal_width(crate::report::DEFAULT_WIDTH),
        style: match args.color {
            ColorArg::Always => Style::Color,
            ColorArg::Never => Style::Plain,
            ColorArg::Auto if io::stdout().is_terminal() && !no_color() => Style::Color,
            ColorArg::Auto => Style::Plain,
        },
        all_actions: args.all,
    };
    let text = match args.format {
        ReportFormat::Prometheus => metrics.as_ref().map(Metrics::render).unwrap_or_default(),
        ReportFormat::Json => render_json(&Report::build(&collect.summary, catalog, lang)),
        ReportFormat::Markdown => render_markdown(&Report::build(&collect.summary, catalog, lang), &view),
        ReportFormat::Html => render_html(&Report::build(&collect.summary, catalog, lang), &view),
        ReportFormat::Text => render_text(&Report::build(&collect.summary, catalog, lang), &view),
    };
    write_out(&mut io::stdout().lock(), &text)?;
    Ok(report_failures(&failures))
}
