use std::io::IsTerminal;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use errwatch::cli::Cli;
use errwatch::commands;
use errwatch::output::no_color;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&cli.global.log_level));
    // Escape codes belong on a terminal only: stderr redirected to a file or the journal gets
    // plain text (no-color.org: NO_COLOR set and non-empty turns color off everywhere).
    let ansi = std::io::stderr().is_terminal() && !no_color();
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).init();
    commands::run(cli).into()
}
