//! The HTTP endpoint: `/metrics` (Prometheus text format), `/healthz`, `/report` (JSON).
//! Readers take the exposure lock for reading, so a scrape never sees counts that the engine
//! has published but not yet checkpointed.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use crate::daemon::Shared;
use crate::report::{render_json, Report};

const EXPOSITION: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/report", get(report))
        .route("/", get(index))
        .with_state(shared)
}

pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let body = {
        let _exposed = shared.exposure.read().unwrap_or_else(|e| e.into_inner());
        shared.metrics.render()
    };
    ([(header::CONTENT_TYPE, EXPOSITION)], body)
}

async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
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

async fn index() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<html><body><h1>errwatch</h1><p><a href=\"/metrics\">/metrics</a> · <a href=\"/report\">/report</a> · <a href=\"/healthz\">/healthz</a></p></body></html>\n",
    )
}
