//! What a template costs a read command, per bundled template, natively
//! (callgrind cannot show it: valgrind runs SHA-256 without the CPU's SHA
//! instructions): parsing the file (`load::inspection_from_str`), its
//! content hash (`Inspection::content_hash`, `ron`'s serialisation and a
//! SHA-256) and the key of the cache of content hashes
//! (`Inspection::form_key`, what a read command pays instead when the
//! cache holds the hash). Medians of 200 rounds. Not a test: it prints
//! figures for BENCHMARKS.md. Run with `cargo bench --bench templates`.
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use std::path::Path;
use std::time::{Duration, Instant};

use tenken::bundle::INSPECTIONS;
use tenken::load;

const ROUNDS: usize = 200;

/// The median time of `f` over [`ROUNDS`] calls.
fn median<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[ROUNDS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() {
    println!("| template | bytes | parse ms | content hash ms | key ms |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut total = [Duration::ZERO; 3];
    for file in INSPECTIONS {
        let stem = file.name.trim_end_matches(".ron");
        let path = Path::new(file.name);
        let parse = || load::inspection_from_str(path, file.contents, Some(stem)).unwrap();
        let t = parse();
        let times = [
            median(parse),
            median(|| t.content_hash().unwrap()),
            median(|| t.form_key().unwrap()),
        ];
        for (sum, t) in total.iter_mut().zip(times) {
            *sum += t;
        }
        println!(
            "| {stem} | {} | {} | {} | {} |",
            file.contents.len(),
            ms(times[0]),
            ms(times[1]),
            ms(times[2])
        );
    }
    println!(
        "| all {} | {} | {} | {} | {} |",
        INSPECTIONS.len(),
        INSPECTIONS.iter().map(|f| f.contents.len()).sum::<usize>(),
        ms(total[0]),
        ms(total[1]),
        ms(total[2])
    );
}
