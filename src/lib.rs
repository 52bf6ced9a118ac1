//! errwatch: finds Chinese LLM providers' error responses in application logs, maps each to
//! the provider's documented entry, counts them for Prometheus and reports what to do.
//!
//! The data flows one way: `input` (lines from files or stdin) -> `framing` (lines out of their
//! envelopes: CRI, Docker, journald, syslog) -> `extract` (candidate errors and the evidence
//! around them) -> `classify` (catalog entries) -> `pipeline` (per-source
//! correlation) -> sinks (`metrics`, `summary` and its `report` renderings, `output` printing).

pub mod batch;
pub mod catalog;
pub mod classify;
pub mod cli;
pub mod commands;
pub mod daemon;
pub mod extract;
pub mod framing;
pub mod http;
pub mod input;
pub mod metrics;
pub mod output;
pub mod pipeline;
pub mod redact;
pub mod report;
pub mod source;
pub mod state;
pub mod summary;
#[cfg(test)]
mod test_support;
pub mod timestamp;
pub mod web_config;
