//! What the shell learns from the terminal and the environment about how to show text: colour
//! (`--color`, `NO_COLOR`) and width (the terminal's, `$COLUMNS`, 80), made into a
//! [`Style`] that the pure renderers take.

use crate::cli::{ColorChoice, StyleArgs};
use crate::render::Style;

/// The style `args` ask for, writing to a terminal or not, wrapping at `width` when given.
pub fn style(args: &StyleArgs, width: Option<u16>, to_terminal: bool) -> Style {
    Style {
        color: match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        },
        width: width.map_or_else(|| default_width(to_terminal), usize::from),
        local: args.local,
    }
}

/// The terminal's width when writing to one, else `$COLUMNS`, else 80.
fn default_width(to_terminal: bool) -> usize {
    if to_terminal {
        if let Some((terminal_size::Width(width), _)) = terminal_size::terminal_size() {
            return usize::from(width).max(20);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c >= 20)
        .unwrap_or(80)
}
