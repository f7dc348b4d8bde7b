//! One module per subcommand, each with `run(args, …) -> Result<Exit, Error>`.

pub mod check;
pub mod diff;
pub mod fetch;
pub mod generate;
pub mod providers;
pub mod render;
pub mod serve;
pub mod watch;
