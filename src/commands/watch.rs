//! `errwatch watch` (and plain `errwatch [FILE]...`): follow files or stdin, serve metrics,
//! stop cleanly on SIGTERM/SIGINT, reload `--catalog` files on SIGHUP.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::catalog::{Catalog, Lang};
use crate::cli::{Global, PrintFormat, WatchArgs};
use crate::daemon::{follow_files, read_stdin, EngineConfig, Shared};
use crate::http;
use crate::output::LineFormat;
use crate::report::{render_text, Report, View};
use crate::timestamp::Dating;
use crate::web_config::WebConfig;

use super::Outcome;

pub fn run(args: WatchArgs, catalog: Catalog, global: &Global, dating: Dating) -> io::Result<Outcome> {
    let listen: Option<SocketAddr> = match args.listen.as_str() {
        "none" => None,
        a => match a.parse() {
            Ok(addr) => Some(addr),
            Err(_) => {
                eprintln!("errwatch: --listen {a:?} is not an address like 127.0.0.1:9847 (or \"none\")");
                return Ok(Outcome::Usage);
            }
        },
    };
    let web = match &args.web_config_file {
        Some(path) => match WebConfig::load(path) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("errwatch: --web.config.file {e}");
                return Ok(Outcome::Usage);
            }
        },
        None => WebConfig::open(),
    };
    if !(args.poll_interval > 0.0 && args.poll_interval.is_finite()) {
        eprintln!("errwatch: --poll-interval must be a positive number of seconds");
        return Ok(Outcome::Usage);
    }
    let config = EngineConfig {
        max_line: global.max_line_bytes,
        dating,
        print: args.print.map(|p| match p {
            PrintFormat::Text => LineFormat::Text,
            PrintFormat::Jsonl => LineFormat::Jsonl,
        }),
        poll_interval: Duration::from_secs_f64(args.poll_interval),
        catalog_files: global.catalogs.clone(),
        input_format: global.input_format.into(),
    };
    let shared = Arc::new(Shared::new(catalog, global.max_unknown_codes));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let from_stdin = args.files.is_empty();
    runtime.block_on(async {
        let server = match listen {
            Some(addr) => {
                let listener = http::bind(addr)
                    .await
                    .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
                tracing::info!("serving /metrics on http://{}", listener.local_addr()?);
                let app = http::router(shared.clone(), web.clone(), dating.zone);
                let web = web.clone();
                Some(tokio::spawn(async move { http::serve(listener, app, &web).await }))
            }
            None => None,
        };
        tokio::spawn(signals(shared.clone()));
        let reader = {
            let shared = shared.clone();
            let config = config.clone();
            let (files, from_start, state_dir) =
                (args.files.clone(), args.from_start, args.state_dir.clone());
            tokio::task::spawn_blocking(move || {
                if files.is_empty() {
                    read_stdin(shared, config);
                } else {
                    follow_files(shared, config, files, from_start, state_dir);
                }
            })
        };
        reader.await.map_err(io::Error::other)?;
        if let Some(server) = server {
            server.abort();
        }
        Ok::<(), io::Error>(())
    })?;
    if from_stdin || args.summary {
        let summary = shared.summary.lock().unwrap_or_else(|e| e.into_inner());
        let report = Report::build(&summary, &shared.catalog(), Lang::En);
        eprint!("{}", render_text(&report, &View { zone: dating.zone, ..View::new(Lang::En) }));
    }
    Ok(Outcome::Success)
}

async fn signals(shared: Arc<Shared>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int), Ok(mut hup)) =
        (signal(SignalKind::terminate()), signal(SignalKind::interrupt()), signal(SignalKind::hangup()))
    else {
        tracing::error!("cannot install signal handlers");
        return;
    };
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = int.recv() => break,
            _ = hup.recv() => shared.reload.store(true, Ordering::SeqCst),
        }
    }
    tracing::info!("stopping");
    shared.stop.store(true, Ordering::SeqCst);
}
