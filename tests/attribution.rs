//! The attribution rules of the README ("Attribution rules"), each with a line it keeps and one
//! it drops, through the real binary: `--log-level debug scan --format jsonl` over a file of the
//! case's lines. Every line a rule drops must be named on errwatch's debug log with its file,
//! its line and the rule; every case's lines are in the README, as one block, so the examples
//! there are the ones proven here.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{repo, wait_for, BIN};
use serde_json::Value;

/// What a case expects of one of its lines.
enum Want {
    /// Counted: provider, code, evidence.
    Kept(&'static str, &'static str, &'static str),
    /// Not counted, and the debug log names this rule (`None`: nothing made it an error, which
    /// is not logged).
    Dropped(Option<&'static str>),
    /// An ordinary line.
    Neither,
}

use Want::{Dropped, Kept, Neither};

struct Case {
    name: &'static str,
    lines: &'static [(&'static str, Want)],
}

const Z_AI_REQUEST: &str = r#"2025-03-14 09:00:18 INFO [httpx] HTTP Request: POST https://api.z.ai/api/paas/v4/chat/completions "HTTP/1.1 200 OK""#;
const PPIO_REQUEST: &str = r#"2025-03-14 09:00:18 INFO [httpx] HTTP Request: POST https://api.ppinfra.com/v3/openai/chat/completions "HTTP/1.1 200 OK""#;

