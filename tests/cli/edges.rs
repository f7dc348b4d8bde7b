//! The edges of issue 24, each reproduced end to end with the real binary against loopback
//! servers: no vendor hammered, errors that point the right way, foreign pages told apart,
//! health that tells the truth.

use crate::common::*;

/// A Statuspage site that counts what it is asked.
fn counting_page() -> (tempfile::TempDir, Server, std::path::PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    (home, server, config)
}

#[test]
fn intervals_below_the_floor_are_usage_errors_and_send_nothing() {
    let (home, server, config) = counting_page();
    for args in [
        &["watch", "p", "--interval", "0s"][..],
        &["watch", "p", "--interval", "9s", "--once"],
        &["fetch", "p", "--watch", "0s"],
        &["serve", "p", "--interval", "0s", "--listen", "127.0.0.1:0"],
        &["watch", "p", "--fast", "1ms"],
        &["fetch", "p", "--watch", "1m", "--fast", "999ms"],
    ] {
        let out = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("hammer"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("--allow-short-intervals"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
    assert_eq!(server.seen().len(), 0, "no request may be sent");
    // The floor is the documented one: 10 s and 1 s are accepted.
    statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args([
            "watch",
            "p",
            "--interval",
            "10s",
            "--fast",
            "1s",
            "--once",
            "-f",
            "json",
        ])
        .assert()
        .success();
    assert_eq!(server.hits("/p/api/v2/summary.json"), 1);
}

#[test]
fn a_zero_timeout_is_a_usage_error() {
    let (home, server, config) = counting_page();
    for args in [
        &["fetch", "p", "--timeout", "0"][..],
        &["fetch", "p", "--timeout", "0s"],
        &["watch", "p", "--once", "--timeout", "0ms"],
        &["notify", "--timeout", "0s"],
        &[
            "providers",
            "--detect",
            "http://127.0.0.1:9/",
            "--timeout",
            "0",
        ],
    ] {
        let out = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("above zero"), "{args:?}: {stderr}");
    }
    assert_eq!(server.seen().len(), 0);
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_dead_proxy_is_named_and_no_proxy_is_honoured() {
    let (home, server, _) = counting_page();
    let config = home.path().join("proxied.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.far]\nurl = \"https://status.example.invalid/\"\nformat = \"statuspage\"\n\n\
             [providers.near]\nurl = \"{}\"\nformat = \"statuspage\"\n",
            server.url("/p")
        ),
    )
    .unwrap();
    let proxy = format!("http://user:secret@127.0.0.1:{}", closed_port());
    let out = statusq(home.path())
        .env("HTTPS_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .arg("--config")
        .arg(&config)
        .args(["fetch", "far", "near", "--retries", "0"])
        .output()
        .unwrap();
    let records = records(&out.stdout);
    let far = records.iter().find(|r| r["provider"] == "far").unwrap();
    let near = records.iter().find(|r| r["provider"] == "near").unwrap();
    let message = far["error"]["message"].as_str().unwrap();
    assert_eq!(far["error"]["kind"], "connect", "{far}");
    let port = proxy.rsplit(':').next().unwrap();
    assert!(
        message.contains(&format!("via proxy http://127.0.0.1:{port}: ")),
        "{message}"
    );
    assert!(!message.contains("secret"), "credentials shown: {message}");
    // The loopback page is exempt through NO_PROXY and answers.
    assert_eq!(near["ok"], true, "{near}");
    assert_eq!(server.hits("/p/api/v2/summary.json"), 1);
}

#[test]
fn providers_detect_names_the_entry_after_the_page_itself() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "acme",
        Reply::json(fixture("statuspage/intercom-summary-groups.json")),
        None,
        None,
    ));
    let config = home.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["providers", "--detect", &server.url("/acme")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let entry = String::from_utf8(output.stdout).unwrap();
    // The raw document calls the page "Intercom" (page.name).
    assert!(entry.starts_with("[providers.intercom]\n"), "{entry}");
    assert!(entry.contains("name = \"Intercom\"\n"), "{entry}");
    assert!(!entry.contains("127.0.0.1-"), "{entry}");
    std::fs::write(&config, &entry).unwrap();
    let fetched = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "intercom"])
        .output()
        .unwrap();
    let snapshot = records(&fetched.stdout).remove(0);
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["name"], "Intercom");
}
