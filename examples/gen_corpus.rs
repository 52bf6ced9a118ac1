//! Deterministic generator of realistic mixed application logs with a known number of
//! provider errors in them, for errwatch's throughput benchmarks (`benches/compare.sh`).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out FILE --mb N [--dense] [--error-share 0.02] [--seed 42]
//! ```
//!
//! Writes FILE and `FILE.expected.json` (errors in total, per provider and per (provider, code)).
//!
//! Ordinary lines are made up here: Python logging lines, nginx access lines, JSON records,
//! logfmt lines, Python tracebacks that are not provider errors, database errors, Chinese
//! business lines, and successful calls to the four providers (their hosts and model names).
//!
//! Error lines are cut, verbatim but for timestamps and Coze log ids, from the fixtures
//! (`fixtures/logs/sdk`, `fixtures/logs/styles`): each unit in [`UNITS`] is one error's record
//! (a line, a traceback, a pretty-printed body), sometimes with the HTTP client's status line
//! just before it. Its provider and code are read from the fixture's manifest at run time, so
//! the expected counts never come from errwatch itself. The units were chosen (once, offline)
//! as those that errwatch counts exactly once, with the right code, alone and right after any
//! provider's host, model name or `provider=` field: so their count does not depend on where
//! they land in the corpus. Units from the `*-status-only` fixtures are bare HTTP statuses that
//! an SDK exception of the same provider would claim (errwatch's correlation): after one of
//! them, at least [`STATUS_GAP_RECORDS`] ordinary records follow, and `--dense` leaves them out.
//!
//! `--dense`: every line is a provider error (single-line units only, back to back).
//! `--error-share S`: errors per line (default 0.02); a multi-line unit counts all its lines.
//! No dependencies beyond the crate's own: a splitmix64 generator, seeded by `--seed`.
//!
//! `gen_corpus --check FILE.expected.json --report REPORT.json` compares errwatch's
//! `report --format json` with the expected counts (`--counts FILE` instead takes lines
//! `provider code count`, as benches/compare.sh makes from mtail's output): prints `OK ...` or
//! `MISMATCH ...` with recall/precision of the (provider, code) counts, exits 0 or 1.

#![allow(clippy::write_with_newline)] // the generator writes whole lines, newline included

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use regex::Regex;

/// Ordinary records after a status-only unit before the next error (errwatch holds a status
/// for 10 records, waiting for an exception to claim it).
const STATUS_GAP_RECORDS: u32 = 12;

