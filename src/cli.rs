//! The command line, as clap sees it. Parsed here and turned into plain settings by the
//! commands; nothing below `commands` sees clap.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::catalog::Lang;
use crate::framing::InputFormat;
use crate::input::DEFAULT_MAX_LINE_BYTES;
use crate::summary::DEFAULT_MAX_UNKNOWN_CODES;

/// Default address of the metrics endpoint.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9847";

#[derive(Debug, Parser)]
#[command(
    name = "errwatch",
    version,
    about = "Finds LLM provider errors (Zhipu/Z.ai, PPIO, Coze, Volcengine Ark) in logs; counts them for Prometheus; reports what to do.",
    after_help = "With no subcommand, `errwatch [FILE]...` is `errwatch watch [FILE]...`. Global options go before or after the subcommand."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub watch: WatchArgs,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Catalog file(s) adding or overriding entries (same schema as the built-in catalog).
    #[arg(long = "catalog", value_name = "FILE", global = true)]
    pub catalogs: Vec<PathBuf>,
    /// Lines longer than this many bytes are searched in their first part only (at least 1).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES, value_parser = at_least_one, global = true)]
    pub max_line_bytes: usize,
    /// Distinct unknown codes counted per provider; more count as code "other".
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_UNKNOWN_CODES, global = true)]
    pub max_unknown_codes: usize,
    /// How lines are wrapped: auto (decided per source from its first line), plain, cri
    /// (Kubernetes /var/log/pods), docker (json-file), journald (journalctl -o json), syslog
    /// (RFC 3164 or 5424).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormatArg::Auto, global = true)]
    pub input_format: InputFormatArg,
    /// errwatch's own log on stderr (RUST_LOG overrides it). Colored only on a terminal, and
    /// never when NO_COLOR is set and not empty.
    #[arg(long, value_name = "LEVEL", default_value = "warn", value_parser = LOG_LEVELS, global = true)]
    pub log_level: String,
    /// The zone of timestamps written without one, and of the report's times: an IANA name
    /// (Asia/Shanghai, UTC). Default: the local zone (TZ, else /etc/localtime).
    #[arg(long, value_name = "ZONE", global = true)]
    pub timezone: Option<String>,
}

/// The levels `--log-level` takes; anything else would be taken by the log filter as a
/// directive that matches nothing, and silence errwatch's own log.
const LOG_LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

/// A count that must not be zero (`--max-line-bytes 0` would search no byte of any line).
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

impl Cli {
    /// Parses the command line, exiting with clap's message (status 2) when it is wrong.
    pub fn parse_args() -> Cli {
        Cli::from_matches(Cli::command().get_matches_from(print_format_joined(std::env::args_os())))
    }

