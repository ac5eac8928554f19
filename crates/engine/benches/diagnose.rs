//! Parsing and whole diagnosis of generated large-cluster dumps at 100, 1,000
//! and 10,000 Services (5 endpoints each), reported as throughput (MB/s), so
//! that linear cost shows as a flat rate. Run: `cargo bench -p svcdoctor-engine`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use svcdoctor_engine::{diagnose, understand, Input};

fn inputs(services: usize) -> Vec<(&'static str, String)> {
    let cluster = svcdoctor_gen::cluster(1, services, 5);
    vec![
        ("iptables", svcdoctor_gen::iptables(&cluster)),
        ("ipvs", svcdoctor_gen::ipvs(&cluster)),
        ("nft", svcdoctor_gen::nft(&cluster)),
        ("yaml", svcdoctor_gen::yaml(&cluster)),
    ]
}

fn bench(c: &mut Criterion) {
    for services in [100usize, 1_000, 10_000] {
        for (format, text) in inputs(services) {
            let mut group = c.benchmark_group(format);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.sample_size(if services >= 10_000 { 10 } else { 20 });
            let input = Input::from_text(&text);
            group.bench_with_input(BenchmarkId::new("parse", services), &input, |b, input| {
                b.iter(|| understand(input).artifacts.len())
            });
            group.bench_with_input(
                BenchmarkId::new("diagnose", services),
                &input,
                |b, input| b.iter(|| diagnose(input).findings.len()),
            );
            group.finish();
        }
    }
    let tutorial = Input::from_text(include_str!("../../../samples/tutorial.txt"));
    c.bench_function("tutorial/diagnose", |b| {
        b.iter(|| diagnose(&tutorial).verdict)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
