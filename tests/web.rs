//! The protected endpoint, with real TLS clients: curl, and the real Prometheus scraping over
//! HTTPS with basic auth. Certificates are made with openssl for each run.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{free_port, in_path, wait_for, BIN};

const USER: &str = "prometheus";
const PASSWORD: &str = "s3cret-scrape";

/// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
fn make_certs(dir: &Path) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=errwatch test CA",
    ]);
    // Extensions make v3 certificates, which webpki requires.
    fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    for name in ["server", "client"] {
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={name}"),
        ]);
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            "",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "",
            "-days",
            "2",
        ];
        let (csr, pem, ext) = (format!("{name}.csr"), format!("{name}.pem"), format!("{name}.ext"));
        args[3] = &csr;
        args[10] = &pem;
        args.extend(["-extfile", &ext]);
        run(&args);
    }
}

fn web_config(dir: &Path, extra: &str) -> String {
    let hash = bcrypt::hash(PASSWORD, 4).unwrap();
    let path = dir.join("web.yml");
    fs::write(&path, format!("{extra}basic_auth_users:\n  {USER}: {hash}\n")).unwrap();
    path.to_string_lossy().into_owned()
}

struct Guard(std::process::Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(config: &str, log: &Path) -> (Guard, u16) {
    let port = free_port();
    let child = Command::new(BIN)
        .args([
            "watch",
            "--from-start",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--web.config.file",
            config,
        ])
        .arg(log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    wait_for(Duration::from_secs(10), || std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .expect("listens");
    (Guard(child), port)
}

/// curl's HTTP status for a request, or 0 when no HTTP answer came (a refused handshake).
fn curl(args: &[&str]) -> u16 {
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0)
}

fn tools_present(tools: &[&str]) -> bool {
    let missing: Vec<&&str> = tools.iter().filter(|t| in_path(t).is_none()).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(std::env::var("CI").is_err(), "CI must have {missing:?} (tests/all.sh installs them)");
    eprintln!("skipped: {missing:?} not installed");
    false
}

fn fixture_log(dir: &Path) -> std::path::PathBuf {
    let log = dir.join("app.log");
    fs::copy(common::repo("fixtures/logs/sdk/zhipuai-logger-error.log"), &log).unwrap();
    log
}

#[test]
fn basic_auth_over_plain_http() {
    if !tools_present(&["curl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = web_config(dir.path(), "");
    let (_d, port) = start(&config, &fixture_log(dir.path()));
    let url = format!("http://127.0.0.1:{port}/metrics");
    assert_eq!(curl(&[&url]), 401);
    assert_eq!(curl(&["-u", &format!("{USER}:wrong"), &url]), 401);
    assert_eq!(curl(&["-u", &format!("nobody:{PASSWORD}"), &url]), 401);
    assert_eq!(curl(&["-u", &format!("{USER}:{PASSWORD}"), &url]), 200);
    assert_eq!(curl(&[&format!("http://127.0.0.1:{port}/report")]), 401);
}

#[test]
fn tls_and_mutual_tls_with_curl() {
    if !tools_present(&["curl", "openssl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    make_certs(dir.path());
    let creds = format!("{USER}:{PASSWORD}");
    let tls = web_config(
        dir.path(),
        "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  min_version: TLS12\n",
    );
    let log = fixture_log(dir.path());
    let (_d, port) = start(&tls, &log);
    let https = format!("https://127.0.0.1:{port}/metrics");
    let ca = dir.path().join("ca.pem");
    let ca = ca.to_str().unwrap();
    assert_eq!(curl(&["--cacert", ca, "-u", &creds, &https]), 200);
    assert_eq!(curl(&["--cacert", ca, &https]), 401);
    assert_eq!(
        curl(&["-u", &creds, &format!("http://127.0.0.1:{port}/metrics")]),
        0,
        "plain HTTP is refused"
    );

    let mtls = web_config(
        dir.path(),
        "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_ca_file: ca.pem\n  client_auth_type: RequireAndVerifyClientCert\n",
    );
    let (_m, port) = start(&mtls, &log);
    let https = format!("https://127.0.0.1:{port}/metrics");
    assert_eq!(curl(&["--cacert", ca, "-u", &creds, &https]), 0, "no client certificate, no connection");
    let (cert, key) = (dir.path().join("client.pem"), dir.path().join("client.key"));
    assert_eq!(
        curl(&[
            "--cacert",
            ca,
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "-u",
            &creds,
            &https
        ]),
        200
    );
}

#[test]
fn a_bad_web_config_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture_log(dir.path());
    let cases = [
        (
            "missing-cert.yml",
            "tls_server_config:\n  cert_file: nowhere.pem\n  key_file: nowhere.key\n",
            "nowhere.pem",
        ),
        ("typo.yml", "tls_server_config:\n  cert_fil: a.pem\n", "cert_fil"),
        ("plain-password.yml", "basic_auth_users:\n  alice: hunter2\n", "not a bcrypt hash"),
        ("version.yml", "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: SSL3\n", ""),
    ];
    for (name, text, says) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let out = Command::new(BIN)
            .args(["watch", "--listen", "127.0.0.1:0", "--web.config.file"])
            .arg(&path)
            .arg(&log)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
    }
}

#[test]
fn prometheus_scrapes_over_https_with_basic_auth() {
    if !tools_present(&["openssl", "prometheus", "curl"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    make_certs(dir.path());
    let config =
        web_config(dir.path(), "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n");
    // One copy of the fixture, made before errwatch starts: copying it again over the followed
    // file would be a truncation and a rewrite, which errwatch rightly reads again.
    let log = fixture_log(dir.path());
    let (_d, port) = start(&config, &log);
    let prom_port = free_port();
    let prom_config = dir.path().join("prometheus.yml");
    fs::write(
        &prom_config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: errwatch\n    scheme: https\n    tls_config:\n      ca_file: {ca}\n    basic_auth:\n      username: {USER}\n      password: {PASSWORD}\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n",
            ca = dir.path().join("ca.pem").display()
        ),
    )
    .unwrap();
    let _prom = Guard(
        Command::new("prometheus")
            .arg(format!("--config.file={}", prom_config.display()))
            .arg(format!("--storage.tsdb.path={}", dir.path().join("tsdb").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{prom_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The errors errwatch counted, read back through Prometheus.
    let want = {
        let out = Command::new(BIN).args(["report", "--format", "json"]).arg(&log).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["errors"].as_u64().unwrap()
    };
    let query = format!(
        "http://127.0.0.1:{prom_port}/api/v1/query?query=sum(errwatch_errors_total)%20and%20on()%20up%3D%3D1"
    );
    let got = wait_for(Duration::from_secs(40), || {
        let out = Command::new("curl").args(["-s", "--max-time", "2", &query]).output().ok()?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        v["data"]["result"][0]["value"][1].as_str()?.parse::<f64>().ok()
    });
    assert_eq!(got, Some(want as f64), "Prometheus scraped errwatch over HTTPS with basic auth");
}