    /// [`Cli::parse_args`] over given arguments (the first is the program name).
    pub fn try_parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let matches = Cli::command().try_get_matches_from(print_format_joined(args))?;
        Cli::check(&matches)?;
        Cli::from_arg_matches(&matches)
    }

    fn from_matches(matches: ArgMatches) -> Cli {
        Cli::check(&matches).and_then(|()| Cli::from_arg_matches(&matches)).unwrap_or_else(|e| e.exit())
    }

    /// `watch`'s own options before the files are for plain `errwatch [FILE]...`
    /// (`errwatch --print app.log`); before a subcommand (`scan`, or `watch` itself, which has
    /// its own) they would be ignored, so they are refused.
    fn check(matches: &ArgMatches) -> Result<(), clap::Error> {
        let Some((name, _)) = matches.subcommand() else { return Ok(()) };
        let stray = WatchArgs::augment_args(clap::Command::new("watch"))
            .get_arguments()
            .map(|a| a.get_id().as_str().to_string())
            .find(|id| matches.value_source(id) == Some(ValueSource::CommandLine));
        match stray {
            None => Ok(()),
            Some(id) => {
                let shown = match id.as_str() {
                    "files" => "FILE".to_string(),
                    "web_config_file" => "--web.config.file".to_string(),
                    other => format!("--{}", other.replace('_', "-")),
                };
                Err(Cli::command().error(
                    clap::error::ErrorKind::ArgumentConflict,
                    if name == "watch" {
                        format!("{shown} is an option of `watch`: put it after `errwatch watch`")
                    } else {
                        format!("{shown} belongs to `watch`, not to `{name}`: put it after `errwatch watch`")
                    },
                ))
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Follow files (or stdin) and serve metrics; the default command.
    Watch(WatchArgs),
    /// Print every provider error found, one per line.
    Scan(ScanArgs),
    /// Read to the end and print a summary report.
    Report(ReportArgs),
    /// Explain a code: the catalog entry in full.
    Explain(ExplainArgs),
    /// List the catalog.
    Catalog(CatalogArgs),
}

#[derive(Debug, Args, Default)]
pub struct WatchArgs {
    /// Files or globs to follow; stdin when none.
    #[arg(value_name = "FILE|GLOB")]
    pub files: Vec<String>,
    /// Address for /metrics, /healthz and /report: HOST:PORT (127.0.0.1:9847, localhost:9847,
    /// [::1]:9847), :PORT for every IPv4 interface, or "none".
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: String,
    /// Exporter-toolkit web configuration (YAML): TLS (tls_server_config) and basic auth
    /// (basic_auth_users, bcrypt hashes) for the HTTP endpoint.
    #[arg(long = "web.config.file", value_name = "FILE")]
    pub web_config_file: Option<PathBuf>,
    /// Where read positions are saved, to resume after a restart.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Read files that exist at start from their beginning (not their end).
    #[arg(long)]
    pub from_start: bool,
    /// Also print each error as it is found: `--print` (text) or `--print=jsonl`. A word after
    /// `--print` other than text or jsonl is a file: `--print app.log` follows app.log.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, require_equals = true, default_missing_value = "text")]
    pub print: Option<PrintFormat>,
    /// Seconds between polls of followed files (change events also wake errwatch).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    pub poll_interval: f64,
    /// Print the summary report to stderr on exit.
    #[arg(long)]
    pub summary: bool,
    /// Sources with per-source series of their own at once; more count as source "other".
    #[arg(long, value_name = "N", default_value_t = crate::metrics::DEFAULT_MAX_SOURCES)]
    pub max_sources: usize,
    /// Seconds a file that is gone (deleted or renamed away, nothing at its path again) keeps its
    /// per-source series before they are dropped.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::daemon::DEFAULT_SOURCE_EXPIRY.as_secs_f64())]
    pub source_expiry: f64,
}

/// `--print text` and `--print jsonl`, the spelling before the format took an `=`, stay what
/// they were (`--print=jsonl`); any other word after `--print` is a file to follow.
fn print_format_joined<I, T>(args: I) -> Vec<OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut out: Vec<OsString> = Vec::new();
    let mut args = args.into_iter().map(Into::into).peekable();
    let mut options_end = false;
    while let Some(arg) = args.next() {
        options_end |= arg == "--";
        let format = args.peek().and_then(|next| next.to_str()).filter(|f| ["text", "jsonl"].contains(f));
        match format {
            Some(f) if arg == "--print" && !options_end => {
                out.push(format!("--print={f}").into());
                args.next();
            }
            _ => out.push(arg),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum InputFormatArg {
    Auto,
    Plain,
    Cri,
    Docker,
    Journald,
    Syslog,
}

impl From<InputFormatArg> for InputFormat {
    fn from(f: InputFormatArg) -> InputFormat {
        match f {
            InputFormatArg::Auto => InputFormat::Auto,
            InputFormatArg::Plain => InputFormat::Plain,
            InputFormatArg::Cri => InputFormat::Cri,
            InputFormatArg::Docker => InputFormat::Docker,
            InputFormatArg::Journald => InputFormat::Journald,
            InputFormatArg::Syslog => InputFormat::Syslog,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PrintFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files to read; "-" or none for stdin.
    #[arg(value_name = "FILE|-")]
    pub files: Vec<String>,
    /// jsonl: one JSON record per error (for machines); text: one aligned line per error.
    #[arg(long, value_enum, default_value_t = ScanFormat::Jsonl)]
    pub format: ScanFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScanFormat {
    Jsonl,
    Text,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files to read; "-" or none for stdin.
    #[arg(value_name = "FILE|-")]
    pub files: Vec<String>,
    /// text for a terminal (at its width: COLUMNS, else the terminal's, else 100 columns),
    /// markdown for a ticket, html for a page with charts (one self-contained file), json for
    /// machines, prometheus for a textfile collector.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Language of the text, markdown and HTML reports and of the catalog's descriptions.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Color: auto (when stdout is a terminal and NO_COLOR is unset or empty), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Worker threads for reading (0: one per core); the report is the same for any number.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// List every action item (text and markdown show every critical and high one, and up to
    /// 10 in all; JSON always has them all).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Markdown,
    Html,
    Json,
    Prometheus,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code as the provider sends it (1113, 4011, RateLimitExceeded.EndpointRPMExceeded,
    /// ...), in any case, or as errwatch prints it: 429#balance_exhausted, 429
    /// (balance_exhausted), zhipu:1113. A code not in the catalog gets the nearest that are.
    pub code: String,
    /// A provider id: zhipu, ppio, coze, volcengine, or one a --catalog file declares.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    /// The language shown first (both are shown).
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// A provider id: zhipu, ppio, coze, volcengine, or one a --catalog file declares.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    /// table at the terminal's width (messages cut, marked …), or json with every field.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CatalogFormat {
    Table,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_args(std::iter::once("errwatch").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn print_takes_its_format_but_not_a_file() {
        let cases: [(&[&str], Option<&str>, &[&str]); 6] = [
            (&["--print", "app.log"], Some("Text"), &["app.log"]),
            (&["--print"], Some("Text"), &[]),
            (&["--print=jsonl", "app.log"], Some("Jsonl"), &["app.log"]),
            (&["--print", "jsonl", "app.log"], Some("Jsonl"), &["app.log"]),
            (&["--print", "text"], Some("Text"), &[]),
            (&["app.log", "--", "--print", "jsonl"], None, &["app.log", "--print", "jsonl"]),
        ];
        for (args, print, files) in cases {
            let cli = parse(args);
            assert_eq!(cli.watch.print.map(|p| format!("{p:?}")).as_deref(), print, "{args:?}");
            assert_eq!(cli.watch.files, files, "{args:?}");
        }
    }

    #[test]
    fn global_options_go_before_any_subcommand_and_watch_options_only_before_watch() {
        assert!(matches!(
            parse(&["--catalog", "x.toml", "explain", "4027"]).command,
            Some(Command::Explain(_))
        ));
        assert!(matches!(
            parse(&["--log-level", "info", "report", "a.log"]).command,
            Some(Command::Report(_))
        ));
        assert!(parse(&["--from-start", "a.log"]).watch.from_start);
        let refused = Cli::try_parse_args(["errwatch", "--from-start", "watch", "a.log"]).unwrap_err();
        assert!(refused.to_string().contains("put it after `errwatch watch`"), "{refused}");
        let refused = Cli::try_parse_args(["errwatch", "--listen", "x", "scan", "a.log"]).unwrap_err();
        assert!(refused.to_string().contains("--listen belongs to `watch`"), "{refused}");
        let refused = Cli::try_parse_args(["errwatch", "a.log", "report"]);
        assert!(
            refused.is_ok_and(|c| c.command.is_none()),
            "a file named like a command after a file is a file"
        );
    }
}