const CASES: &[Case] = &[
    Case {
        name: "a known code through the lines before needs a compatible message",
        lines: &[
            (Z_AI_REQUEST, Neither),
            (
                r#"2025-03-14 09:00:31 ERROR [app.chat] reply failed: {"error":{"code":"1211","message":"模型不存在，请检查模型代码。"}}"#,
                Kept("zhipu", "1211", "code"),
            ),
            (
                r#"2025-03-14 09:00:33 ERROR [app.chat] reply failed: {"error":{"code":"1211","message":"Not Found"}}"#,
                Kept("zhipu", "1211", "code"),
            ),
            (
                r#"2025-03-14 09:00:38 ERROR [app.http] notify failed: {"error":{"code":"1211","message":"template not approved"}}"#,
                Dropped(Some("message_contradicts")),
            ),
        ],
    },
    Case {
        name: "a PPIO-shaped body through the lines before needs PPIO's message",
        lines: &[
            (PPIO_REQUEST, Neither),
            (
                r#"2025-03-14 09:00:31 ERROR [app.chat] chat failed: {"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"请求过快，请稍后重试"}"#,
                Kept("ppio", "RATE_LIMIT_EXCEEDED", "code"),
            ),
            (
                r#"2025-03-14 09:00:38 ERROR [app.sms] sms send failed: {"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"too many sms"}"#,
                Dropped(Some("message_contradicts")),
            ),
        ],
    },
    Case {
        name: "a line or record naming another service is that service's",
        lines: &[
            (Z_AI_REQUEST, Neither),
            (
                r#"2025-03-14 09:00:31 ERROR [app.llm] upstream=llm-gateway provider=zhipu {"error":{"code":"1113","message":"余额不足或无可用资源包,请充值。"}}"#,
                Kept("zhipu", "1113", "code"),
            ),
            (
                r#"2025-03-14 09:00:38 ERROR [app.http] upstream sms-gateway returned {"error":{"code":"1113","message":"余额不足或无可用资源包,请充值。"}}"#,
                Dropped(Some("other_service")),
            ),
            (
                r#"2025-03-14 09:00:39 ERROR [app.pay] POST https://pay.example.com/v1/charge failed: {"error":{"code":"1113","message":"余额不足或无可用资源包,请充值。"}}"#,
                Dropped(Some("other_service")),
            ),
            ("2025-03-14 09:00:40 ERROR [app.http] upstream sms-gateway failed:", Neither),
            (
                r#"  body: {"error":{"code":"1113","message":"余额不足或无可用资源包,请充值。"}}"#,
                Dropped(Some("other_service")),
            ),
        ],
    },
    Case {
        name: "a clue on the line beats the lines before",
        lines: &[
            (Z_AI_REQUEST, Neither),
            (
                "2025-03-14 09:00:31 ERROR [app.chat] requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://api.ppinfra.com/v3/openai/chat/completions",
                Kept("ppio", "http_429", "status"),
            ),
            (
                "2025-03-14 09:00:33 ERROR [app.chat] VolcengineException: 429 status code (no body)",
                Kept("volcengine", "http_429", "status"),
            ),
            (
                "2025-03-14 09:00:38 ERROR [app.chat] requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://api.openai.com/v1/chat/completions",
                Dropped(Some("other_provider")),
            ),
        ],
    },
    Case {
        name: "another LLM provider's errors are never one of the four's",
        lines: &[
            (Z_AI_REQUEST, Neither),
            (
                "2025-03-14 09:00:31 ERROR [app.chat] openai.RateLimitError: Error code: 429 - {'error': {'code': '1302', 'message': 'Rate limit reached for requests'}}",
                Kept("zhipu", "1302", "code"),
            ),
            (
                "2025-03-14 09:00:38 ERROR [app.chat] openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}",
                Dropped(Some("other_provider")),
            ),
            (
                r#"2025-03-14 09:00:39 INFO [httpx] HTTP Request: POST https://api.deepseek.com/chat/completions "HTTP/1.1 402 Payment Required""#,
                Dropped(Some("other_provider")),
            ),
        ],
    },
    Case {
        name: "a status-only error is counted under http_<status>, ambiguous where rows differ",
        lines: &[
            (PPIO_REQUEST, Neither),
            (
                "2025-03-14 09:00:31 ERROR [app.chat] Error: 429 status code (no body)",
                Kept("ppio", "http_429", "status"),
            ),
            ("2025-03-14 09:00:38 ERROR [app.sms] Error: 429 too many sms", Dropped(Some("message_contradicts"))),
        ],
    },
    Case {
        name: "a status-only error needs a provider",
        lines: &[("2025-03-14 09:00:31 ERROR [app.chat] Error: 429 status code (no body)", Dropped(None))],
    },
    Case {
        name: "a provider whose codes are statuses counts the status as its code",
        lines: &[(
            r#"2025-03-14 09:00:31 INFO [httpx] HTTP Request: POST https://open.bigmodel.cn/api/paas/v4/chat/completions "HTTP/1.1 429 Too Many Requests""#,
            Kept("zhipu", "429", "status"),
        )],
    },
    Case {
        name: "clue strength: a provider field beats a host",
        lines: &[(
            "2025-03-14 09:00:31 ERROR [app] url=https://api.coze.cn/v3/chat channel=zhipu failed: 429 status code (no body)",
            Kept("zhipu", "429", "status"),
        )],
    },
    Case {
        name: "clue strength: a host beats an exception class",
        lines: &[(
            "2025-03-14 09:00:31 ERROR [app] CozeAPIError from https://api.ppinfra.com/v3/openai: 429 status code (no body)",
            Kept("ppio", "http_429", "status"),
        )],
    },
    Case {
        name: "clue strength: an exception class beats a package",
        lines: &[(
            "2025-03-14 09:00:31 ERROR [app] volcenginesdkarkruntime call: CozeAPIError: 429 status code (no body)",
            Kept("coze", "http_429", "status"),
        )],
    },
    Case {
        name: "clue strength: a package beats a model name",
        lines: &[(
            "2025-03-14 09:00:31 ERROR [app] glm-4-plus via volcenginesdkarkruntime failed: 429 status code (no body)",
            Kept("volcengine", "http_429", "status"),
        )],
    },
    Case {
        name: "the lines before: in a source that calls several providers, another call's model names nothing",
        lines: &[
            ("2025-03-14 09:00:28 INFO [app] chat ok model=glm-4-plus tokens=120", Neither),
            ("2025-03-14 09:00:29 INFO [app] chat ok model=doubao-pro-32k tokens=88", Neither),
            ("2025-03-14 09:00:31 ERROR [app] chat failed: 429 status code (no body)", Dropped(None)),
            (PPIO_REQUEST, Neither),
            ("2025-03-14 09:00:33 ERROR [app] chat failed: 429 status code (no body)", Kept("ppio", "http_429", "status")),
        ],
    },
    Case {
        name: "clue strength: a model name beats the lines before",
        lines: &[
            (PPIO_REQUEST, Neither),
            (
                "2025-03-14 09:00:31 ERROR [app] doubao-pro-32k failed: 429 status code (no body)",
                Kept("volcengine", "http_429", "status"),
            ),
        ],
    },
];

struct Scan {
    records: Vec<Value>,
    debug: String,
}

