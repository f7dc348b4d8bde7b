//! `statusq generate DIR` (hidden): write `man/*.1` and `completions/*` from the clap definition.
//!
//! The generated files are committed; a test regenerates them and fails when they differ, so the
//! man page and completions can never drift from `--help`.

use crate::cli::{Cli, GenerateArgs};
use crate::error::{Error, Exit};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::Path;

/// Runs `statusq generate`.
pub fn run(args: GenerateArgs) -> Result<Exit, Error> {
    let man_dir = args.dir.join("man");
    let completions_dir = args.dir.join("completions");
    for dir in [&man_dir, &completions_dir] {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    // The man page lists the subcommands that have pages: no `statusq-help(1)`, which has none
    // (the `help` subcommand itself still works).
    let mut top = Cli::command().disable_help_subcommand(true);
    top.build();
    write_man(&top, &man_dir, "statusq")?;
    let mut command = Cli::command();
    command.build();
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("statusq-{}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        write_man(&sub, &man_dir, &name)?;
    }
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        clap_complete::generate_to(shell, &mut Cli::command(), "statusq", &completions_dir)
            .map_err(|e| Error::io(completions_dir.display().to_string(), e))?;
    }
    Ok(Exit::Success)
}

fn write_man(command: &clap::Command, dir: &Path, name: &str) -> Result<(), Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .map_err(|e| Error::io(name.to_string(), e))?;
    let page = sections(&String::from_utf8_lossy(&page));
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, page).map_err(|e| Error::io(path.display().to_string(), e))
}

/// clap_mangen puts the `after_long_help` text in one `EXTRA` section; a man page has
/// `EXAMPLES` and `EXIT STATUS`, lines kept as written (`.nf`).
fn sections(page: &str) -> String {
    let Some(start) = page.find(".SH EXTRA\n") else {
        return page.to_string();
    };
    let body_start = start + ".SH EXTRA\n".len();
    let end = page[body_start..]
        .find("\n.SH ")
        .map_or(page.len(), |i| body_start + i + 1);
    let mut out = String::from(&page[..start]);
    let mut open = false;
    for line in page[body_start..end].lines() {
        let heading = match line.trim_end() {
            "Examples:" => Some("EXAMPLES"),
            "Exit status:" => Some("\"EXIT STATUS\""),
            _ => None,
        };
        match heading {
            Some(title) => {
                if open {
                    out.push_str(".fi\n");
                }
                out.push_str(&format!(".SH {title}\n.nf\n"));
                open = true;
            }
            None if line.trim().is_empty() => {}
            None => {
                if !open {
                    out.push_str(".SH NOTES\n.nf\n");
                    open = true;
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if open {
        out.push_str(".fi\n");
    }
    out.push_str(&page[end..]);
    out
}
