//! The committed man pages and completions are what the clap definition generates now.

use crate::common::*;
use std::path::Path;

#[test]
fn man_pages_and_completions_are_current() {
    let home = tempfile::tempdir().unwrap();
    let fresh = home.path().join("gen");
    statusq(home.path())
        .arg("generate")
        .arg(&fresh)
        .assert()
        .success();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for dir in ["man", "completions"] {
        let mut generated: Vec<_> = std::fs::read_dir(fresh.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        generated.sort();
        let mut committed: Vec<_> = std::fs::read_dir(repo.join(dir))
            .unwrap_or_else(|e| panic!("{dir}/: {e}; run `cargo run -- generate`"))
            .map(|e| e.unwrap().file_name())
            .collect();
        committed.sort();
        assert_eq!(
            generated, committed,
            "{dir}/ is stale: run `cargo run -- generate`"
        );
        for name in generated {
            let new = std::fs::read(fresh.join(dir).join(&name)).unwrap();
            let old = std::fs::read(repo.join(dir).join(&name)).unwrap();
            assert!(
                new == old,
                "{dir}/{} is stale: run `cargo run -- generate`",
                name.to_string_lossy()
            );
            compared += 1;
        }
    }
    assert!(compared >= 8, "{compared}");
}

#[test]
fn every_man_page_has_an_exit_status_section_and_names_only_pages_that_exist() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for page in &pages {
        let text = std::fs::read_to_string(dir.join(page)).unwrap();
        assert!(
            text.contains(".SH \"EXIT STATUS\""),
            "{page} has no EXIT STATUS"
        );
        assert!(!text.contains(".SH EXTRA"), "{page}");
        // Every statusq-NAME(1) it mentions is a page we ship.
        for (at, _) in text.match_indices("statusq\\-") {
            let rest = &text[at + "statusq\\-".len()..];
            let Some(end) = rest.find("(1)") else {
                continue;
            };
            let name = &rest[..end];
            if name.chars().all(|c| c.is_ascii_lowercase()) {
                assert!(
                    pages.contains(&format!("statusq-{name}.1")),
                    "{page} names statusq-{name}(1), which does not exist"
                );
            }
        }
    }
}
