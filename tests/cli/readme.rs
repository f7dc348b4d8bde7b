//! The README's examples work: offline ones are run, the rest must at least parse.

use crate::common::*;
use std::path::Path;

/// Every command, each with its page in `docs/`.
const COMMANDS: [&str; 10] = [
    "fetch",
    "diff",
    "render",
    "check",
    "watch",
    "serve",
    "notify",
    "report",
    "providers",
    "demo",
];

/// The README and the reference pages of `docs/`, one after the other.
fn documentation() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut pages: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    for page in pages {
        text.push('\n');
        text.push_str(&std::fs::read_to_string(page).unwrap());
    }
    text
}

/// Every command line in the code blocks of the README and `docs/` that starts with `statusq `.
fn readme_commands() -> Vec<String> {
    let readme = documentation();
    let mut in_block = false;
    let mut commands = Vec::new();
    let mut pending = String::new();
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let text = line.trim();
        let text = text.split("  #").next().unwrap().trim();
        if !pending.is_empty() {
            pending.push(' ');
            pending.push_str(text.trim_end_matches('\\'));
            if !text.ends_with('\\') {
                commands.push(std::mem::take(&mut pending));
            }
            continue;
        }
        let indented = line.starts_with("    ");
        // Commands also sit behind a prompt, a YAML `run:` or an `if !`.
        let is_command = |at: &str| {
            at.strip_prefix("statusq ")
                .and_then(|rest| rest.split_whitespace().next())
                .is_some_and(|word| COMMANDS.contains(&word) || word.starts_with('-'))
        };
        let text = match text
            .match_indices("statusq ")
            .map(|(at, _)| &text[at..])
            .find(|t| is_command(t))
        {
            Some(command) if !text.contains("cargo ") => command,
            _ => text,
        };
        let text = if is_command(text) { text } else { "" };
        if (in_block || indented) && text.starts_with("statusq ") {
            if text.ends_with('\\') {
                pending = text.trim_end_matches('\\').to_string();
            } else {
                commands.push(text.to_string());
            }
        }
    }
    commands
}

/// Splits like a POSIX shell does for simple commands: whitespace, with '…' and "…" quoting.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn readme_examples_run_or_at_least_parse() {
    let home = tempfile::tempdir().unwrap();
    let commands = readme_commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    let mut parsed = 0;
    for command in &commands {
        // `--detect` probes the network: parse it only.
        let offline = (command.contains("tests/fixtures")
            || command.starts_with("statusq providers"))
            && !command.contains("--detect");
        if offline {
            let output = std::process::Command::new("bash")
                .args(["-c", &format!("set -o pipefail; {command}")])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("PATH", &path)
                .env("HOME", home.path())
                .env("XDG_CONFIG_HOME", home.path())
                .output()
                .unwrap();
            assert_eq!(
                output.status.code(),
                Some(0),
                "{command}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!output.stdout.is_empty(), "{command} printed nothing");
            ran += 1;
        } else {
            // Parse only: `--help` after the arguments makes clap validate the words before it
            // without fetching anything. Every statusq in a pipeline is checked.
            for segment in command.split(['|', '>', '<', ';']).map(str::trim) {
                let Some(rest) = segment.strip_prefix("statusq ") else {
                    continue;
                };
                let words = shell_words(rest);
                let output = statusq(home.path())
                    .args(&words)
                    .arg("--help")
                    .output()
                    .unwrap();
                assert_eq!(
                    output.status.code(),
                    Some(0),
                    "{segment}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                parsed += 1;
            }
        }
    }
    assert!(ran >= 4, "{ran}");
    assert!(parsed >= 8, "{parsed}");
}

/// The numbers a reader sees — the toolchain it needs and how many pages are built in — are the
/// ones the build has, in the README, `--help` and the man page alike.
#[test]
fn readme_help_and_man_page_agree_with_the_build_on_their_numbers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let rust_version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust toolchain ({rust_version} or newer)")),
        "README's quick start names rust-version {rust_version}"
    );

    let home = tempfile::tempdir().unwrap();
    let listed = statusq(home.path())
        .args(["providers", "--json"])
        .output()
        .unwrap();
    let providers = records(&listed.stdout);
    let (all, supported) = (
        providers.len(),
        providers.iter().filter(|p| p["supported"] == true).count(),
    );
    assert!(
        readme.contains(&format!("pages — {all} are built in")),
        "README's opening says {all} pages"
    );
    let catalog = std::fs::read_to_string(root.join("docs/providers.md")).unwrap();
    assert!(
        catalog.contains(&format!("holds {all} real public status pages"))
            && catalog.contains(&format!("{supported} can be fetched by this build")),
        "docs/providers.md says {all} and {supported}"
    );
    let help = statusq(home.path()).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).replace('\n', " ");
    assert!(
        help.contains(&format!("{all} pages are built in")),
        "{help}"
    );
    let man = std::fs::read_to_string(root.join("man/statusq.1")).unwrap();
    assert!(
        man.contains(&format!("{all} pages are built in")),
        "man/statusq.1"
    );
}

/// The README is what a newcomer reads — what it is, the quick start, recipes, links — and the
/// reference is complete elsewhere: every flag of every command is in that command's page.
#[test]
fn the_readme_is_short_and_every_flag_is_documented_on_its_commands_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 400,
        "README.md is {lines} lines; the reference belongs in docs/"
    );
    for section in ["## Quick start", "## Recipes", "## Reference"] {
        assert!(readme.contains(section), "README has {section}");
    }
    let home = tempfile::tempdir().unwrap();
    let commands = COMMANDS;
    // The global options (`--config`) are the README's, named once for every command.
    let global = statusq(home.path()).arg("--help").output().unwrap();
    let global = String::from_utf8_lossy(&global.stdout).into_owned();
    let flag_of = |line: &str| -> Option<String> {
        // A flag's own line is indented at most six spaces; its description, further.
        let indent = line.len() - line.trim_start().len();
        let line = line.trim_start();
        if indent > 6 || !line.starts_with('-') {
            return None;
        }
        let long = if line.starts_with("--") {
            line
        } else {
            line.split_once(", ")?.1
        };
        let flag = long.split([' ', '=', '[', '<', ',', ')', ':']).next()?;
        (flag.starts_with("--") && !["--help", "--version"].contains(&flag))
            .then(|| flag.to_string())
    };
    let globals: Vec<String> = global.lines().filter_map(flag_of).collect();
    for flag in &globals {
        assert!(
            readme.contains(&format!("`{flag}")),
            "README names the global {flag}"
        );
    }
    let mut missing = Vec::new();
    for command in commands {
        let page = std::fs::read_to_string(root.join(format!("docs/{command}.md")))
            .unwrap_or_else(|e| panic!("docs/{command}.md: {e}"));
        assert!(
            readme.contains(&format!("docs/{command}.md")),
            "README links docs/{command}.md"
        );
        let help = statusq(home.path())
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        for flag in help.lines().filter_map(flag_of) {
            if globals.contains(&flag) {
                continue;
            }
            // Named as itself: `--flag`, `-x, --flag`, `--flag VALUE`, not a longer one.
            let named = ['`', ' ', ',']
                .iter()
                .any(|after| page.contains(&format!("{flag}{after}")));
            if !named {
                missing.push(format!("{command} {flag}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not documented on the command's page: {missing:?}"
    );
}
