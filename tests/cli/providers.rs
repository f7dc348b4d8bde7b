//! `statusq providers`: the catalog as records.

use crate::common::*;

#[test]
fn the_catalog_lists_over_a_hundred_usable_pages_and_says_which_are_not() {
    let home = tempfile::tempdir().unwrap();
    let output = statusq(home.path()).arg("providers").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let all = records(&output.stdout);
    assert!(all.len() >= 190, "{}", all.len());
    assert!(all.iter().all(|p| p["type"] == "provider" && p["v"] == 1));
    let usable = all.iter().filter(|p| p["supported"] == true).count();
    assert!(usable >= 100, "{usable}");
    let heroku = all.iter().find(|p| p["id"] == "heroku").unwrap();
    assert_eq!(heroku["supported"], false);
    assert_eq!(heroku["format"], "heroku");
    let slack = all.iter().find(|p| p["id"] == "slack").unwrap();
    assert_eq!(slack["supported"], true);
    let github = all.iter().find(|p| p["id"] == "github").unwrap();
    assert_eq!(github["url"], "https://www.githubstatus.com");
    assert_eq!(
        github["api"],
        "https://www.githubstatus.com/api/v2/summary.json"
    );
    assert_eq!(github["origin"], "catalog");
}

#[test]
fn filters_and_config_entries_show_up() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("c.toml");
    std::fs::write(
        &config,
        "[providers.acme]\nname = \"Acme Cloud\"\nurl = \"https://status.acme.example\"\n",
    )
    .unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["providers", "acme", "GITHUB"])
        .output()
        .unwrap();
    let ids: Vec<String> = records(&output.stdout)
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["github", "acme"]);
    let output = statusq(home.path())
        .args(["providers", "--format", "incidentio"])
        .output()
        .unwrap();
    let list = records(&output.stdout);
    assert!(list.len() >= 10);
    assert!(list.iter().all(|p| p["format"] == "incidentio"));
    statusq(home.path())
        .args(["providers", "--format", "gopher"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown format"));
}

#[test]
fn providers_finds_a_vendor_by_id_name_or_host_best_match_first() {
    let home = tempfile::tempdir().unwrap();
    let ids = |words: &[&str]| -> Vec<String> {
        let output = statusq(home.path())
            .args(["providers", "--json"])
            .args(words)
            .output()
            .unwrap();
        assert!(output.status.success(), "{words:?}: {output:?}");
        records(&output.stdout)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    // By the page's host: Stripe's page is www.stripestatus.com.
    assert_eq!(ids(&["stripestatus"]), ["stripe"]);
    // By name, in any case.
    assert!(ids(&["1PASSWORD"]).contains(&"1password".to_string()));
    // Ranked: the ids that start with the word before those that only contain it.
    let git = ids(&["git"]);
    let position = |id: &str| git.iter().position(|g| g == id).unwrap();
    assert!(position("github") < position("digitalocean"), "{git:?}");
    assert!(position("gitlab") < position("digitalocean"), "{git:?}");
    // Nothing: exit 1 with the nearest ids.
    let output = statusq(home.path())
        .args(["providers", "githbu"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean github"));
}
