//! The fuzz corpus and every saved crash, replayed on stable: each input through the same entry
//! points the fuzz targets use (`statusq::fuzzing`). A crash found by `cargo fuzz` is saved in
//! `fuzz/artifacts/<target>/` and from then on replayed here.

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut found = Vec::new();
    for dir in [
        root.join("corpus").join(target),
        root.join("artifacts").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            found.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    found
}

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let mut replayed = 0;
    for (target, run) in [
        ("adapters", statusq::fuzzing::adapters as fn(&[u8])),
        ("ndjson", statusq::fuzzing::ndjson),
        ("feed_html", statusq::fuzzing::feed_html),
        ("report", statusq::fuzzing::report),
        ("notify", statusq::fuzzing::notify),
    ] {
        let inputs = inputs(target);
        assert!(!inputs.is_empty(), "fuzz/corpus/{target} is empty");
        for (name, data) in inputs {
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {name} panics");
            replayed += 1;
        }
    }
    assert!(replayed >= 19, "{replayed}");
}