fn scan(case: &Case) -> Scan {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.log");
    let text: String = case.lines.iter().map(|(line, _)| format!("{line}\n")).collect();
    std::fs::write(&path, text).unwrap();
    let out = Command::new(BIN)
        .env("TZ", "UTC")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .args(["--log-level", "debug", "scan", "--format", "jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", case.name, String::from_utf8_lossy(&out.stderr));
    let records =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    Scan { records, debug: String::from_utf8(out.stderr).unwrap() }
}

/// The debug lines saying a rule did not count line `n` of the case's file.
fn dropped_lines(debug: &str, n: usize) -> Vec<&str> {
    debug
        .lines()
        .filter(|l| l.contains("not counted") && l.contains("case.log") && l.contains(&format!(" line={n} ")))
        .collect()
}

#[test]
fn every_rule_keeps_and_drops_what_the_readme_says() {
    let mut failures = Vec::new();
    for case in CASES {
        let scan = scan(case);
        for (i, (_, want)) in case.lines.iter().enumerate() {
            let n = i + 1;
            let found: Vec<&Value> = scan.records.iter().filter(|r| r["line"] == n as u64).collect();
            let logged = dropped_lines(&scan.debug, n);
            let ok = match want {
                Kept(provider, code, evidence) => {
                    found.len() == 1
                        && found[0]["provider"] == *provider
                        && found[0]["code"] == *code
                        && found[0]["evidence"] == *evidence
                }
                Dropped(rule) => {
                    found.is_empty()
                        && match rule {
                            Some(rule) => {
                                logged.len() == 1 && logged[0].contains(&format!("rule=\"{rule}\""))
                            }
                            None => logged.is_empty(),
                        }
                }
                Neither => found.is_empty() && logged.is_empty(),
            };
            if !ok {
                failures.push(format!("{}: line {n}: found {found:?}, logged {logged:?}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The status-only rule's fields: `known: false`, `evidence: "status"`, `ambiguous` where
/// several rows fit, and the category they share.
#[test]
fn status_only_errors_say_so() {
    let case = CASES.iter().find(|c| c.name.starts_with("a status-only error is counted")).unwrap();
    let scan = scan(case);
    let r = &scan.records[0];
    assert_eq!(r["known"], false, "{r}");
    assert_eq!(r["ambiguous"], true, "{r}");
    assert_eq!(r["category"], "rate_limit", "{r}");
    assert_eq!(r["http_status"], 429, "{r}");
}

/// Without `--log-level debug`, nothing of this is on stderr: the rules are not problems.
#[test]
fn the_default_log_level_is_quiet_about_rules() {
    let case = &CASES[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.log");
    std::fs::write(&path, case.lines.iter().map(|(l, _)| format!("{l}\n")).collect::<String>()).unwrap();
    let out = Command::new(BIN).env_remove("RUST_LOG").arg("scan").arg(&path).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Each case's lines are in the README, together and in order: the README's examples are these.
#[test]
fn the_readme_shows_every_case() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let section =
        readme.split("## Attribution rules").nth(1).expect("README has an Attribution rules section");
    let section = section.split("\n## ").next().unwrap();
    let mut missing = Vec::new();
    for case in CASES {
        let block: String = case.lines.iter().map(|(l, _)| format!("{l}\n")).collect();
        if !section.contains(&block) {
            missing.push(case.name);
        }
    }
    assert!(missing.is_empty(), "cases not shown in the README's Attribution rules: {missing:#?}");
}

/// The daemon's debug log says the same, with the followed file's name: a user of `watch` finds
/// out why an error was not counted as a user of `scan` does.
#[test]
fn the_daemon_names_the_rule_file_and_line() {
    let case = &CASES[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.log");
    std::fs::write(&path, case.lines.iter().map(|(l, _)| format!("{l}\n")).collect::<String>()).unwrap();
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(BIN)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .args(["--log-level", "debug", "watch", "--listen", "none", "--from-start", "--print", "jsonl"])
        .args(["--poll-interval", "0.1"])
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let logged = wait_for(Duration::from_secs(10), || {
        let text = std::fs::read_to_string(&err).ok()?;
        text.lines().find(|l| l.contains("not counted")).map(str::to_string)
    });
    let printed = wait_for(Duration::from_secs(10), || {
        let text = std::fs::read_to_string(&out).ok()?;
        (text.lines().count() >= 2).then_some(text)
    });
    let _ = child.kill();
    let _ = child.wait();
    let logged = logged.expect("the daemon logged the dropped line");
    for part in ["app.log", " line=4 ", "rule=\"message_contradicts\""] {
        assert!(logged.contains(part), "{part} not in {logged}");
    }
    let printed = printed.expect("the daemon printed the counted errors");
    let lines: Vec<u64> = printed
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 3], "{printed}");
}
