//! Endpoint protection in the convention Prometheus exporters share (exporter-toolkit's web
//! configuration file): `tls_server_config` (certificate and key, minimum TLS version, an
//! optional client CA for mutual TLS) and `basic_auth_users` (bcrypt hashes). Read and checked
//! once at start: a bad file is refused with what is wrong, never half-applied.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct WebConfigError {
    pub file: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    tls_server_config: Option<TlsShape>,
    #[serde(default)]
    basic_auth_users: BTreeMap<String, String>,
    /// Accepted for compatibility with exporter-toolkit files; errwatch serves HTTP/1.1 only.
    #[serde(default, rename = "http_server_config")]
    _http_server_config: Option<serde_yaml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsShape {
    cert_file: PathBuf,
    key_file: PathBuf,
    client_ca_file: Option<PathBuf>,
    #[serde(default = "no_client_cert")]
    client_auth_type: String,
    min_version: Option<String>,
    max_version: Option<String>,
}

fn no_client_cert() -> String {
    "NoClientCert".to_string()
}

/// What the endpoint enforces.
#[derive(Clone)]
pub struct WebConfig {
    pub tls: Option<Arc<ServerConfig>>,
    /// User name to bcrypt hash; empty: no authentication.
    users: Arc<BTreeMap<String, String>>,
}

impl WebConfig {
    /// Plain HTTP, no authentication: the default.
    pub fn open() -> WebConfig {
        WebConfig { tls: None, users: Arc::new(BTreeMap::new()) }
    }

    pub fn load(path: &Path) -> Result<WebConfig, WebConfigError> {
        let file = path.display().to_string();
        let fail = |message: String| WebConfigError { file: file.clone(), message };
        let text = fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let shape: FileShape = serde_yaml::from_str(&text).map_err(|e| fail(e.to_string()))?;
        for (user, hash) in &shape.basic_auth_users {
            if !(hash.starts_with("$2a$") || hash.starts_with("$2b$") || hash.starts_with("$2y$"))
                || hash.len() != 60
            {
                return Err(fail(format!("basic_auth_users: the password of {user:?} is not a bcrypt hash")));
            }
        }
        let base = path.parent().unwrap_or(Path::new("."));
        let tls = shape.tls_server_config.map(|t| tls_config(&t, base)).transpose().map_err(fail)?;
        Ok(WebConfig { tls, users: Arc::new(shape.basic_auth_users) })
    }

    /// Does an `Authorization` header value let the request in?
    pub fn admits(&self, authorization: Option<&str>) -> bool {
        if self.users.is_empty() {
            return true;
        }
        let Some(encoded) = authorization.and_then(|a| a.strip_prefix("Basic ")) else { return false };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let Ok(pair) = String::from_utf8(decoded) else { return false };
        let Some((user, password)) = pair.split_once(':') else { return false };
        self.users.get(user).is_some_and(|hash| bcrypt::verify(password, hash).unwrap_or(false))
    }
}

/// Paths in the file are relative to the file, as in exporter-toolkit.
fn tls_config(t: &TlsShape, base: &Path) -> Result<Arc<ServerConfig>, String> {
    let resolve = |p: &Path| if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
    let certs =
        read_pem(&resolve(&t.cert_file), |r| rustls_pemfile::certs(r).collect::<Result<Vec<_>, _>>())?;
    if certs.is_empty() {
        return Err(format!("tls_server_config.cert_file {}: no certificate in it", t.cert_file.display()));
    }
    let key = read_pem(&resolve(&t.key_file), |r| rustls_pemfile::private_key(r))?.ok_or_else(|| {
        format!("tls_server_config.key_file {}: no private key in it", t.key_file.display())
    })?;
    let versions = versions(t.min_version.as_deref(), t.max_version.as_deref())?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .map_err(|e| format!("tls_server_config: {e}"))?;
    let builder = match (t.client_auth_type.as_str(), &t.client_ca_file) {
        ("NoClientCert", _) => builder.with_no_client_auth(),
        (kind @ ("RequireAndVerifyClientCert" | "VerifyClientCertIfGiven"), Some(ca)) => {
            let mut roots = RootCertStore::empty();
            for c in read_pem(&resolve(ca), |r| rustls_pemfile::certs(r).collect::<Result<Vec<_>, _>>())? {
                roots.add(c).map_err(|e| format!("tls_server_config.client_ca_file: {e}"))?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider);
            let verifier = if kind == "VerifyClientCertIfGiven" { verifier.allow_unauthenticated() } else { verifier };
            builder.with_client_cert_verifier(verifier.build().map_err(|e| format!("tls_server_config: {e}"))?)
        }
        ("RequireAndVerifyClientCert" | "VerifyClientCertIfGiven", None) => {
            return Err(format!("tls_server_config: client_auth_type {} needs client_ca_file", t.client_auth_type))
        }
        (other, _) => {
            return Err(format!(
                "tls_server_config: client_auth_type {other:?} is not supported (NoClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert)"
            ))
        }
    };
    let mut config = builder.with_single_cert(certs, key).map_err(|e| format!("tls_server_config: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_pem<T>(
    path: &Path,
    parse: impl FnOnce(&mut dyn std::io::BufRead) -> std::io::Result<T>,
) -> Result<T, String> {
    let file = fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&mut BufReader::new(file)).map_err(|e| format!("{}: {e}", path.display()))
}

fn versions(
    min: Option<&str>,
    max: Option<&str>,
) -> Result<Vec<&'static rustls::SupportedProtocolVersion>, String> {
    let rank = |v: Option<&str>, default: u8| -> Result<u8, String> {
        match v {
            None => Ok(default),
            Some("TLS12") => Ok(12),
            Some("TLS13") => Ok(13),
            Some(other) => Err(format!("TLS version {other:?} is not supported (TLS12, TLS13)")),
        }
    };
    let (lo, hi) = (rank(min, 12)?, rank(max, 13)?);
    let all: [(u8, &'static rustls::SupportedProtocolVersion); 2] =
        [(12, &rustls::version::TLS12), (13, &rustls::version::TLS13)];
    let chosen: Vec<_> = all.iter().filter(|(n, _)| (lo..=hi).contains(n)).map(|(_, v)| *v).collect();
    if chosen.is_empty() {
        return Err("tls_server_config: min_version is above max_version".to_string());
    }
    Ok(chosen)
}
