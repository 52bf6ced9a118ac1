//! The command line, as clap sees it. Parsed here and turned into plain settings by the
//! commands; nothing below `commands` sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    args_conflicts_with_subcommands = true,
    after_help = "With no subcommand, `errwatch [FILE]...` is `errwatch watch [FILE]...`."
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
    /// How lines are wrapped: auto (decided per source from its first line), plain, cri
    /// (Kubernetes /var/log/pods), docker (json-file), journald (journalctl -o json), syslog
    /// (RFC 3164 or 5424).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormatArg::Auto, global = true)]
    pub input_format: InputFormatArg,
    /// errwatch's own log level (error, warn, info, debug, trace); also RUST_LOG.
    #[arg(long, value_name = "LEVEL", default_value = "warn", global = true)]
    pub log_level: String,
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
    /// Also print each error as it is found.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text")]
    pub print: Option<PrintFormat>,
    /// Seconds between polls of followed files (change events also wake errwatch).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    pub poll_interval: f64,
    /// Print the summary report to stderr on exit.
    #[arg(long)]
    pub summary: bool,
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
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Color: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Worker threads for reading (0: one per core).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
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
    /// The code as the provider sends it (1113, 4011, RateLimitExceeded.EndpointRPMExceeded, ...).
    pub code: String,
    /// A provider id: zhipu, ppio, coze, volcengine, or one a --catalog file declares.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// A provider id: zhipu, ppio, coze, volcengine, or one a --catalog file declares.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CatalogFormat {
    Table,
    Json,
}
