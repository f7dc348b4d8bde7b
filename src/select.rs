//! Choosing components by name: the globs of `--component` and of a provider's `components`
//! list in the config file.

/// Whether component `name` (in `group`) is kept by `patterns` (empty keeps everything). A
/// pattern matches the name or `Group/Name`, case-insensitively.
pub fn component_selected(patterns: &[String], name: &str, group: Option<&str>) -> bool {
    if patterns.is_empty() {
        return true;
    }
    let options = glob::MatchOptions {
        case_sensitive: false,
        require_literal_separator: false,
        require_literal_leading_dot: false,
    };
    let qualified = group.map(|g| format!("{g}/{name}"));
    patterns.iter().any(|pattern| {
        glob::Pattern::new(pattern).is_ok_and(|p| {
            p.matches_with(name, options)
                || qualified
                    .as_deref()
                    .is_some_and(|q| p.matches_with(q, options))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_globs_match_names_and_group_paths() {
        let patterns = vec!["act*".to_string(), "Messenger/Web*".to_string()];
        assert!(component_selected(&patterns, "Actions", None));
        assert!(component_selected(
            &patterns,
            "Web Messenger",
            Some("Messenger")
        ));
        assert!(!component_selected(
            &patterns,
            "Web Messenger",
            Some("Other")
        ));
        assert!(component_selected(&[], "anything", None));
    }
}
