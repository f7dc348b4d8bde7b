//! What a person sees (issue 25): a page that cannot be fetched is said in words with when it
//! is tried again, on a terminal; wrapped text never breaks a URL or a name.

use crate::common::*;
use crate::watch::on_a_terminal;

#[test]
fn fetch_to_a_terminal_names_each_failed_page_on_stderr_and_a_pipe_does_not() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "good",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let mut text = config_for(home.path(), &server, &["good"]);
    let config = std::fs::read_to_string(&text).unwrap()
        + "[providers.gone]\nname = \"Gone\"\nurl = \"http://127.0.0.1:9/x\"\n";
    text = home.path().join("words.toml");
    std::fs::write(&text, config).unwrap();
    let screen = on_a_terminal(
        home.path(),
        &text,
        "fetch good gone --retries 0 --timeout 2s",
        |screen| screen.contains("\"provider\":\"gone\""),
    );
    let said: Vec<&str> = screen
        .lines()
        .filter(|line| line.starts_with("statusq: "))
        .collect();
    assert_eq!(said.len(), 1, "{screen}");
    assert!(
        said[0].starts_with("statusq: gone: cannot be fetched: ") && !said[0].contains("retrying"),
        "{screen}"
    );
    // Into a pipe: the records only.
    let output = statusq(home.path())
        .arg("--config")
        .arg(&text)
        .args(["fetch", "good", "gone", "--retries", "0", "--timeout", "2s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(records(&output.stdout).len(), 2);
}
