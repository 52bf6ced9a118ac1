//! `errwatch watch` (and plain `errwatch [FILE]...`): follow files or stdin, serve metrics,
//! stop cleanly on SIGTERM/SIGINT, reload `--catalog` files on SIGHUP.

use std::io::{self, IsTerminal};
use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use crate::catalog::{Catalog, Lang};
use crate::cli::{Global, PrintFormat, WatchArgs};
use crate::daemon::{Control, DaemonConfig, EngineConfig, Input, Shared, Shutdown, SystemClock};
use crate::http;
use crate::output::LineFormat;
use crate::report::{render_text, Report, View};
use crate::timestamp::{Dating, Zone};
use crate::web_config::WebConfig;

use super::ExitCode;

pub fn run(args: WatchArgs, catalog: Catalog, global: &Global, dating: Dating) -> io::Result<ExitCode> {
    let listen = match listen_address(&args.listen) {
        Ok(listen) => listen,
        Err(e) => {
            eprintln!("errwatch: --listen {:?} {e}", args.listen);
            return Ok(ExitCode::Usage);
        }
    };
    let web = match &args.web_config_file {
        Some(path) => match WebConfig::load(path) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("errwatch: --web.config.file {e}");
                return Ok(ExitCode::Usage);
            }
        },
        None => WebConfig::open(),
    };
    if !(args.poll_interval > 0.0 && args.poll_interval.is_finite()) {
        eprintln!("errwatch: --poll-interval must be a positive number of seconds");
        return Ok(ExitCode::Usage);
    }
    if !(args.source_expiry >= 0.0 && args.source_expiry.is_finite()) {
        eprintln!("errwatch: --source-expiry must be a number of seconds, 0 or more");
        return Ok(ExitCode::Usage);
    }
    let zone = dating.zone;
    let engine = EngineConfig {
        max_line: global.max_line_bytes,
        dating,
        print: args.print.map(|p| match p {
            PrintFormat::Text => LineFormat::Text,
            PrintFormat::Jsonl => LineFormat::Jsonl,
        }),
        poll_interval: Duration::from_secs_f64(args.poll_interval),
        catalog_files: global.catalogs.clone(),
        input_format: global.input_format.into(),
        source_expiry: Duration::from_secs_f64(args.source_expiry),
    };
    let from_stdin = args.files.is_empty();
    if from_stdin && io::stdin().is_terminal() {
        // Plain `errwatch` typed at a prompt would otherwise sit there silently.
        eprintln!(
            "errwatch: reading log lines from stdin (a terminal); Ctrl-D ends. To follow files: errwatch FILE|GLOB..."
        );
    }
    let input = if from_stdin {
        Input::Stdin
    } else {
        Input::Files {
            patterns: args.files.clone(),
            from_start: args.from_start,
            state_dir: args.state_dir.clone(),
        }
    };
    let shared = Arc::new(Shared::with_max_sources(catalog, global.max_unknown_codes, args.max_sources));
    let ended = match serve_and_read(shared.clone(), DaemonConfig { engine, input }, listen, web, zone) {
        Ok(ended) => ended,
        Err(e) => {
            eprintln!("errwatch: {e}");
            return Ok(ExitCode::Startup);
        }
    };
    if from_stdin || args.summary {
        let summary = shared.summary.lock().unwrap_or_else(|e| e.into_inner());
        let report = Report::build(&summary, &shared.catalog(), Lang::En);
        eprint!("{}", render_text(&report, &View { zone: dating.zone, ..View::new(Lang::En) }));
    }
    if let Ended::Fatal(e) = &ended {
        eprintln!("errwatch: stopped on a fatal error: {e}");
    }
    Ok(ended.exit_code())
}

/// A `--listen` value as exporters take it: `none`, `HOST:PORT` (an address, or a name such as
/// `localhost`, its first IPv4 address preferred), or `:PORT` for every IPv4 interface.
fn listen_address(arg: &str) -> Result<Option<SocketAddr>, String> {
    if arg == "none" {
        return Ok(None);
    }
    if let Ok(addr) = arg.parse::<SocketAddr>() {
        return Ok(Some(addr));
    }
    let shape = "is not an address like 127.0.0.1:9847, localhost:9847 or :9847 (or \"none\")";
    let Some((host, port)) = arg.rsplit_once(':') else { return Err(shape.to_string()) };
    let Ok(port) = port.parse::<u16>() else { return Err(shape.to_string()) };
    if host.is_empty() {
        return Ok(Some(SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))));
    }
    if host.contains(':') || host.contains(['[', ']']) {
        return Err(shape.to_string());
    }
    let found: Vec<SocketAddr> =
        (host, port).to_socket_addrs().map_err(|e| format!("cannot be resolved: {e}"))?.collect();
    found
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.first())
        .copied()
        .map(Some)
        .ok_or_else(|| format!("cannot be resolved: {host} has no address"))
}

/// Why `watch` ended, once it had started.
enum Ended {
    /// Told to (SIGTERM, SIGINT), or stdin ended.
    Told,
    /// Something it cannot go on without failed.
    Fatal(String),
}

