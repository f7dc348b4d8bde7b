//! The layout DESIGN §1 and §7 promise, read from the source itself: no import cycles between
//! files, pure layers that touch no clock, file, network or environment, library modules that
//! never import a command, thin command files, and no fault-injection switch outside its module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/` (the library and the binary), keyed by path relative to `src/`,
/// with comments and its trailing `#[cfg(test)] mod tests` removed.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(relative, code_of(&text));
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The code of a file: without `//` comments and without its unit tests.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            // Not inside a string: good enough for this code base, which puts no `//` in one
            // outside URLs, and a URL never names a module.
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module path of a file (`diff/mod.rs` → `["diff"]`, `diff/items.rs` → `["diff","items"]`).
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The words of `text` that form a path: `crate::a::{b, c::d}` gives `crate::a::b`,
/// `crate::a::c::d` and `crate::a`.
fn paths_in(text: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = text.chars().collect();
    let mut paths = Vec::new();
    let mut i = 0;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && (is_word(bytes[i - 1]) || bytes[i - 1] == ':')) {
            i += 1;
            continue;
        }
        // A path starts here: words joined by `::`.
        let mut segments = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && is_word(bytes[j]) {
                j += 1;
            }
            segments.push(bytes[start..j].iter().collect::<String>());
            if j + 2 < bytes.len() && bytes[j] == ':' && bytes[j + 1] == ':' {
                j += 2;
                if bytes[j] == '{' {
                    // A use group: each item extends the path so far.
                    let close = bytes[j..].iter().position(|c| *c == '}').map(|p| j + p);
                    if let Some(close) = close {
                        let inner: String = bytes[j + 1..close].iter().collect();
                        for item in inner.split(',') {
                            let item = item.split(" as ").next().unwrap_or("").trim();
                            if item.is_empty() || item == "self" {
                                continue;
                            }
                            let mut path = segments.clone();
                            path.extend(item.split("::").map(|s| s.trim().to_string()));
                            paths.push(path);
                        }
                        j = close;
                    }
                    break;
                }
                continue;
            }
            break;
        }
        if segments.len() > 1 {
            paths.push(segments);
        }
        i = j.max(i + 1);
    }
    paths
}

