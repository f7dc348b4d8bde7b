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
    let mut command = Cli::command();
    command.build();
    write_man(&command, &man_dir, "statusq")?;
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
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, page).map_err(|e| Error::io(path.display().to_string(), e))
}
