//! Writing a verb's output: the one macro every verb prints with.

/// `writeln!` to the output, mapping failures to
/// [`CliError::Output`](crate::error::CliError::Output) (a closed pipe is
/// not an error: see `cli::run`).
macro_rules! out {
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).map_err($crate::error::CliError::Output)?
    };
}

pub(crate) use out;
