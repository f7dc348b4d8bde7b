//! A closed stdout is a graceful end: exit 0, nothing on stderr, no further requests.

use crate::common::*;

fn busy_site(
    home: &std::path::Path,
    providers: usize,
) -> (Server, std::path::PathBuf, Vec<String>) {
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let server = Server::start(move |req, _| {
        if req.path.ends_with("/summary.json") {
            Reply::json(summary.clone())
        } else {
            Reply::not_found()
        }
    });
    let ids: Vec<String> = (0..providers).map(|i| format!("p{i}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let config = config_for(home, &server, &id_refs);
    (server, config, ids)
}

#[test]
fn fetch_into_head_c1_exits_0_with_empty_stderr() {
    let home = tempfile::tempdir().unwrap();
    let (_server, config, ids) = busy_site(home.path(), 60);
    let script = format!(
        "{} --config {} fetch {} | head -c1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
        bin().display(),
        config.display(),
        ids.join(" ")
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .env("XDG_CONFIG_HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_pipe_closed_before_start_stops_further_requests() {
    let home = tempfile::tempdir().unwrap();
    let (server, config, ids) = busy_site(home.path(), 200);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(bin())
        .env("XDG_CONFIG_HOME", home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "--concurrency", "4"])
        .args(&ids)
        .stdout(writer)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(
        server.seen().len() < 200 * 3 / 2,
        "it went on requesting after its reader left: {}",
        server.seen().len()
    );
}
