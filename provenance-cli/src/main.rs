//! The `provenance` binary: see `provenance --help`.

fn main() {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = ith_provenance_cli::cli::run(std::env::args_os(), &mut out, &mut std::io::stderr());
    let code = match std::io::Write::flush(&mut out) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("provenance: cannot write output: {e}");
            2
        }
        _ => code,
    };
    std::process::exit(code);
}
