//! Micro-benchmarks of the line pipeline (extract -> classify -> correlate), in MB/s: a mixed
//! log (mostly ordinary lines, a few provider errors) and a dense one (every line an error).
//! `cargo bench` prints the throughput; the whole-program comparison is `benches/compare.sh`.

use std::fs;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use errwatch::catalog::Catalog;
use errwatch::source::Source;

fn fixture(rel: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("fixture exists")
}

/// About 4 MiB of the noise fixture with SDK-captured errors (some of them the openai SDK's
/// message-only form) mixed in at ~2% of lines.
fn mixed() -> Vec<u8> {
    let noise = fixture("fixtures/logs/noise/noise.log");
    let mut errors = fixture("fixtures/logs/sdk/volcengine-ark-jsonl.log");
    errors.extend(fixture("fixtures/logs/sdk/openai-ark-logger-error.log"));
    let mut out = Vec::new();
    while out.len() < 4 << 20 {
        out.extend_from_slice(&noise);
        out.extend_from_slice(&errors);
    }
    out
}

/// Every line an error: the one-line SDK styles, repeated.
fn dense() -> Vec<u8> {
    let parts: Vec<Vec<u8>> =
        ["zhipuai-jsonl", "volcengine-ark-logger-error", "cozepy-chat-jsonl", "openai-ppio-jsonl"]
            .iter()
            .map(|n| fixture(&format!("fixtures/logs/sdk/{n}.log")))
            .collect();
    let mut out = Vec::new();
    while out.len() < 4 << 20 {
        for p in &parts {
            out.extend(p.split(|b| *b == b'\n').filter(|l| l.windows(4).any(|w| w == b"code")).flat_map(
                |l| {
                    let mut v = l.to_vec();
                    v.push(b'\n');
                    v
                },
            ));
        }
    }
    out
}

fn run(catalog: &Catalog, input: &[u8]) -> usize {
    let mut source = Source::new(1 << 20, 2026);
    let mut events = Vec::new();
    for chunk in input.chunks(256 * 1024) {
        source.feed(chunk, catalog, &mut events);
    }
    source.finish(catalog, &mut events);
    events.len()
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let mut group = c.benchmark_group("pipeline");
    for (name, input) in [("mixed", mixed()), ("dense", dense())] {
        assert!(run(&catalog, &input) > 0, "{name} corpus has errors");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(name, |b| b.iter(|| run(&catalog, &input)));
    }
    // What matching by message costs: the same mixed log with it off.
    let codes_only = Catalog::embedded().without_message_matching();
    let input = mixed();
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function("mixed-without-message-matching", |b| b.iter(|| run(&codes_only, &input)));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