/// Which files each file of the library imports (through `crate::`, `super::`, or a child
/// module's name).
fn imports(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let by_module: BTreeMap<Vec<String>, String> = files
        .keys()
        .filter(|f| f.as_str() != "main.rs")
        .map(|f| (module_of(f), f.clone()))
        .collect();
    let resolve = |path: &[String]| -> Option<String> {
        (1..=path.len())
            .rev()
            .find_map(|n| by_module.get(&path[..n]).cloned())
    };
    let mut graph = BTreeMap::new();
    for (file, code) in files.iter().filter(|(f, _)| f.as_str() != "main.rs") {
        let me = module_of(file);
        let mut targets = BTreeSet::new();
        for path in paths_in(code) {
            let full: Vec<String> = match path[0].as_str() {
                "crate" => path[1..].to_vec(),
                "super" => {
                    let mut base = me[..me.len().saturating_sub(1)].to_vec();
                    base.extend(path[1..].iter().cloned());
                    base
                }
                "self" => {
                    let mut base = me.clone();
                    base.extend(path[1..].iter().cloned());
                    base
                }
                _ => {
                    // A child module named bare (`incident::apply` in `diff/mod.rs`).
                    let mut child = me.clone();
                    child.push(path[0].clone());
                    if !by_module.contains_key(&child) {
                        continue;
                    }
                    child.extend(path[1..].iter().cloned());
                    child
                }
            };
            if let Some(target) = resolve(&full) {
                if &target != file {
                    targets.insert(target);
                }
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

/// One cycle in the graph, if there is any.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn no_file_of_the_library_imports_a_file_that_imports_it_back() {
    let graph = imports(&sources());
    // The checker sees the edges it should: a parent dispatching to a child, a child using a
    // sibling, a shell using the engine.
    for (from, to) in [
        ("diff/mod.rs", "diff/incident.rs"),
        ("diff/incident.rs", "diff/items.rs"),
        ("engine/poll.rs", "engine/mod.rs"),
        ("cmd/fetch.rs", "engine/poll.rs"),
    ] {
        assert!(graph[from].contains(to), "{from} should import {to}");
    }
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
}

/// The top-level room of a file: `diff/items.rs` → `diff`, `report.rs` → `report`.
fn room_of(file: &str) -> String {
    module_of(file).first().cloned().unwrap_or_default()
}

#[test]
fn no_two_rooms_of_the_library_import_each_other() {
    let graph = imports(&sources());
    let mut rooms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &graph {
        for to in targets {
            let (a, b) = (room_of(from), room_of(to));
            if a != b && !a.is_empty() && !b.is_empty() {
                rooms.entry(a).or_default().insert(b);
            }
        }
    }
    assert!(
        rooms["pipeline"].contains("diff") && rooms["pipeline"].contains("state"),
        "the checker sees the pipeline drive diff and the state file: {rooms:?}"
    );
    for (a, targets) in &rooms {
        for b in targets {
            assert!(
                !rooms.get(b).is_some_and(|back| back.contains(a)),
                "{a} and {b} import each other"
            );
        }
    }
}

#[test]
fn a_platform_is_its_adapter_file_and_one_registration_line() {
    // Outside src/sources/, nothing reaches into an adapter: a platform is known through the
    // registry (`Format::ALL`, `Format::from_word`) and its description only.
    let files = sources();
    let adapters: Vec<String> = files
        .keys()
        .filter_map(|f| f.strip_prefix("sources/"))
        .map(|f| f.trim_end_matches(".rs").to_string())
        .filter(|m| !["mod", "format", "parts", "detect"].contains(&m.as_str()))
        .collect();
    assert!(adapters.len() >= 12, "{adapters:?}");
    for (file, code) in files.iter().filter(|(f, _)| !f.starts_with("sources/")) {
        for path in paths_in(code) {
            let named = match path.first().map(String::as_str) {
                Some("crate") | Some("statusq") => path.get(1..3),
                _ => None,
            };
            if let Some([room, module]) = named {
                assert!(
                    !(room == "sources" && adapters.contains(module)),
                    "{file} names the {module} adapter: go through the registry"
                );
            }
        }
    }
    // And only the registry names every adapter's description.
    let registry = &files["sources/format.rs"];
    for adapter in &adapters {
        assert!(
            registry.contains(&format!("{adapter}::")),
            "{adapter} is not registered in Format::ALL"
        );
    }
}

#[test]
fn a_planted_cycle_is_found() {
    let mut files = BTreeMap::new();
    files.insert("a.rs".to_string(), "use crate::b::{x, y};".to_string());
    files.insert("b.rs".to_string(), "fn f() { super::a::g() }".to_string());
    files.insert("c/mod.rs".to_string(), "fn f() { d::g() }".to_string());
    files.insert("c/d.rs".to_string(), "use crate::a::g;".to_string());
    let cycle = find_cycle(&imports(&files)).expect("a ↔ b");
    assert!(cycle.contains(&"a.rs".to_string()) && cycle.contains(&"b.rs".to_string()));
    files.insert("b.rs".to_string(), "fn f() {}".to_string());
    assert_eq!(find_cycle(&imports(&files)), None);
}

/// What a pure layer must never name.
const IMPURE: [&str; 16] = [
    "crate::clock",
    "crate::random",
    "RandomState",
    "crate::http",
    "crate::engine",
    "crate::terminal",
    "crate::server",
    "crate::state",
    "crate::pipeline",
    "std::fs",
    "std::net",
    "std::env",
    "std::thread",
    "std::io::stdin",
    "Instant::now",
    "SystemTime",
];

#[test]
fn the_pure_layers_read_no_clock_file_network_or_environment() {
    let files = sources();
    let pure = |file: &str| {
        ["sources/", "diff/", "render/", "notify/payload/"]
            .iter()
            .any(|dir| file.starts_with(dir))
            || [
                "model.rs",
                "gate.rs",
                "report.rs",
                "select.rs",
                "sanitize.rs",
                "hash.rs",
                "notify/route.rs",
                "notify/hold.rs",
            ]
            .contains(&file)
    };
    let mut checked = 0;
    for (file, code) in files.iter().filter(|(f, _)| pure(f)) {
        checked += 1;
        for word in IMPURE {
            assert!(
                !code.contains(word),
                "{file} is a pure layer but names {word}"
            );
        }
        assert!(!code.contains("now()"), "{file} reads a clock");
    }
    assert!(checked >= 25, "only {checked} pure files found");
}

#[test]
fn library_modules_never_import_a_command_and_commands_stay_thin() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for (file, code) in sources() {
        if file.starts_with("cmd/") {
            let lines = std::fs::read_to_string(root.join(&file))
                .unwrap()
                .lines()
                .count();
            assert!(
                lines <= 250,
                "{file} has {lines} lines: move its work into the library"
            );
        } else if file != "main.rs" && file != "lib.rs" {
            assert!(!code.contains("crate::cmd"), "{file} imports a command");
        }
    }
}

#[test]
fn only_the_fault_module_knows_the_fault_switch() {
    for (file, code) in sources() {
        if file != "fault.rs" {
            assert!(
                !code.contains("STATUSQ_FAULT"),
                "{file} reads a fault switch"
            );
        }
    }
}
