//! The framer over whole sources: chunks joined per stream, line numbers, envelope times,
//! records behind prefixes, and restarts at resume points that never count a line twice.

use super::*;
use crate::catalog::{Catalog, Provider};
use crate::pipeline::ErrorEvent;
use crate::source::Source;

const ZHIPU: &str = r#"upstream failed body={"error":{"code":"1113","message":"m"}}"#;
const COZE: &str = r#"coze said {"code":4011,"msg":"m","logid":"x"}"#;

fn logical_lines(format: InputFormat, input: &str) -> Vec<(u64, String)> {
    let mut framer = Framer::new(format, 1 << 20);
    let mut out = Vec::new();
    let mut splitter = crate::input::LineSplitter::new(1 << 20);
    let mut n = 0;
    let mut emit = |l: Logical<'_>| out.push((l.number, String::from_utf8_lossy(l.bytes).into_owned()));
    splitter.feed(input.as_bytes(), |line| {
        n += 1;
        framer.frame(line, n, &mut emit);
    });
    framer.finish(&mut emit);
    out
}

fn scan(source: Source, input: &[u8]) -> Vec<ErrorEvent> {
    let catalog = Catalog::embedded();
    let mut source = source;
    let mut out = Vec::new();
    source.feed(input, &catalog, &mut out);
    source.finish(&catalog, &mut out);
    out
}

fn cri(stream: &str, tag: &str, text: &str) -> String {
    format!("2026-11-02T10:00:00.000000001Z {stream} {tag} {text}\n")
}

#[test]
fn chunks_are_joined_per_stream_and_numbered_by_their_first() {
    let input = [
        cri("stdout", "P", "2026-11-02 10:00:00 ERROR "),
        cri("stderr", "F", "other stream"),
        cri("stdout", "P", "upstream failed body={\"error\":{\"co"),
        cri("stdout", "F", "de\":\"1113\",\"message\":\"m\"}}"),
        cri("stderr", "F", ""),
    ]
    .concat();
    let got = logical_lines(InputFormat::Auto, &input);
    assert_eq!(
        got,
        vec![
            (2, "other stream".to_string()),
            (1, format!("2026-11-02 10:00:00 ERROR {ZHIPU}")),
            (5, String::new()),
        ]
    );
    let events = scan(Source::new(1 << 20, 2026), input.as_bytes());
    assert_eq!(
        events.iter().map(|e| (e.line, e.detection.code.as_str())).collect::<Vec<_>>(),
        vec![(1, "1113")]
    );
}

#[test]
fn docker_chunks_are_joined_too() {
    let entry = |log: &str, stream: &str| {
        format!(
            "{{\"log\":{},\"stream\":\"{stream}\",\"time\":\"2026-11-02T10:00:00Z\"}}\n",
            serde_json::json!(log)
        )
    };
    let input = [
        entry("2026-11-02 10:00:00 ERROR ", "stderr"),
        entry("x\n", "stdout"),
        entry(&format!("{ZHIPU}\n"), "stderr"),
    ]
    .concat();
    let got = logical_lines(InputFormat::Auto, &input);
    assert_eq!(got, vec![(2, "x".to_string()), (1, format!("2026-11-02 10:00:00 ERROR {ZHIPU}"))]);
}

#[test]
fn a_joined_line_is_capped_and_counted_long_once() {
    let input =
        [cri("stdout", "P", &"a".repeat(30)), cri("stdout", "P", &"b".repeat(30)), cri("stdout", "F", "c")]
            .concat();
    let mut source = Source::new(64, 2026);
    let catalog = Catalog::embedded();
    let mut out = Vec::new();
    source.feed(input.as_bytes(), &catalog, &mut out);
    source.finish(&catalog, &mut out);
    assert_eq!((source.stats.lines, source.stats.long_lines), (3, 1));
}

#[test]
fn the_envelope_time_dates_a_record_whose_text_has_none() {
    let input = [
        "2026-11-02T10:00:05.5Z stdout F 2026-11-02 09:00:00 ERROR own time: body={\"error\":{\"code\":\"1113\",\"message\":\"m\"}}\n",
        &format!("2026-11-02T10:00:07.25Z stdout F {COZE}\n"),
    ]
    .concat();
    let events = scan(Source::new(1 << 20, 2026), input.as_bytes());
    let times: Vec<_> = events.iter().map(|e| e.timestamp.map(crate::timestamp::format)).collect();
    assert_eq!(
        times,
        vec![Some("2026-11-02T09:00:00Z".to_string()), Some("2026-11-02T10:00:07Z".to_string())]
    );
    // journald's microseconds, syslog's year-less time.
    let journal = format!(
        "{{\"__REALTIME_TIMESTAMP\":\"1793613601000000\",\"MESSAGE\":{}}}\n",
        serde_json::json!(COZE)
    );
    let syslog = format!("Nov  2 10:00:01 host app[1]: {COZE}\n");
    for input in [journal, syslog] {
        let events = scan(Source::new(1 << 20, 2026), input.as_bytes());
        let time = events.first().and_then(|e| e.timestamp).map(crate::timestamp::format);
        assert_eq!(time.as_deref(), Some("2026-11-02T10:00:01Z"), "{input}");
    }
}

