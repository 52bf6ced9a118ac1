use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use errwatch::cli::Cli;
use errwatch::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&cli.global.log_level));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    commands::run(cli).into()
}