/// What keeps `watch` from starting: the problem in words.
#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error("cannot start the runtime: {0}")]
    Runtime(io::Error),
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, io::Error),
    #[error("cannot install the signal handlers: {0}")]
    Signals(io::Error),
}

/// Binds, installs the signal handlers, then serves and reads until the reader returns.
fn serve_and_read(
    shared: Arc<Shared>,
    config: DaemonConfig,
    listen: Option<SocketAddr>,
    web: WebConfig,
    zone: Zone,
) -> Result<Ended, StartError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    runtime.block_on(async {
        let listener = match listen {
            Some(addr) => Some(http::bind(addr).await.map_err(|e| StartError::Listen(addr, e))?),
            None => None,
        };
        let signals = Signals::install().map_err(StartError::Signals)?;
        let (control, shutdown) = Shutdown::new();
        let server = listener.map(|listener| {
            if let Ok(addr) = listener.local_addr() {
                tracing::info!("serving /metrics on http://{addr}");
            }
            let app = http::router(shared.clone(), web.clone(), zone);
            let control = control.clone();
            tokio::spawn(async move {
                let served = http::serve(listener, app, &web).await;
                // The endpoint is what the daemon is for: without it, it stops.
                control.stop();
                served
            })
        });
        tokio::spawn(signals.forward(control));
        let reader = tokio::task::spawn_blocking(move || {
            crate::daemon::run(shared, config, shutdown, Arc::new(SystemClock));
        });
        let read = reader.await;
        let served = match server {
            Some(server) if server.is_finished() => server.await.ok(),
            Some(server) => {
                server.abort();
                None
            }
            None => None,
        };
        Ok(ended(read.map_err(|e| e.to_string()), served))
    })
}

/// How it ended, from how the reader returned and whether the server had stopped by then (a
/// server still serving was aborted: it did not fail).
fn ended(read: Result<(), String>, served: Option<io::Result<()>>) -> Ended {
    match (read, served) {
        (Err(e), _) => Ended::Fatal(format!("the reader died: {e}")),
        (Ok(()), Some(Err(e))) => Ended::Fatal(format!("the HTTP server failed: {e}")),
        (Ok(()), Some(Ok(()))) => Ended::Fatal("the HTTP server stopped".into()),
        (Ok(()), None) => Ended::Told,
    }
}

impl Ended {
    fn exit_code(&self) -> ExitCode {
        match self {
            Ended::Told => ExitCode::Success,
            Ended::Fatal(_) => ExitCode::Fatal,
        }
    }
}

/// SIGTERM, SIGINT and SIGHUP, installed before anything is read so that a failure is a
/// start-up error and not a daemon that cannot be stopped.
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> io::Result<Signals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    /// Turns signals into what the engine is told: a stop ends its wait at once.
    async fn forward(mut self, control: Control) {
        loop {
            tokio::select! {
                _ = self.term.recv() => break,
                _ = self.int.recv() => break,
                _ = self.hup.recv() => control.reload(),
            }
        }
        tracing::info!("stopping");
        control.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_takes_what_exporters_take() {
        let addr = |a: &str| listen_address(a).map(|l| l.map(|s| s.to_string()));
        assert_eq!(addr("none"), Ok(None));
        assert_eq!(addr("127.0.0.1:9847").unwrap().as_deref(), Some("127.0.0.1:9847"));
        assert_eq!(addr("[::1]:9847").unwrap().as_deref(), Some("[::1]:9847"));
        assert_eq!(addr(":9847").unwrap().as_deref(), Some("0.0.0.0:9847"));
        assert_eq!(addr("localhost:9847").unwrap().as_deref(), Some("127.0.0.1:9847"));
        for bad in ["9847", ":", ":99999", "localhost", "::1:9847", "[::1]", "127.0.0.1:x", ""] {
            let e = listen_address(bad).expect_err(bad);
            assert!(e.contains("is not an address like") || e.contains("cannot be resolved"), "{bad}: {e}");
        }
    }

    #[test]
    fn only_being_told_ends_watch_with_success() {
        assert_eq!(ended(Ok(()), None).exit_code(), ExitCode::Success);
        let fatal = [
            ended(Err("panicked".into()), None),
            ended(Err("panicked".into()), Some(Ok(()))),
            ended(Ok(()), Some(Err(io::Error::other("accept failed")))),
            ended(Ok(()), Some(Ok(()))),
        ];
        for e in fatal {
            assert_eq!(e.exit_code(), ExitCode::Fatal);
            assert_ne!(e.exit_code() as u8, 0);
        }
    }

    #[test]
    fn every_exit_status_is_its_own() {
        let all =
            [ExitCode::Success, ExitCode::PartialInput, ExitCode::Usage, ExitCode::Startup, ExitCode::Fatal];
        let mut codes: Vec<u8> = all.iter().map(|c| *c as u8).collect();
        codes.dedup();
        assert_eq!(codes, vec![0, 1, 2, 3, 4]);
    }
}