/// A traceback whose every line carries the syslog prefix is one record: the SDK named in its
/// frames is its evidence, and the error printed twice in it counts once.
#[test]
fn a_traceback_behind_prefixes_is_one_record() {
    let body = r#"{"error":{"code":"1301","message":"m"}}"#;
    let lines = [
        "2026-11-02 10:00:06,002 ERROR app.llm: llm call failed".to_string(),
        "Traceback (most recent call last):".to_string(),
        r#"  File "/srv/app/.venv/lib/python3.11/site-packages/zhipuai/core/_http_client.py", line 582, in _request"#.to_string(),
        format!("zhipuai.core._errors.APIRequestFailedError: Error code: 400, with error text {body}"),
        String::new(),
        "During handling of the above exception, another exception occurred:".to_string(),
        String::new(),
        format!("app.errors.LlmError: Error code: 400, with error text {body}"),
        "2026-11-02 10:00:07,000 INFO app: next".to_string(),
    ];
    let syslog: String = lines.iter().map(|l| format!("Nov  2 10:00:06 web-1 app[4127]: {l}\n")).collect();
    let journal: String = lines
        .iter()
        .map(|l| {
            format!(
                "{{\"__REALTIME_TIMESTAMP\":\"1\",\"_PID\":\"4127\",\"MESSAGE\":{}}}\n",
                serde_json::json!(l)
            )
        })
        .collect();
    let plain: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let want = scan(Source::new(1 << 20, 2026), plain.as_bytes());
    assert_eq!(want.len(), 1);
    for wrapped in [syslog, journal] {
        let got = scan(Source::new(1 << 20, 2026), wrapped.as_bytes());
        assert_eq!(got, want, "{wrapped}");
    }
    // One journald entry holding the whole traceback: its lines share the entry's number.
    let one = format!("{{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":{}}}\n", serde_json::json!(plain));
    let got = scan(Source::new(1 << 20, 2026), one.as_bytes());
    assert_eq!(
        got.iter().map(|e| (e.line, e.detection.provider)).collect::<Vec<_>>(),
        vec![(1, Provider::from_static("zhipu"))]
    );
}