/// Fixture files the units are cut from (log, manifest).
const FIXTURES: &[(&str, &str, &str)] = &[
    (
        "sdk/cozepy-chat-jsonl.log",
        include_str!("../fixtures/logs/sdk/cozepy-chat-jsonl.log"),
        include_str!("../fixtures/logs/sdk/cozepy-chat-jsonl.expect.jsonl"),
    ),
    (
        "sdk/cozepy-chat-logger-error.log",
        include_str!("../fixtures/logs/sdk/cozepy-chat-logger-error.log"),
        include_str!("../fixtures/logs/sdk/cozepy-chat-logger-error.expect.jsonl"),
    ),
    (
        "sdk/cozepy-chat-logging-exception.log",
        include_str!("../fixtures/logs/sdk/cozepy-chat-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/cozepy-chat-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/cozepy-chat-repr.log",
        include_str!("../fixtures/logs/sdk/cozepy-chat-repr.log"),
        include_str!("../fixtures/logs/sdk/cozepy-chat-repr.expect.jsonl"),
    ),
    (
        "sdk/cozepy-sdk-warning.log",
        include_str!("../fixtures/logs/sdk/cozepy-sdk-warning.log"),
        include_str!("../fixtures/logs/sdk/cozepy-sdk-warning.expect.jsonl"),
    ),
    (
        "sdk/cozepy-stream-jsonl.log",
        include_str!("../fixtures/logs/sdk/cozepy-stream-jsonl.log"),
        include_str!("../fixtures/logs/sdk/cozepy-stream-jsonl.expect.jsonl"),
    ),
    (
        "sdk/cozepy-stream-logger-error.log",
        include_str!("../fixtures/logs/sdk/cozepy-stream-logger-error.log"),
        include_str!("../fixtures/logs/sdk/cozepy-stream-logger-error.expect.jsonl"),
    ),
    (
        "sdk/cozepy-stream-logging-exception.log",
        include_str!("../fixtures/logs/sdk/cozepy-stream-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/cozepy-stream-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/cozepy-stream-repr.log",
        include_str!("../fixtures/logs/sdk/cozepy-stream-repr.log"),
        include_str!("../fixtures/logs/sdk/cozepy-stream-repr.expect.jsonl"),
    ),
    (
        "sdk/openai-ark-jsonl.log",
        include_str!("../fixtures/logs/sdk/openai-ark-jsonl.log"),
        include_str!("../fixtures/logs/sdk/openai-ark-jsonl.expect.jsonl"),
    ),
    (
        "sdk/openai-ark-logger-error.log",
        include_str!("../fixtures/logs/sdk/openai-ark-logger-error.log"),
        include_str!("../fixtures/logs/sdk/openai-ark-logger-error.expect.jsonl"),
    ),
    (
        "sdk/openai-ark-logging-exception.log",
        include_str!("../fixtures/logs/sdk/openai-ark-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/openai-ark-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/openai-ark-repr.log",
        include_str!("../fixtures/logs/sdk/openai-ark-repr.log"),
        include_str!("../fixtures/logs/sdk/openai-ark-repr.expect.jsonl"),
    ),
    (
        "sdk/openai-ppio-jsonl.log",
        include_str!("../fixtures/logs/sdk/openai-ppio-jsonl.log"),
        include_str!("../fixtures/logs/sdk/openai-ppio-jsonl.expect.jsonl"),
    ),
    (
        "sdk/openai-ppio-logger-error.log",
        include_str!("../fixtures/logs/sdk/openai-ppio-logger-error.log"),
        include_str!("../fixtures/logs/sdk/openai-ppio-logger-error.expect.jsonl"),
    ),
    (
        "sdk/openai-ppio-logging-exception.log",
        include_str!("../fixtures/logs/sdk/openai-ppio-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/openai-ppio-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/openai-ppio-repr.log",
        include_str!("../fixtures/logs/sdk/openai-ppio-repr.log"),
        include_str!("../fixtures/logs/sdk/openai-ppio-repr.expect.jsonl"),
    ),
    (
        "sdk/openai-zhipu-jsonl.log",
        include_str!("../fixtures/logs/sdk/openai-zhipu-jsonl.log"),
        include_str!("../fixtures/logs/sdk/openai-zhipu-jsonl.expect.jsonl"),
    ),
    (
        "sdk/openai-zhipu-logger-error.log",
        include_str!("../fixtures/logs/sdk/openai-zhipu-logger-error.log"),
        include_str!("../fixtures/logs/sdk/openai-zhipu-logger-error.expect.jsonl"),
    ),
    (
        "sdk/openai-zhipu-logging-exception.log",
        include_str!("../fixtures/logs/sdk/openai-zhipu-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/openai-zhipu-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/openai-zhipu-repr.log",
        include_str!("../fixtures/logs/sdk/openai-zhipu-repr.log"),
        include_str!("../fixtures/logs/sdk/openai-zhipu-repr.expect.jsonl"),
    ),
    (
        "sdk/volcengine-ark-jsonl.log",
        include_str!("../fixtures/logs/sdk/volcengine-ark-jsonl.log"),
        include_str!("../fixtures/logs/sdk/volcengine-ark-jsonl.expect.jsonl"),
    ),
    (
        "sdk/volcengine-ark-logger-error.log",
        include_str!("../fixtures/logs/sdk/volcengine-ark-logger-error.log"),
        include_str!("../fixtures/logs/sdk/volcengine-ark-logger-error.expect.jsonl"),
    ),
    (
        "sdk/volcengine-ark-logging-exception.log",
        include_str!("../fixtures/logs/sdk/volcengine-ark-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/volcengine-ark-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/volcengine-ark-repr.log",
        include_str!("../fixtures/logs/sdk/volcengine-ark-repr.log"),
        include_str!("../fixtures/logs/sdk/volcengine-ark-repr.expect.jsonl"),
    ),
    (
        "sdk/zai-sdk-jsonl.log",
        include_str!("../fixtures/logs/sdk/zai-sdk-jsonl.log"),
        include_str!("../fixtures/logs/sdk/zai-sdk-jsonl.expect.jsonl"),
    ),
    (
        "sdk/zai-sdk-logger-error.log",
        include_str!("../fixtures/logs/sdk/zai-sdk-logger-error.log"),
        include_str!("../fixtures/logs/sdk/zai-sdk-logger-error.expect.jsonl"),
    ),
    (
        "sdk/zai-sdk-logging-exception.log",
        include_str!("../fixtures/logs/sdk/zai-sdk-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/zai-sdk-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/zai-sdk-repr.log",
        include_str!("../fixtures/logs/sdk/zai-sdk-repr.log"),
        include_str!("../fixtures/logs/sdk/zai-sdk-repr.expect.jsonl"),
    ),
    (
        "sdk/zhipuai-jsonl.log",
        include_str!("../fixtures/logs/sdk/zhipuai-jsonl.log"),
        include_str!("../fixtures/logs/sdk/zhipuai-jsonl.expect.jsonl"),
    ),
    (
        "sdk/zhipuai-logger-error.log",
        include_str!("../fixtures/logs/sdk/zhipuai-logger-error.log"),
        include_str!("../fixtures/logs/sdk/zhipuai-logger-error.expect.jsonl"),
    ),
    (
        "sdk/zhipuai-logging-exception.log",
        include_str!("../fixtures/logs/sdk/zhipuai-logging-exception.log"),
        include_str!("../fixtures/logs/sdk/zhipuai-logging-exception.expect.jsonl"),
    ),
    (
        "sdk/zhipuai-repr.log",
        include_str!("../fixtures/logs/sdk/zhipuai-repr.log"),
        include_str!("../fixtures/logs/sdk/zhipuai-repr.expect.jsonl"),
    ),
    (
        "styles/coze-json-escaped.log",
        include_str!("../fixtures/logs/styles/coze-json-escaped.log"),
        include_str!("../fixtures/logs/styles/coze-json-escaped.expect.jsonl"),
    ),
    (
        "styles/coze-logfmt.log",
        include_str!("../fixtures/logs/styles/coze-logfmt.log"),
        include_str!("../fixtures/logs/styles/coze-logfmt.expect.jsonl"),
    ),
    (
        "styles/coze-pretty.log",
        include_str!("../fixtures/logs/styles/coze-pretty.log"),
        include_str!("../fixtures/logs/styles/coze-pretty.expect.jsonl"),
    ),
    (
        "styles/coze-raw.log",
        include_str!("../fixtures/logs/styles/coze-raw.log"),
        include_str!("../fixtures/logs/styles/coze-raw.expect.jsonl"),
    ),
    (
        "styles/coze-sse.log",
        include_str!("../fixtures/logs/styles/coze-sse.log"),
        include_str!("../fixtures/logs/styles/coze-sse.expect.jsonl"),
    ),
    (
        "styles/ppio-json-escaped.log",
        include_str!("../fixtures/logs/styles/ppio-json-escaped.log"),
        include_str!("../fixtures/logs/styles/ppio-json-escaped.expect.jsonl"),
    ),
    (
        "styles/ppio-logfmt.log",
        include_str!("../fixtures/logs/styles/ppio-logfmt.log"),
        include_str!("../fixtures/logs/styles/ppio-logfmt.expect.jsonl"),
    ),
    (
        "styles/ppio-pretty.log",
        include_str!("../fixtures/logs/styles/ppio-pretty.log"),
        include_str!("../fixtures/logs/styles/ppio-pretty.expect.jsonl"),
    ),
    (
        "styles/ppio-raw.log",
        include_str!("../fixtures/logs/styles/ppio-raw.log"),
        include_str!("../fixtures/logs/styles/ppio-raw.expect.jsonl"),
    ),
    (
        "styles/ppio-sse.log",
        include_str!("../fixtures/logs/styles/ppio-sse.log"),
        include_str!("../fixtures/logs/styles/ppio-sse.expect.jsonl"),
    ),
    (
        "styles/volcengine-json-escaped.log",
        include_str!("../fixtures/logs/styles/volcengine-json-escaped.log"),
        include_str!("../fixtures/logs/styles/volcengine-json-escaped.expect.jsonl"),
    ),
    (
        "styles/volcengine-logfmt.log",
        include_str!("../fixtures/logs/styles/volcengine-logfmt.log"),
        include_str!("../fixtures/logs/styles/volcengine-logfmt.expect.jsonl"),
    ),
    (
        "styles/volcengine-pretty.log",
        include_str!("../fixtures/logs/styles/volcengine-pretty.log"),
        include_str!("../fixtures/logs/styles/volcengine-pretty.expect.jsonl"),
    ),
    (
        "styles/volcengine-raw.log",
        include_str!("../fixtures/logs/styles/volcengine-raw.log"),
        include_str!("../fixtures/logs/styles/volcengine-raw.expect.jsonl"),
    ),
    (
        "styles/volcengine-sse.log",
        include_str!("../fixtures/logs/styles/volcengine-sse.log"),
        include_str!("../fixtures/logs/styles/volcengine-sse.expect.jsonl"),
    ),
    (
        "styles/volcengine-status-only.log",
        include_str!("../fixtures/logs/styles/volcengine-status-only.log"),
        include_str!("../fixtures/logs/styles/volcengine-status-only.expect.jsonl"),
    ),
    (
        "styles/zhipu-json-escaped.log",
        include_str!("../fixtures/logs/styles/zhipu-json-escaped.log"),
        include_str!("../fixtures/logs/styles/zhipu-json-escaped.expect.jsonl"),
    ),
    (
        "styles/zhipu-logfmt.log",
        include_str!("../fixtures/logs/styles/zhipu-logfmt.log"),
        include_str!("../fixtures/logs/styles/zhipu-logfmt.expect.jsonl"),
    ),
    (
        "styles/zhipu-pretty.log",
        include_str!("../fixtures/logs/styles/zhipu-pretty.log"),
        include_str!("../fixtures/logs/styles/zhipu-pretty.expect.jsonl"),
    ),
    (
        "styles/zhipu-raw.log",
        include_str!("../fixtures/logs/styles/zhipu-raw.log"),
        include_str!("../fixtures/logs/styles/zhipu-raw.expect.jsonl"),
    ),
    (
        "styles/zhipu-sse.log",
        include_str!("../fixtures/logs/styles/zhipu-sse.log"),
        include_str!("../fixtures/logs/styles/zhipu-sse.expect.jsonl"),
    ),
    (
        "styles/zhipu-status-only.log",
        include_str!("../fixtures/logs/styles/zhipu-status-only.log"),
        include_str!("../fixtures/logs/styles/zhipu-status-only.expect.jsonl"),
    ),
];

/// (fixture, first line, last line, error line, manifest entry); lines 1-based.
const UNITS: &[(u8, u32, u32, u32, u16)] = &[
    (0, 3, 3, 3, 0),
    (0, 4, 4, 4, 1),
    (0, 5, 5, 5, 2),
    (0, 7, 7, 7, 3),
    (0, 9, 9, 9, 4),
    (0, 10, 10, 10, 5),
    (0, 12, 12, 12, 6),
    (0, 13, 13, 13, 7),
    (0, 15, 15, 15, 8),
    (0, 17, 17, 17, 9),
    (0, 18, 18, 18, 10),
    (0, 19, 19, 19, 11),
    (0, 21, 21, 21, 12),
    (0, 23, 23, 23, 13),
    (0, 25, 25, 25, 14),
    (0, 28, 28, 28, 15),
    (1, 5, 5, 5, 0),
    (1, 8, 8, 8, 1),
    (1, 10, 10, 10, 2),
    (1, 14, 14, 14, 3),
    (1, 17, 17, 17, 4),
    (1, 19, 19, 19, 5),
    (1, 23, 23, 23, 6),
    (1, 25, 25, 25, 7),
    (1, 27, 27, 27, 8),
    (1, 31, 31, 31, 9),
    (1, 33, 33, 33, 10),
    (1, 36, 36, 36, 11),
    (1, 41, 41, 41, 12),
    (1, 44, 44, 44, 13),
    (1, 46, 46, 46, 14),
    (1, 50, 50, 50, 15),
    (2, 5, 26, 26, 0),
    (2, 29, 50, 50, 1),
    (2, 52, 73, 73, 2),
    (2, 77, 98, 98, 3),
    (2, 100, 121, 121, 4),
    (2, 124, 145, 145, 5),
    (2, 149, 170, 170, 6),
    (2, 172, 193, 193, 7),
    (2, 195, 216, 216, 8),
    (2, 220, 241, 241, 9),
    (2, 244, 265, 265, 10),
    (2, 268, 289, 289, 11),
    (2, 294, 315, 315, 12),
    (2, 318, 339, 339, 13),
    (2, 341, 362, 362, 14),
    (2, 366, 387, 387, 15),
    (3, 3, 3, 3, 0),
    (3, 5, 5, 5, 1),
    (3, 6, 6, 6, 2),
    (3, 8, 8, 8, 3),
    (3, 10, 10, 10, 4),
    (3, 12, 12, 12, 5),
    (3, 14, 14, 14, 6),
    (3, 15, 15, 15, 7),
    (3, 17, 17, 17, 8),
    (3, 19, 19, 19, 9),
    (3, 21, 21, 21, 10),
    (3, 22, 22, 22, 11),
    (3, 24, 24, 24, 12),
    (3, 25, 25, 25, 13),
    (3, 26, 26, 26, 14),
    (3, 28, 28, 28, 15),
    (4, 1, 1, 1, 0),
    (4, 2, 2, 2, 1),
    (4, 3, 3, 3, 2),
    (4, 4, 4, 4, 3),
    (4, 5, 5, 5, 4),
    (4, 6, 6, 6, 5),
    (4, 7, 7, 7, 6),
    (4, 8, 8, 8, 7),
    (4, 9, 9, 9, 8),
    (4, 10, 10, 10, 9),
    (4, 11, 11, 11, 10),
    (4, 12, 12, 12, 11),
    (4, 13, 13, 13, 12),
    (4, 14, 14, 14, 13),
    (4, 15, 15, 15, 14),
    (4, 16, 16, 16, 15),
    (5, 3, 3, 3, 0),
    (5, 5, 5, 5, 1),
    (5, 6, 6, 6, 2),
    (5, 8, 8, 8, 3),
    (5, 9, 9, 9, 4),
    (5, 10, 10, 10, 5),
    (5, 12, 12, 12, 6),
    (5, 13, 13, 13, 7),
    (5, 15, 15, 15, 8),
    (5, 17, 17, 17, 9),
    (5, 18, 18, 18, 10),
    (5, 20, 20, 20, 11),
    (6, 5, 5, 5, 0),
    (6, 8, 8, 8, 1),
    (6, 10, 10, 10, 2),
    (6, 14, 14, 14, 3),
    (6, 16, 16, 16, 4),
    (6, 18, 18, 18, 5),
    (6, 22, 22, 22, 6),
    (6, 24, 24, 24, 7),
    (6, 26, 26, 26, 8),
    (6, 31, 31, 31, 9),
    (6, 33, 33, 33, 10),
    (6, 35, 35, 35, 11),
    (7, 5, 17, 17, 0),
    (7, 20, 41, 41, 1),
    (7, 44, 56, 56, 2),
    (7, 60, 72, 72, 3),
    (7, 74, 95, 95, 4),
    (7, 98, 110, 110, 5),
    (7, 114, 126, 126, 6),
    (7, 128, 140, 140, 7),
    (7, 142, 163, 163, 8),
    (7, 167, 179, 179, 9),
    (7, 181, 193, 193, 10),
    (7, 196, 217, 217, 11),
    (8, 3, 3, 3, 0),
    (8, 4, 4, 4, 1),
    (8, 5, 5, 5, 2),
    (8, 7, 7, 7, 3),
    (8, 8, 8, 8, 4),
    (8, 10, 10, 10, 5),
    (8, 13, 13, 13, 6),
    (8, 14, 14, 14, 7),
    (8, 15, 15, 15, 8),
    (8, 17, 17, 17, 9),
    (8, 19, 19, 19, 10),
    (8, 20, 20, 20, 11),
    (9, 4, 4, 4, 0),
    (9, 6, 6, 6, 1),
    (9, 7, 7, 7, 2),
    (9, 10, 10, 10, 3),
    (9, 11, 11, 11, 4),
    (9, 13, 13, 13, 5),
    (9, 15, 15, 15, 6),
    (9, 17, 17, 17, 7),
    (9, 18, 18, 18, 8),
    (9, 20, 20, 20, 9),
    (9, 22, 22, 22, 10),
    (9, 23, 23, 23, 11),
    (9, 25, 25, 25, 12),
    (9, 27, 27, 27, 13),
    (10, 4, 5, 5, 0),
    (10, 7, 8, 8, 1),
    (10, 10, 11, 11, 2),
    (10, 15, 16, 16, 3),
    (10, 18, 19, 19, 4),
    (10, 20, 21, 21, 5),
    (10, 24, 25, 25, 6),
    (10, 26, 27, 27, 7),
    (10, 28, 29, 29, 8),
    (10, 32, 33, 33, 9),
    (10, 34, 35, 35, 10),
    (10, 36, 37, 37, 11),
    (10, 40, 41, 41, 12),
    (10, 43, 44, 44, 13),
    (11, 4, 23, 23, 0),
    (11, 25, 44, 44, 1),
    (11, 45, 64, 64, 2),
    (11, 67, 86, 86, 3),
    (11, 87, 106, 106, 4),
    (11, 108, 127, 127, 5),
    (11, 131, 150, 150, 6),
    (11, 151, 170, 170, 7),
    (11, 172, 191, 191, 8),
    (11, 194, 213, 213, 9),
    (11, 214, 233, 233, 10),
    (11, 235, 254, 254, 11),
    (11, 257, 276, 276, 12),
    (11, 277, 296, 296, 13),
    (12, 3, 3, 3, 0),
    (12, 4, 4, 4, 1),
    (12, 5, 5, 5, 2),
    (12, 7, 7, 7, 3),
    (12, 9, 9, 9, 4),
    (12, 10, 10, 10, 5),
    (12, 12, 12, 12, 6),
    (12, 13, 13, 13, 7),
    (12, 14, 14, 14, 8),
    (12, 17, 17, 17, 9),
    (12, 19, 19, 19, 10),
    (12, 21, 21, 21, 11),
    (12, 24, 24, 24, 12),
    (12, 25, 25, 25, 13),
    (13, 4, 4, 4, 0),
    (13, 6, 6, 6, 1),
    (13, 7, 7, 7, 2),
    (13, 9, 9, 9, 3),
    (13, 10, 10, 10, 4),
    (13, 11, 11, 11, 5),
    (13, 13, 13, 13, 6),
    (13, 14, 14, 14, 7),
    (13, 15, 15, 15, 8),
    (13, 17, 17, 17, 9),
    (14, 4, 5, 5, 0),
    (14, 6, 7, 7, 1),
    (14, 8, 9, 9, 2),
    (14, 12, 13, 13, 3),
    (14, 14, 15, 15, 4),
    (14, 16, 17, 17, 5),
    (14, 20, 21, 21, 6),
    (14, 22, 23, 23, 7),
    (14, 24, 25, 25, 8),
    (14, 28, 29, 29, 9),
    (15, 5, 24, 24, 0),
    (15, 25, 44, 44, 1),
    (15, 46, 65, 65, 2),
    (15, 68, 87, 87, 3),
    (15, 88, 107, 107, 4),
    (15, 109, 128, 128, 5),
    (15, 132, 151, 151, 6),
    (15, 153, 172, 172, 7),
    (15, 173, 192, 192, 8),
    (15, 195, 214, 214, 9),
    (16, 3, 3, 3, 0),
    (16, 4, 4, 4, 1),
    (16, 5, 5, 5, 2),
    (16, 8, 8, 8, 3),
    (16, 10, 10, 10, 4),
    (16, 11, 11, 11, 5),
    (16, 13, 13, 13, 6),
    (16, 14, 14, 14, 7),
    (16, 15, 15, 15, 8),
    (16, 18, 18, 18, 9),
    (17, 4, 4, 4, 0),
    (17, 6, 6, 6, 1),
    (17, 8, 8, 8, 2),
    (17, 11, 11, 11, 3),
    (17, 13, 13, 13, 4),
    (17, 14, 14, 14, 5),
    (17, 17, 17, 17, 6),
    (17, 19, 19, 19, 7),
    (17, 21, 21, 21, 8),
    (17, 24, 24, 24, 9),
    (18, 5, 6, 6, 0),
    (18, 7, 8, 8, 1),
    (18, 9, 10, 10, 2),
    (18, 13, 14, 14, 3),
    (18, 15, 16, 16, 4),
    (18, 17, 18, 18, 5),
    (18, 22, 23, 23, 6),
    (18, 25, 26, 26, 7),
    (18, 27, 28, 28, 8),
    (18, 31, 32, 32, 9),
    (19, 4, 23, 23, 0),
    (19, 24, 43, 43, 1),
    (19, 45, 64, 64, 2),
    (19, 68, 87, 87, 3),
    (19, 88, 107, 107, 4),
    (19, 108, 127, 127, 5),
    (19, 130, 149, 149, 6),
    (19, 150, 169, 169, 7),
    (19, 170, 189, 189, 8),
    (19, 192, 211, 211, 9),
    (20, 3, 3, 3, 0),
    (20, 4, 4, 4, 1),
    (20, 5, 5, 5, 2),
    (20, 7, 7, 7, 3),
    (20, 8, 8, 8, 4),
    (20, 10, 10, 10, 5),
    (20, 13, 13, 13, 6),
    (20, 14, 14, 14, 7),
    (20, 15, 15, 15, 8),
    (20, 17, 17, 17, 9),
    (21, 4, 4, 4, 0),
    (21, 5, 5, 5, 1),
    (21, 7, 7, 7, 2),
    (21, 9, 9, 9, 3),
    (21, 10, 10, 10, 4),
    (21, 12, 12, 12, 5),
    (21, 15, 15, 15, 6),
    (21, 16, 16, 16, 7),
    (21, 17, 17, 17, 8),
    (21, 20, 20, 20, 9),
    (21, 22, 22, 22, 10),
    (21, 24, 24, 24, 11),
    (21, 26, 26, 26, 12),
    (21, 28, 28, 28, 13),
    (21, 30, 30, 30, 14),
    (21, 32, 32, 32, 15),
    (22, 4, 5, 5, 0),
    (22, 7, 8, 8, 1),
    (22, 9, 10, 10, 2),
    (22, 14, 15, 15, 3),
    (22, 16, 17, 17, 4),
    (22, 19, 20, 20, 5),
    (22, 23, 24, 24, 6),
    (22, 25, 26, 26, 7),
    (22, 27, 28, 28, 8),
    (22, 32, 33, 33, 9),
    (22, 35, 36, 36, 10),
    (22, 37, 38, 38, 11),
    (22, 41, 42, 42, 12),
    (22, 43, 44, 44, 13),
    (22, 45, 46, 46, 14),
    (22, 49, 50, 50, 15),
    (23, 5, 30, 30, 0),
    (23, 31, 56, 56, 1),
    (23, 57, 82, 82, 2),
    (23, 86, 111, 111, 3),
    (23, 112, 137, 137, 4),
    (23, 138, 163, 163, 5),
    (23, 166, 191, 191, 6),
    (23, 193, 218, 218, 7),
    (23, 219, 244, 244, 8),
    (23, 247, 272, 272, 9),
    (23, 273, 298, 298, 10),
    (23, 299, 324, 324, 11),
    (23, 327, 352, 352, 12),
    (23, 354, 379, 379, 13),
    (23, 380, 405, 405, 14),
    (23, 409, 434, 434, 15),
    (24, 3, 3, 3, 0),
    (24, 4, 4, 4, 1),
    (24, 6, 6, 6, 2),
    (24, 9, 9, 9, 3),
    (24, 11, 11, 11, 4),
    (24, 12, 12, 12, 5),
    (24, 14, 14, 14, 6),
    (24, 15, 15, 15, 7),
    (24, 16, 16, 16, 8),
    (24, 18, 18, 18, 9),
    (24, 19, 19, 19, 10),
    (24, 20, 20, 20, 11),
    (24, 23, 23, 23, 12),
    (24, 24, 24, 24, 13),
    (24, 25, 25, 25, 14),
    (24, 27, 27, 27, 15),
    (25, 4, 4, 4, 0),
    (25, 5, 5, 5, 1),
    (25, 6, 6, 6, 2),
    (25, 9, 9, 9, 3),
    (25, 10, 10, 10, 4),
    (25, 11, 11, 11, 5),
    (25, 14, 14, 14, 6),
    (25, 15, 15, 15, 7),
    (25, 16, 16, 16, 8),
    (25, 18, 18, 18, 9),
    (25, 20, 20, 20, 10),
    (25, 22, 22, 22, 11),
    (25, 24, 24, 24, 12),
    (25, 25, 25, 25, 13),
    (26, 4, 5, 5, 0),
    (26, 7, 8, 8, 1),
    (26, 9, 10, 10, 2),
    (26, 13, 14, 14, 3),
    (26, 15, 16, 16, 4),
    (26, 17, 18, 18, 5),
    (26, 22, 23, 23, 6),
    (26, 25, 26, 26, 7),
    (26, 27, 28, 28, 8),
    (26, 32, 33, 33, 9),
    (26, 35, 36, 36, 10),
    (26, 38, 39, 39, 11),
    (26, 43, 44, 44, 12),
    (26, 45, 46, 46, 13),
    (27, 4, 23, 23, 0),
    (27, 24, 43, 43, 1),
    (27, 45, 64, 64, 2),
    (27, 67, 86, 86, 3),
    (27, 87, 106, 106, 4),
    (27, 107, 126, 126, 5),
    (27, 130, 149, 149, 6),
    (27, 150, 169, 169, 7),
    (27, 170, 189, 189, 8),
    (27, 192, 211, 211, 9),
    (27, 212, 231, 231, 10),
    (27, 233, 252, 252, 11),
    (27, 256, 275, 275, 12),
    (27, 277, 296, 296, 13),
    (28, 3, 3, 3, 0),
    (28, 5, 5, 5, 1),
    (28, 7, 7, 7, 2),
    (28, 9, 9, 9, 3),
    (28, 10, 10, 10, 4),
    (28, 11, 11, 11, 5),
    (28, 13, 13, 13, 6),
    (28, 14, 14, 14, 7),
    (28, 15, 15, 15, 8),
    (28, 17, 17, 17, 9),
    (28, 19, 19, 19, 10),
    (28, 20, 20, 20, 11),
    (28, 23, 23, 23, 12),
    (28, 25, 25, 25, 13),
    (29, 3, 3, 3, 0),
    (29, 5, 5, 5, 1),
    (29, 6, 6, 6, 2),
    (29, 8, 8, 8, 3),
    (29, 10, 10, 10, 4),
    (29, 12, 12, 12, 5),
    (29, 15, 15, 15, 6),
    (29, 16, 16, 16, 7),
    (29, 17, 17, 17, 8),
    (29, 19, 19, 19, 9),
    (29, 20, 20, 20, 10),
    (29, 22, 22, 22, 11),
    (29, 25, 25, 25, 12),
    (29, 26, 26, 26, 13),
    (29, 28, 28, 28, 14),
    (29, 30, 30, 30, 15),
    (29, 32, 32, 32, 16),
    (29, 33, 33, 33, 17),
    (30, 4, 5, 5, 0),
    (30, 6, 7, 7, 1),
    (30, 8, 9, 9, 2),
    (30, 12, 13, 13, 3),
    (30, 15, 16, 16, 4),
    (30, 17, 18, 18, 5),
    (30, 22, 23, 23, 6),
    (30, 24, 25, 25, 7),
    (30, 27, 28, 28, 8),
    (30, 32, 33, 33, 9),
    (30, 34, 35, 35, 10),
    (30, 36, 37, 37, 11),
    (30, 40, 41, 41, 12),
    (30, 42, 43, 43, 13),
    (30, 44, 45, 45, 14),
    (30, 48, 49, 49, 15),
    (30, 51, 52, 52, 16),
    (30, 54, 55, 55, 17),
    (31, 4, 23, 23, 0),
    (31, 24, 43, 43, 1),
    (31, 44, 63, 63, 2),
    (31, 66, 85, 85, 3),
    (31, 86, 105, 105, 4),
    (31, 106, 125, 125, 5),
    (31, 128, 147, 147, 6),
    (31, 149, 168, 168, 7),
    (31, 169, 188, 188, 8),
    (31, 192, 211, 211, 9),
    (31, 212, 231, 231, 10),
    (31, 232, 251, 251, 11),
    (31, 254, 273, 273, 12),
    (31, 274, 293, 293, 13),
    (31, 295, 314, 314, 14),
    (31, 317, 336, 336, 15),
    (31, 337, 356, 356, 16),
    (31, 357, 376, 376, 17),
    (32, 4, 4, 4, 0),
    (32, 5, 5, 5, 1),
    (32, 6, 6, 6, 2),
    (32, 8, 8, 8, 3),
    (32, 9, 9, 9, 4),
    (32, 10, 10, 10, 5),
    (32, 13, 13, 13, 6),
    (32, 15, 15, 15, 7),
    (32, 16, 16, 16, 8),
    (32, 19, 19, 19, 9),
    (32, 20, 20, 20, 10),
    (32, 22, 22, 22, 11),
    (32, 25, 25, 25, 12),
    (32, 26, 26, 26, 13),
    (32, 28, 28, 28, 14),
    (32, 30, 30, 30, 15),
    (32, 31, 31, 31, 16),
    (32, 32, 32, 32, 17),
    (33, 3, 3, 3, 0),
    (33, 4, 4, 4, 1),
    (33, 6, 6, 6, 2),
    (33, 7, 7, 7, 3),
    (33, 8, 8, 8, 4),
    (34, 2, 2, 2, 0),
    (34, 4, 4, 4, 1),
    (34, 5, 5, 5, 2),
    (34, 6, 6, 6, 3),
    (34, 8, 8, 8, 4),
    (35, 2, 8, 3, 0),
    (35, 10, 13, 12, 1),
    (35, 15, 18, 16, 2),
    (36, 3, 3, 3, 0),
    (36, 5, 5, 5, 1),
    (36, 6, 6, 6, 2),
    (36, 8, 8, 8, 3),
    (36, 9, 9, 9, 4),
    (36, 10, 10, 10, 5),
    (37, 5, 5, 5, 0),
    (37, 13, 14, 13, 1),
    (37, 15, 17, 16, 2),
    (37, 19, 20, 19, 3),
    (38, 2, 2, 2, 0),
    (38, 3, 3, 3, 1),
    (38, 5, 5, 5, 2),
    (38, 8, 8, 8, 4),
    (39, 2, 2, 2, 0),
    (39, 3, 3, 3, 1),
    (39, 5, 5, 5, 2),
    (39, 6, 6, 6, 3),
    (39, 8, 8, 8, 4),
    (39, 9, 9, 9, 5),
    (40, 2, 7, 4, 0),
    (40, 9, 14, 11, 1),
    (40, 16, 23, 18, 2),
    (41, 3, 3, 3, 0),
    (41, 4, 4, 4, 1),
    (41, 6, 6, 6, 2),
    (41, 7, 7, 7, 3),
    (41, 9, 9, 9, 4),
    (41, 11, 11, 11, 6),
    (42, 4, 4, 4, 0),
    (42, 10, 11, 10, 1),
    (42, 15, 15, 15, 2),
    (43, 2, 2, 2, 0),
    (43, 4, 4, 4, 1),
    (43, 5, 5, 5, 2),
    (43, 7, 7, 7, 3),
    (43, 8, 8, 8, 4),
    (43, 9, 9, 9, 5),
    (44, 2, 2, 2, 0),
    (44, 3, 3, 3, 1),
    (44, 5, 5, 5, 2),
    (44, 6, 6, 6, 3),
    (44, 8, 8, 8, 4),
    (45, 2, 9, 4, 0),
    (45, 11, 18, 16, 1),
    (45, 20, 27, 22, 2),
    (46, 2, 2, 2, 0),
    (46, 4, 4, 4, 1),
    (46, 5, 5, 5, 2),
    (46, 7, 7, 7, 3),
    (46, 8, 8, 8, 4),
    (46, 9, 9, 9, 5),
    (47, 3, 3, 3, 0),
    (47, 9, 10, 9, 1),
    (47, 14, 14, 14, 2),
    (48, 3, 3, 3, 0),
    (49, 2, 2, 2, 0),
    (49, 4, 4, 4, 1),
    (49, 5, 5, 5, 2),
    (49, 7, 7, 7, 3),
    (49, 8, 8, 8, 4),
    (49, 9, 9, 9, 5),
    (49, 10, 10, 10, 6),
    (49, 12, 12, 12, 7),
    (50, 2, 2, 2, 0),
    (50, 4, 4, 4, 1),
    (50, 5, 5, 5, 2),
    (50, 6, 6, 6, 3),
    (50, 8, 8, 8, 4),
    (50, 9, 9, 9, 5),
    (50, 10, 10, 10, 6),
    (51, 2, 7, 4, 0),
    (51, 9, 14, 12, 1),
    (51, 15, 20, 17, 2),
    (51, 22, 27, 24, 3),
    (52, 4, 5, 5, 0),
    (52, 7, 7, 7, 1),
    (52, 8, 9, 8, 2),
    (52, 11, 11, 11, 3),
    (52, 12, 12, 12, 4),
    (52, 14, 14, 14, 5),
    (52, 15, 15, 15, 6),
    (52, 16, 16, 16, 7),
    (52, 17, 17, 17, 8),
    (53, 4, 4, 4, 0),
    (53, 11, 12, 11, 1),
    (53, 16, 16, 16, 2),
    (54, 2, 2, 2, 0),
    (54, 4, 4, 4, 1),
    (54, 5, 6, 6, 2),
    (54, 7, 7, 7, 3),
    (54, 9, 9, 9, 4),
    (54, 10, 10, 10, 5),
    (54, 13, 13, 13, 6),
    (54, 14, 14, 14, 7),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A piece of a unit's line: text, or a field filled at write time.
#[derive(Clone)]
enum Piece {
    Text(String),
    /// `2026-11-02`
    Date,
    /// `2026/11/02`
    SlashDate,
    /// `10:00:04`
    Time,
    /// Coze's `20261102100005307412BCF9EC942196D9`.
    Logid,
}

struct Unit {
    provider: String,
    code: String,
    status_only: bool,
    lines: Vec<Vec<Piece>>,
    src: String,
}

fn pieces(line: &str, re: &Regex) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for c in re.captures_iter(line) {
        let m = c.get(0).expect("match");
        out.push(Piece::Text(line[at..m.start()].to_string()));
        if let Some(sep) = c.name("sep") {
            out.push(Piece::Date);
            out.push(Piece::Text(sep.as_str().to_string()));
            out.push(Piece::Time);
        } else if c.name("slash").is_some() {
            out.push(Piece::SlashDate);
            out.push(Piece::Text(" ".to_string()));
            out.push(Piece::Time);
        } else {
            out.push(Piece::Text(c["key"].to_string()));
            out.push(Piece::Logid);
        }
        at = m.end();
    }
    out.push(Piece::Text(line[at..].to_string()));
    out.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    out
}

/// Cuts the units out of the fixtures and labels them from the manifests.
fn load_units() -> Result<Vec<Unit>, String> {
    let re = Regex::new(
        r#"2026-11-02(?P<sep>[ T])\d\d:\d\d:\d\d|(?P<slash>2026/11/02 \d\d:\d\d:\d\d)|(?P<key>logid["':= ]+)2026110\d{7}[0-9A-F]{20}\b"#,
    )
    .expect("template regex");
    let mut units = Vec::with_capacity(UNITS.len());
    for &(f, first, last, err_line, entry) in UNITS {
        let (name, log, manifest) = FIXTURES[f as usize];
        let lines: Vec<&str> = log.lines().collect();
        let entries: Vec<serde_json::Value> = manifest
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| format!("{name} manifest: {e}")))
            .collect::<Result<_, _>>()?;
        let e =
            entries.get(entry as usize).ok_or_else(|| format!("{name}: manifest has no entry {entry}"))?;
        if let Some(l) = e.get("line").and_then(|l| l.as_u64()) {
            if l != err_line as u64 {
                return Err(format!("{name}: manifest entry {entry} is on line {l}, not {err_line}: fixtures changed, re-derive UNITS"));
            }
        }
        if first < 1 || last as usize > lines.len() || first > err_line || err_line > last {
            return Err(format!("{name}: lines {first}..{last} out of range: fixtures changed"));
        }
        let field = |k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let (Some(provider), Some(code)) = (field("provider"), field("code")) else {
            return Err(format!("{name}: manifest entry {entry} lacks provider/code"));
        };
        units.push(Unit {
            provider,
            code,
            status_only: name.contains("status-only"),
            lines: lines[first as usize - 1..last as usize].iter().map(|l| pieces(l, &re)).collect(),
            src: format!("{name}:{err_line}"),
        });
    }
    Ok(units)
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The corpus's clock: milliseconds since the epoch, moving forward a little at each line.
struct Clock {
    ms: i64,
    date: String,
    slash: String,
    nginx_date: String,
    day: i64,
}

impl Clock {
    fn new() -> Clock {
        // 2026-11-02T08:00:00Z
        let mut c = Clock {
            ms: 1_793_606_400_000,
            date: String::new(),
            slash: String::new(),
            nginx_date: String::new(),
            day: -1,
        };
        c.refresh();
        c
    }
    fn advance(&mut self, rng: &mut Rng) {
        self.ms += rng.below(40) as i64;
        self.refresh();
    }
    fn refresh(&mut self) {
        let day = self.ms.div_euclid(86_400_000);
        if day != self.day {
            self.day = day;
            let (y, m, d) = errwatch::timestamp::civil_from_days(day);
            self.date = format!("{y:04}-{m:02}-{d:02}");
            self.slash = format!("{y:04}/{m:02}/{d:02}");
            self.nginx_date = format!("{d:02}/{}/{y:04}", MONTHS[m as usize - 1]);
        }
    }
    fn hms(&self) -> (u32, u32, u32, u32) {
        let t = self.ms.rem_euclid(86_400_000);
        ((t / 3_600_000) as u32, (t / 60_000 % 60) as u32, (t / 1000 % 60) as u32, (t % 1000) as u32)
    }
    fn time(&self, out: &mut String) {
        let (h, m, s, _) = self.hms();
        let _ = write!(out, "{h:02}:{m:02}:{s:02}");
    }
    /// `2026-11-02 10:00:04,063`
    fn python(&self, out: &mut String) {
        let (h, m, s, ms) = self.hms();
        let _ = write!(out, "{} {h:02}:{m:02}:{s:02},{ms:03}", self.date);
    }
    /// `2026-11-02T10:00:04.063Z`
    fn iso(&self, out: &mut String) {
        let (h, m, s, ms) = self.hms();
        let _ = write!(out, "{}T{h:02}:{m:02}:{s:02}.{ms:03}Z", self.date);
    }
    /// `02/Nov/2026:10:00:04 +0800` (the clock is UTC; nginx prints local time)
    fn nginx(&self, out: &mut String) {
        let (h, m, s, _) = self.hms();
        let _ = write!(out, "{}:{h:02}:{m:02}:{s:02} +0000", self.nginx_date);
    }
    /// `2026-11-02 10:00:04.063` (Spring Boot)
    fn spring(&self, out: &mut String) {
        let (h, m, s, ms) = self.hms();
        let _ = write!(out, "{} {h:02}:{m:02}:{s:02}.{ms:03}", self.date);
    }
}

const PATHS: &[&str] = &[
    "/api/v1/assist",
    "/api/v1/orders",
    "/api/v2/orders/{id}",
    "/api/v3/inventory/{id}",
    "/v1/users/{id}/profile",
    "/static/js/app.{hex}.js",
    "/healthz",
    "/metrics",
    "/api/v1/search?q=%E6%89%8B%E6%9C%BA&page={n}",
    "/login",
    "/api/v1/cart/{id}/items",
    "/api/v2/payments/notify",
];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49",
    "kube-probe/1.30", "python-httpx/0.27.2", "curl/8.5.0", "okhttp/4.12.0",
];
const CN: &[&str] = &[
    "用户 {uid} 下单成功，订单号 {oid}，金额 {amt} 元",
    "支付回调超时，第 {n} 次重试，订单号 {oid}",
    "库存同步完成，共 {n} 条记录，耗时 {ms} 毫秒",
    "用户 {uid} 登录成功，来源 微信小程序",
    "优惠券 {hex} 已过期，用户 {uid} 无法使用",
    "定时任务【每日对账】开始执行，批次 {n}",
    "短信验证码发送成功，手机号 138****{n4}",
    "商品 {oid} 价格更新为 {amt} 元",
    "客服会话 {hex} 已转人工，排队人数 {n}",
    "报表导出完成：销售日报_{n}.xlsx",
];
const EXC: &[(&str, &str, &str)] = &[
    ("app/worker/tasks.py", "user = cache[user_id]", "KeyError: 'user:{uid}'"),
    ("app/api/orders.py", "qty = int(form['qty'])", "ValueError: invalid literal for int() with base 10: 'abc'"),
    ("app/sync/inventory.py", "resp = session.get(url, timeout=5)", "requests.exceptions.ConnectTimeout: HTTPConnectionPool(host='inventory-svc', port=8000): Max retries exceeded with url: /v1/items/{oid} (Caused by ConnectTimeoutError())"),
    ("app/db/session.py", "cur.execute(sql, params)", "psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint \"orders_pkey\""),
    ("app/cache/client.py", "return self.redis.get(key)", "redis.exceptions.ConnectionError: Error 111 connecting to redis-master:6379. Connection refused."),
    ("app/report/render.py", "ratio = done / total", "ZeroDivisionError: division by zero"),
];
const OK_MODELS: &[(&str, &str)] = &[
    ("https://open.bigmodel.cn/api/paas/v4/chat/completions", "glm-4-plus"),
    ("https://api.z.ai/api/paas/v4/chat/completions", "glm-4.6"),
    ("https://ark.cn-beijing.volces.com/api/v3/chat/completions", "doubao-1.5-pro-32k"),
    ("https://api.coze.cn/v3/chat?conversation_id=", "bot"),
    ("https://api.ppinfra.com/v3/openai/chat/completions", "deepseek/deepseek-v3"),
];

/// Fills `{id}`, `{uid}`, ... in a noise template.
fn fill(t: &str, rng: &mut Rng, out: &mut String) {
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            return;
        };
        match &rest[i + 1..i + j] {
            "id" => {
                let _ = write!(out, "{}", rng.range(1, 99_999));
            }
            "uid" => {
                let _ = write!(out, "{}", rng.range(10_000, 9_999_999));
            }
            "oid" => {
                let _ = write!(out, "{}", rng.range(100_000_000, 999_999_999));
            }
            "n" => {
                let _ = write!(out, "{}", rng.range(1, 500));
            }
            "n4" => {
                let _ = write!(out, "{:04}", rng.below(10_000));
            }
            "ms" => {
                let _ = write!(out, "{}", rng.range(3, 9_000));
            }
            "amt" => {
                let _ = write!(out, "{}.{:02}", rng.range(1, 5_000), rng.below(100));
            }
            "hex" => {
                let _ = write!(out, "{:012x}", rng.next() >> 16);
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
}

/// One ordinary record (one line, or a traceback); returns its number of lines.
fn noise(rng: &mut Rng, clock: &Clock, out: &mut String) -> u64 {
    let k = rng.below(100);
    match k {
        // Python logging, the app's own lines.
        0..=21 => {
            clock.python(out);
            let (lvl, logger, msg) = *rng.pick(&[
                ("INFO", "app.web", "POST /api/v1/assist 200 {ms}ms"),
                ("INFO", "app.web", "GET /healthz 200 1ms"),
                ("INFO", "app.web", "worker heartbeat queue_depth={n}"),
                ("DEBUG", "app.cache", "cache hit ratio=0.{n4}"),
                ("INFO", "app.orders", "order {oid} created user={uid} items={n}"),
                ("WARNING", "app.web", "slow request path=/api/v1/orders duration={ms}ms"),
                ("INFO", "celery.worker", "Task app.tasks.send_receipt[{hex}] succeeded in 0.0{n}s: None"),
                ("ERROR", "app.pay", "payment gateway timeout after {ms}ms, order={oid}"),
            ]);
            let _ = write!(out, " {lvl} {logger}: ");
            fill(msg, rng, out);
            out.push('\n');
            1
        }
        // nginx access log.
        22..=43 => {
            let _ = write!(
                out,
                "{}.{}.{}.{} - - [",
                rng.range(1, 223),
                rng.below(256),
                rng.below(256),
                rng.range(1, 254)
            );
            clock.nginx(out);
            let method = *rng.pick(&["GET", "GET", "GET", "POST", "PUT", "DELETE"][..]);
            let _ = write!(out, "] \"{method} ");
            let path = *rng.pick(PATHS);
            fill(path, rng, out);
            let status = *rng.pick(&[
                200, 200, 200, 200, 200, 200, 204, 301, 302, 304, 400, 401, 403, 404, 429, 499, 500, 502, 503,
            ]);
            let _ = write!(
                out,
                " HTTP/1.1\" {status} {} \"-\" \"{}\" rt=0.{:03} uct=\"0.000\" urt=\"0.{:03}\"\n",
                rng.range(0, 80_000),
                rng.pick(AGENTS),
                rng.below(1000),
                rng.below(1000)
            );
            1
        }
        // JSON records.
        44..=59 => {
            out.push_str("{\"ts\":\"");
            clock.iso(out);
            let (lvl, logger, msg) = *rng.pick(&[
                ("info", "order", "order created"),
                ("info", "payment", "payment settled"),
                ("warn", "inventory", "stock low"),
                ("info", "http", "request done"),
                ("error", "user-svc", "profile not found"),
            ]);
            let _ = write!(out, "\",\"level\":\"{lvl}\",\"logger\":\"{logger}\",\"msg\":\"{msg}\",\"trace_id\":\"{:016x}{:016x}\",\"user_id\":{},\"latency_ms\":{}",
                rng.next(), rng.next(), rng.range(10_000, 9_999_999), rng.range(1, 3000));
            match rng.below(4) {
                0 => {
                    let _ = write!(
                        out,
                        ",\"http\":{{\"method\":\"GET\",\"path\":\"/api/v2/orders/{}\",\"status\":200}}",
                        rng.range(1, 99_999)
                    );
                }
                1 => {
                    let _ = write!(
                        out,
                        ",\"order\":{{\"id\":{},\"amount\":{}.{:02},\"currency\":\"CNY\"}}",
                        rng.range(100_000_000, 999_999_999),
                        rng.range(1, 5000),
                        rng.below(100)
                    );
                }
                _ => {}
            }
            out.push_str("}\n");
            1
        }
        // logfmt (Go services).
        60..=67 => {
            out.push_str("ts=");
            clock.iso(out);
            let _ = write!(out, " level=info caller=api/{}.go:{} msg=\"request done\" method=GET path=/v1/items/{} status=200 dur={}ms\n",
                rng.pick(&["items", "users", "search"][..]), rng.range(20, 400), rng.range(1, 99_999), rng.range(1, 900));
            1
        }
        // Chinese business lines.
        68..=77 => {
            clock.python(out);
            let _ = write!(
                out,
                " INFO {}: ",
                rng.pick(&["订单服务", "支付服务", "库存服务", "app.notify", "app.crm"][..])
            );
            let text = *rng.pick(CN);
            fill(text, rng, out);
            out.push('\n');
            1
        }
        // Successful provider calls (hosts and model names that errwatch notes as context).
        78..=85 => {
            let (url, model) = *rng.pick(OK_MODELS);
            clock.python(out);
            if rng.below(2) == 0 {
                let _ = write!(out, " INFO httpx: HTTP Request: POST {url} \"HTTP/1.1 200 OK\"\n");
            } else {
                let _ = write!(out, " INFO app.llm: chat ok model={model} tokens={}\n", rng.range(10, 4000));
            }
            1
        }
        // Database errors.
        86..=93 => match rng.below(4) {
            0 => {
                clock.spring(out);
                let _ = write!(out, "  WARN 1 --- [nio-8080-exec-{}] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 1062, SQLState: 23000\n", rng.range(1, 20));
                clock.spring(out);
                let _ = write!(out, " ERROR 1 --- [nio-8080-exec-{}] o.h.engine.jdbc.spi.SqlExceptionHelper   : Duplicate entry '{}' for key 'PRIMARY'\n", rng.range(1, 20), rng.range(1, 99_999));
                2
            }
            1 => {
                clock.spring(out);
                let _ = write!(out, " UTC [{}] ERROR:  deadlock detected\n", rng.range(100, 30_000));
                clock.spring(out);
                let _ = write!(out, " UTC [{}] DETAIL:  Process {} waits for ShareLock on transaction {}; blocked by process {}.\n",
                        rng.range(100, 30_000), rng.range(100, 30_000), rng.range(100_000, 999_999), rng.range(100, 30_000));
                2
            }
            2 => {
                clock.python(out);
                let _ = write!(out, " ERROR app.db: (pymysql.err.OperationalError) (1213, 'Deadlock found when trying to get lock; try restarting transaction')\n");
                1
            }
            _ => {
                clock.python(out);
                let _ = write!(out, " WARNING app.db: mongo write failed: E11000 duplicate key error collection: shop.users index: email_1 dup key: {{ email: \"u{}@example.com\" }}\n", rng.range(1, 99_999));
                1
            }
        },
        // Python tracebacks that are not provider errors.
        _ => {
            let (file, code, last) = *rng.pick(EXC);
            clock.python(out);
            let _ = write!(out, " ERROR app.worker: task failed\nTraceback (most recent call last):\n  File \"/srv/app/.venv/lib/python3.11/site-packages/celery/app/trace.py\", line 453, in trace_task\n    R = retval = fun(*args, **kwargs)\n  File \"/srv/{file}\", line {}, in handle\n    {code}\n", rng.range(10, 400));
            fill(last, rng, out);
            out.push('\n');
            7
        }
    }
}

fn write_unit(u: &Unit, rng: &mut Rng, clock: &mut Clock, out: &mut String) {
    for line in &u.lines {
        for p in line {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Date => out.push_str(&clock.date),
                Piece::SlashDate => out.push_str(&clock.slash),
                Piece::Time => clock.time(out),
                Piece::Logid => {
                    let (h, m, s, _) = clock.hms();
                    let _ = write!(
                        out,
                        "{}{h:02}{m:02}{s:02}{:016X}{:04X}",
                        clock.date.replace('-', ""),
                        rng.next(),
                        rng.below(0x10000)
                    );
                }
            }
        }
        out.push('\n');
        clock.advance(rng);
    }
}

struct Args {
    out: String,
    mb: f64,
    dense: bool,
    share: f64,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args { out: String::new(), mb: 0.0, dense: false, share: 0.02, seed: 42 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--out" => a.out = val("--out")?,
            "--mb" => a.mb = val("--mb")?.parse().map_err(|e| format!("--mb: {e}"))?,
            "--dense" => a.dense = true,
            "--error-share" => {
                a.share = val("--error-share")?.parse().map_err(|e| format!("--error-share: {e}"))?
            }
            "--seed" => a.seed = val("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "-h" | "--help" => {
                return Err(
                    "usage: gen_corpus --out FILE --mb N [--dense] [--error-share 0.02] [--seed 42]".into()
                )
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.out.is_empty() || a.mb <= 0.0 {
        return Err("usage: gen_corpus --out FILE --mb N [--dense] [--error-share 0.02] [--seed 42]".into());
    }
    if !(0.0..=1.0).contains(&a.share) {
        return Err("--error-share must be within 0..1".into());
    }
    Ok(a)
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn run(a: &Args) -> Result<(), String> {
    let units = load_units()?;
    let dense_pool: Vec<usize> =
        (0..units.len()).filter(|&i| units[i].lines.len() == 1 && !units[i].status_only).collect();
    let target = (a.mb * 1024.0 * 1024.0) as u64;
    let mut rng = Rng(a.seed ^ 0x0005_EED0_FE77_0A7C);
    let mut clock = Clock::new();
    let file = File::create(&a.out).map_err(|e| format!("{}: {e}", a.out))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut buf = String::with_capacity(1 << 16);
    let (mut bytes, mut lines, mut errors) = (0u64, 0u64, 0u64);
    let mut by_code: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut per_unit = vec![0u64; units.len()];
    // Lines until the next error (mixed mode); records to wait after a status-only unit.
    let mean_gap = if a.share > 0.0 { 1.0 / a.share } else { f64::INFINITY };
    let mut next_error_in = if a.dense { 0.0 } else { rng.unit() * 2.0 * mean_gap };
    let mut quiet_records = 0u32;
    while bytes < target {
        buf.clear();
        let n;
        if a.dense || (next_error_in <= 0.0 && quiet_records == 0) {
            let i = if a.dense { *rng.pick(&dense_pool) } else { rng.below(units.len() as u64) as usize };
            let u = &units[i];
            write_unit(u, &mut rng, &mut clock, &mut buf);
            n = u.lines.len() as u64;
            errors += 1;
            per_unit[i] += 1;
            *by_code.entry((u.provider.clone(), u.code.clone())).or_default() += 1;
            if u.status_only {
                quiet_records = STATUS_GAP_RECORDS;
            }
            // The unit's own lines count toward the share; the gap is drawn uniformly in 0..2/share.
            next_error_in += rng.unit() * 2.0 * mean_gap;
        } else {
            n = noise(&mut rng, &clock, &mut buf);
            for _ in 0..n {
                clock.advance(&mut rng);
            }
            quiet_records = quiet_records.saturating_sub(1);
        }
        next_error_in -= n as f64;
        lines += n;
        bytes += buf.len() as u64;
        w.write_all(buf.as_bytes()).map_err(|e| format!("{}: {e}", a.out))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", a.out))?;

    let mut by_provider: BTreeMap<&str, u64> = BTreeMap::new();
    for ((p, _), c) in &by_code {
        *by_provider.entry(p.as_str()).or_default() += c;
    }
    let mut j = String::new();
    let _ = write!(j, "{{\n  \"generator\": \"gen_corpus\",\n  \"seed\": {},\n  \"dense\": {},\n  \"error_share\": {},\n  \"bytes\": {bytes},\n  \"lines\": {lines},\n  \"errors\": {errors},\n  \"units_used\": {},\n  \"by_provider\": {{",
        a.seed, a.dense, a.share, per_unit.iter().filter(|&&c| c > 0).count());
    let bp: Vec<String> = by_provider.iter().map(|(p, c)| format!("{}: {c}", json_str(p))).collect();
    let _ = write!(j, "{}}},\n  \"by_code\": [\n", bp.join(", "));
    let bc: Vec<String> = by_code
        .iter()
        .map(|((p, c), n)| {
            format!("    {{\"provider\": {}, \"code\": {}, \"count\": {n}}}", json_str(p), json_str(c))
        })
        .collect();
    let _ = write!(j, "{}\n  ]\n}}\n", bc.join(",\n"));
    std::fs::write(format!("{}.expected.json", a.out), j)
        .map_err(|e| format!("{}.expected.json: {e}", a.out))?;
    eprintln!(
        "gen_corpus: {} ({:.1} MB, {lines} lines, {errors} errors from {} of {} units{})",
        a.out,
        bytes as f64 / 1048576.0,
        per_unit.iter().filter(|&&c| c > 0).count(),
        if a.dense { dense_pool.len() } else { units.len() },
        if a.dense { ", dense" } else { "" }
    );
    let _ = &units[0].src;
    Ok(())
}

/// `--check EXPECTED --report REPORT.json` (errwatch's `report --format json`) or
/// `--check EXPECTED --counts FILE` (lines `provider code count`, e.g. from mtail's output).
fn check(mut it: impl Iterator<Item = String>) -> Result<bool, String> {
    let expected_path = it.next().ok_or("--check needs the expected file")?;
    let (kind, path) = match (it.next(), it.next()) {
        (Some(k), Some(p)) if k == "--report" || k == "--counts" => (k, p),
        _ => {
            return Err(
                "usage: gen_corpus --check EXPECTED.json (--report REPORT.json | --counts FILE)".into()
            )
        }
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let expected: serde_json::Value =
        serde_json::from_str(&read(&expected_path)?).map_err(|e| format!("{expected_path}: {e}"))?;
    let table = |v: &serde_json::Value| -> BTreeMap<(String, String), u64> {
        let mut m = BTreeMap::new();
        for r in v["by_code"].as_array().into_iter().flatten() {
            let k = (
                r["provider"].as_str().unwrap_or("").to_string(),
                r["code"].as_str().unwrap_or("").to_string(),
            );
            *m.entry(k).or_default() += r["count"].as_u64().unwrap_or(0);
        }
        m
    };
    let want = table(&expected);
    let got = if kind == "--report" {
        let v: serde_json::Value = serde_json::from_str(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
        table(&v)
    } else {
        let mut m = BTreeMap::new();
        for line in read(&path)?.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let [p, c, n] = f[..] {
                *m.entry((p.to_string(), c.to_string())).or_default() +=
                    n.parse::<f64>().unwrap_or(0.0) as u64;
            }
        }
        m
    };
    let total = |m: &BTreeMap<(String, String), u64>| m.values().sum::<u64>();
    let (w, g) = (total(&want), total(&got));
    let hit: u64 = want.iter().map(|(k, n)| (*n).min(*got.get(k).unwrap_or(&0))).sum();
    let mut diffs = Vec::new();
    for k in want.keys().chain(got.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (a, b) = (*want.get(k).unwrap_or(&0), *got.get(k).unwrap_or(&0));
        if a != b {
            diffs.push(format!("{}/{}: expected {a}, got {b}", k.0, k.1));
        }
    }
    let by_provider = |m: &BTreeMap<(String, String), u64>| {
        let mut p: BTreeMap<String, u64> = BTreeMap::new();
        for ((prov, _), n) in m {
            *p.entry(prov.clone()).or_default() += n;
        }
        p
    };
    let (wp, gp) = (by_provider(&want), by_provider(&got));
    let prov: Vec<String> = wp
        .keys()
        .chain(gp.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|p| format!("{p} {}/{}", gp.get(p).unwrap_or(&0), wp.get(p).unwrap_or(&0)))
        .collect();
    let pct = |a: u64, b: u64| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    if diffs.is_empty() {
        println!("OK errors={g} (expected {w}), {} codes match", want.len());
    } else {
        println!(
            "MISMATCH errors={g} (expected {w}); right (provider, code) counts: recall {:.1}%, precision {:.1}%; by provider got/expected: {}; {} codes differ",
            pct(hit, w),
            pct(hit, g),
            prov.join(", "),
            diffs.len()
        );
        for d in diffs.iter().take(12) {
            println!("  {d}");
        }
        if diffs.len() > 12 {
            println!("  ... {} more", diffs.len() - 12);
        }
    }
    Ok(diffs.is_empty())
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--check") {
        return match check(std::env::args().skip(2)) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("gen_corpus: {e}");
                ExitCode::from(2)
            }
        };
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
