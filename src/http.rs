//! The HTTP endpoint: `/metrics` (Prometheus text format), `/healthz`, `/report` (JSON), and
//! `/`, the report as a live page (its markup is `report::html`'s; this only serves it).
//! Readers take the exposure lock for reading, so a scrape never sees counts that the engine
//! has published but not yet checkpointed. With a web configuration file, every route asks for
//! basic auth before it runs, and connections are TLS.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{RawQuery, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use crate::catalog::Lang;
use crate::daemon::Shared;
use crate::report::{render_json, render_live_fragment, render_live_html, LivePage, Report, View};
use crate::timestamp::Zone;
use crate::web_config::WebConfig;

const EXPOSITION: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The routes; `zone` is the one the page shows times in (`--timezone`'s).
pub fn router(shared: Arc<Shared>, web: WebConfig, zone: Zone) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/report", get(report))
        .route("/", get(move |state, query| index(state, query, zone)))
        .route_layer(middleware::from_fn_with_state(web, basic_auth))
        .with_state(shared)
}

/// Serves `app` on `listener`, over TLS when `web` says so, until the task is dropped.
pub async fn serve(listener: TcpListener, app: Router, web: &WebConfig) -> std::io::Result<()> {
    let Some(tls) = web.tls.clone() else { return axum::serve(listener, app).await };
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors, say: the listener itself is fine; try again shortly.
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let (acceptor, app) = (acceptor.clone(), app.clone());
        tokio::spawn(async move {
            let tls = match acceptor.accept(stream).await {
                Ok(tls) => tls,
                Err(e) => return tracing::debug!("TLS handshake failed: {e}"),
            };
            let io = hyper_util::rt::TokioIo::new(tls);
            let service = hyper_util::service::TowerToHyperService::new(app);
            if let Err(e) = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await {
                tracing::debug!("connection ended: {e}");
            }
        });
    }
}

/// 401 unless the request carries the credentials of a configured user; runs before any route
/// touches state. bcrypt is slow on purpose, so the check runs off the async workers.
async fn basic_auth(State(web): State<WebConfig>, req: Request, next: Next) -> Response {
    let header = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let admitted = tokio::task::spawn_blocking(move || web.admits(header.as_deref())).await.unwrap_or(false);
    if admitted {
        next.run(req).await
    } else {
        (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Basic realm=\"errwatch\"")], "unauthorized\n")
            .into_response()
    }
}

pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    // Before the checkpoint's counts are back, every counter would read lower than the last run
    // left it, and Prometheus would take the drop for a reset and count it all again. A failed
    // scrape is only a gap.
    if !shared.restored.load(std::sync::atomic::Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "restoring the saved counts\n").into_response();
    }
    let body = {
        let _exposed = shared.exposure.read().unwrap_or_else(|e| e.into_inner());
        shared.metrics.render()
    };
    ([(header::CONTENT_TYPE, EXPOSITION)], body).into_response()
}

/// 503 until the reader has looked at every source once (so a line written after a 200 is
/// never taken for old content), 503 while no source is followed (the paths given match no
/// file: a typo is not a healthy agent), else 200.
async fn healthz(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    if !shared.ready.load(std::sync::atomic::Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "starting\n".to_string());
    }
    match shared.following().problem() {
        Some(problem) => (StatusCode::SERVICE_UNAVAILABLE, problem),
        None => (StatusCode::OK, "ok\n".to_string()),
    }
}

async fn report(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let body = {
        let _exposed = shared.exposure.read().unwrap_or_else(|e| e.into_inner());
        let summary = shared.summary.lock().unwrap_or_else(|e| e.into_inner());
        let catalog = shared.catalog();
        render_json(&Report::build(&summary, &catalog, crate::catalog::Lang::En))
    };
    ([(header::CONTENT_TYPE, "application/json")], body)
}

/// What `/` was asked for: `?lang=zh`, `?refresh=SECONDS` (1 to 3600, default 5), and
/// `?fragment` for the report section alone (what the page's script fetches).
#[derive(Debug, PartialEq, Eq)]
struct PageQuery {
    lang: Lang,
    refresh_seconds: u32,
    fragment: bool,
}

impl PageQuery {
    /// Unknown or malformed parameters are ignored: a landing page should always answer.
    fn parse(query: Option<&str>) -> PageQuery {
        let mut q = PageQuery { lang: Lang::En, refresh_seconds: 5, fragment: false };
        for pair in query.unwrap_or("").split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "lang" if value == "zh" => q.lang = Lang::Zh,
                "refresh" => {
                    if let Ok(n) = value.parse::<u32>() {
                        q.refresh_seconds = n.clamp(1, 3600);
                    }
                }
                "fragment" => q.fragment = true,
                _ => {}
            }
        }
        q
    }
}

async fn index(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    zone: Zone,
) -> impl IntoResponse {
    let q = PageQuery::parse(query.as_deref());
    let body = {
        let _exposed = shared.exposure.read().unwrap_or_else(|e| e.into_inner());
        let summary = shared.summary.lock().unwrap_or_else(|e| e.into_inner());
        let catalog = shared.catalog();
        let report = Report::build(&summary, &catalog, q.lang);
        let view = View { zone, ..View::new(q.lang) };
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let live = LivePage { refresh_seconds: q.refresh_seconds, generated: now as i64 };
        if q.fragment {
            render_live_fragment(&report, &view, &live)
        } else {
            render_live_html(&report, &view, &live)
        }
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_queries_are_read_leniently() {
        let q = PageQuery::parse;
        assert_eq!(q(None), PageQuery { lang: Lang::En, refresh_seconds: 5, fragment: false });
        assert_eq!(
            q(Some("fragment=1&lang=zh")),
            PageQuery { lang: Lang::Zh, refresh_seconds: 5, fragment: true }
        );
        assert_eq!(q(Some("refresh=0")).refresh_seconds, 1);
        assert_eq!(q(Some("refresh=999999")).refresh_seconds, 3600);
        assert_eq!(q(Some("refresh=x&lang=fr&&=")), q(None));
    }

    /// `/metrics` is 503 until the saved counts are restored, then the exposition.
    #[test]
    fn metrics_wait_for_the_saved_counts() {
        let shared = Arc::new(Shared::new(crate::catalog::Catalog::embedded(), 100));
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let status = |shared: &Arc<Shared>| runtime.block_on(metrics(State(shared.clone()))).status();
        assert_eq!(status(&shared), StatusCode::SERVICE_UNAVAILABLE);
        shared.restored.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(status(&shared), StatusCode::OK);
    }
}