#[test]
fn a_forced_format_is_kept_and_foreign_lines_pass_as_they_are() {
    let input = format!("{ZHIPU}\n{}", cri("stdout", "F", COZE));
    assert_eq!(logical_lines(InputFormat::Cri, &input), vec![(1, ZHIPU.to_string()), (2, COZE.to_string())]);
    // Decided from the first line: plain, so the CRI line is read with its prefix.
    assert_eq!(logical_lines(InputFormat::Auto, &input)[1].1, cri("stdout", "F", COZE).trim_end());
    assert_eq!(
        logical_lines(InputFormat::Plain, &cri("stdout", "F", "x"))[0].1,
        cri("stdout", "F", "x").trim_end()
    );
    for (line, format) in [
        (cri("stderr", "P", "x"), InputFormat::Cri),
        (r#"{"log":"x\n","stream":"stdout","time":"2026-11-02T10:00:00Z"}"#.to_string(), InputFormat::Docker),
        (r#"{"__CURSOR":"s","__REALTIME_TIMESTAMP":"1","MESSAGE":"x"}"#.to_string(), InputFormat::Journald),
        ("Nov  2 10:00:00 host app[1]: x".to_string(), InputFormat::Syslog),
        ("<14>1 2026-11-02T10:00:00Z host app 1 - - x".to_string(), InputFormat::Syslog),
        (r#"{"log":"x","level":"info"}"#.to_string(), InputFormat::Plain),
        ("2026-11-02 10:00:00 ERROR x".to_string(), InputFormat::Plain),
    ] {
        assert_eq!(InputFormat::detect(line.trim_end().as_bytes()), format, "{line}");
    }
}

/// A CRI log whose streams interleave, with long lines cut into chunks.
fn interleaved_log() -> String {
    let mut out = String::new();
    for i in 0..40 {
        let (stream, other) = if i % 3 == 0 { ("stderr", "stdout") } else { ("stdout", "stderr") };
        let text = if i % 4 == 1 {
            format!("2026-11-02 10:00:{i:02} ERROR call {i} {ZHIPU}")
        } else {
            format!("2026-11-02 10:00:{i:02} INFO request {i} ok")
        };
        let cut: Vec<&str> = text.as_bytes().chunks(17).map(|c| std::str::from_utf8(c).unwrap()).collect();
        for (k, piece) in cut.iter().enumerate() {
            let last = k + 1 == cut.len();
            out.push_str(&cri(stream, if last { "F" } else { "P" }, piece));
            if k == 0 && i % 5 == 2 {
                // The other stream finishes lines of its own while this one is unfinished.
                out.push_str(&cri(other, "F", &format!("2026-11-02 10:00:{i:02} ERROR side {i} {COZE}")));
            }
        }
    }
    out
}

/// Cut anywhere, a checkpoint's resume point and replay lose nothing and read nothing twice:
/// what was handed on before the cut plus what a restart there hands on is the whole.
#[test]
fn restarts_at_resume_points_read_every_line_once() {
    let log = interleaved_log();
    let catalog = Catalog::embedded();
    let whole = scan(Source::new(1 << 20, 2026), log.as_bytes());
    assert!(whole.len() > 15, "{}", whole.len());
    let mut replays = 0;
    for cut in (0..log.len()).step_by(7) {
        let mut first = Source::new(1 << 20, 2026);
        let mut events = Vec::new();
        first.feed(&log.as_bytes()[..cut], &catalog, &mut events);
        // The daemon checkpoints only when no evidence is held.
        first.idle(&catalog, &mut events);
        let point = first.resume_point();
        replays += usize::from(point.replay.is_some());
        let from = cut - point.back as usize;
        let mut second = Source::new(1 << 20, 2026).starting_after(point.line);
        second.restart_at(point.line, point.replay.clone());
        // A restart resumes at a line's start; so does the checkpoint's line count.
        assert!(from == 0 || log.as_bytes()[from - 1] == b'\n', "cut {cut}: resumes mid-line at {from}");
        assert_eq!(log[..from].matches('\n').count() as u64, point.line, "cut {cut}");
        // Fed in two pieces, as a restart that crashed again during its replay would be.
        let rest = &log.as_bytes()[from..];
        let mid = rest.len() / 3;
        second.feed(&rest[..mid], &catalog, &mut events);
        let again = second.resume_point();
        second.feed(&rest[mid..], &catalog, &mut events);
        second.finish(&catalog, &mut events);
        let key = |e: &ErrorEvent| (e.line, e.detection.code.clone());
        let mut got: Vec<_> = events.iter().map(key).collect();
        got.sort();
        let mut want: Vec<_> = whole.iter().map(key).collect();
        want.sort();
        assert_eq!(got, want, "cut at {cut}, resumed at {from} with {:?}", point.replay);
        // A second restart from within the replay resumes where the first did.
        if point.replay.is_some() && mid < point.replay.as_ref().unwrap().read as usize {
            assert_eq!((again.back, again.line), ((rest[..mid].len()) as u64, point.line));
        }
    }
    assert!(replays > 20, "few cuts fell where a replay is needed: {replays}");
}

/// Whatever the bytes, in whatever envelope: no panic, every logical line numbered within the
/// physical lines read, capped, and a resume point that lies within what was fed.
mod arbitrary {
    use proptest::prelude::*;

    use super::*;

    fn pieces() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"2026-11-02T10:00:00.1Z stdout P ".to_vec()),
            Just(b"2026-11-02T10:00:00.1Z stderr F ".to_vec()),
            Just(b"{\"log\":\"".to_vec()),
            Just(b"\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-02T10:00:00Z\"}".to_vec()),
            Just(b"{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[104,255]}".to_vec()),
            Just(b"<14>1 - h a - - [x k=\"\\]\"] ".to_vec()),
            Just(b"Nov  2 10:00:00 h a[1]: #012".to_vec()),
            Just(b"\n".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..40),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_bytes_in_any_envelope(input in pieces(), cut in 0usize..2000, format in 0usize..6) {
            let format = [InputFormat::Auto, InputFormat::Plain, InputFormat::Cri, InputFormat::Docker, InputFormat::Journald, InputFormat::Syslog][format];
            let max_line = 64;
            let mut framer = Framer::new(format, max_line);
            let mut splitter = crate::input::LineSplitter::new(max_line);
            let mut n = 0u64;
            let mut numbers = Vec::new();
            let mut emit = |l: Logical<'_>| {
                assert!(l.bytes.len() <= max_line, "{}", l.bytes.len());
                numbers.push(l.number);
            };
            let cut = cut.min(input.len());
            for part in [&input[..cut], &input[cut..]] {
                splitter.feed(part, |line| {
                    n += 1;
                    framer.frame(line, n, &mut emit);
                });
                let point = framer.resume_point(splitter.line_start(), n, splitter.fed());
                prop_assert!(point.back <= splitter.fed() && point.line <= n);
            }
            splitter.finish(|line| {
                n += 1;
                framer.frame(line, n, &mut emit);
            });
            framer.finish(&mut emit);
            prop_assert!(numbers.iter().all(|x| (1..=n).contains(x)), "{numbers:?} of {n}");
        }
    }
}
