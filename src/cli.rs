//! The command line, as clap sees it. Parsed here and turned into plain settings by the
//! commands; nothing below `commands` sees clap.

use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::catalog::Lang;
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
    /// Lines longer than this many bytes are searched in their first part only.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES, global = true)]
    pub max_line_bytes: usize,
    /// Distinct unknown codes counted per provider; more count as code "other".
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_UNKNOWN_CODES, global = true)]
    pub max_unknown_codes: usize,
    /// errwatch's own log on stderr: error, warn, info, debug, trace (RUST_LOG overrides it).
    /// Colored only on a terminal, and never when NO_COLOR is set and not empty.
    #[arg(long, value_name = "LEVEL", default_value = "warn", global = true)]
    pub log_level: String,
    /// The zone of timestamps written without one, and of the report's times: an IANA name
    /// (Asia/Shanghai, UTC). Default: the local zone (TZ, else /etc/localtime).
    #[arg(long, value_name = "ZONE", global = true)]
    pub timezone: Option<String>,
}

impl Cli {
    /// Parses the command line, exiting with clap's message (status 2) when it is wrong.
    pub fn parse_args() -> Cli {
        Cli::from_matches(Cli::command().get_matches())
    }

    /// [`Cli::parse_args`] over given arguments (the first is the program name).
    pub fn try_parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Cli::command().try_get_matches_from(args)?;
        Cli::check(&matches)?;
        Cli::from_arg_matches(&matches)
    }

    fn from_matches(matches: ArgMatches) -> Cli {
        Cli::check(&matches).and_then(|()| Cli::from_arg_matches(&matches)).unwrap_or_else(|e| e.exit())
    }

    /// `watch`'s own options are accepted before any subcommand only when the subcommand is
    /// `watch` or absent (`errwatch --print app.log`): put before `scan`, they would be
    /// ignored, so they are refused.
    fn check(matches: &ArgMatches) -> Result<(), clap::Error> {
        let Some((name, _)) = matches.subcommand() else { return Ok(()) };
        if name == "watch" {
            return Ok(());
        }
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
                    format!("{shown} belongs to `watch`, not to `{name}`: put it after `errwatch watch`"),
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
    /// Address for /metrics, /healthz and /report, or "none".
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
    /// Also print each error as it is found: `--print` (text) or `--print=jsonl`. The format
    /// is given with `=`, so `--print app.log` prints app.log's errors as text.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, require_equals = true, default_missing_value = "text")]
    pub print: Option<PrintFormat>,
    /// Seconds between polls of followed files (change events also wake errwatch).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    pub poll_interval: f64,
    /// Print the summary report to stderr on exit.
    #[arg(long)]
    pub summary: bool,
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
    /// markdown for a ticket, json for machines, prometheus for a textfile collector.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Language of the text and markdown reports and of the catalog's descriptions.
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
