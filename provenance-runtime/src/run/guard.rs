//! Starting and ending a run: what `#[provenance]`'s generated code calls
//! (through `__private`) around the function's body.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use serde_json::Value;

use super::current_run::{self, Scope};
use super::handle::Run;
use super::start_order::{self, StartOrder};
use super::{identity, session};
use crate::{AlgorithmRun, CrateInfo, DataLoad, Sha256Hash, strict_json_value};

/// What an annotated function's options say, fixed at compile time.
#[derive(Debug)]
pub struct RunSite {
    /// The function's name (for messages).
    pub function: &'static str,
    /// `algorithm_name` in `algorithm.init` (`name = …`, else the function's).
    pub algorithm_name: &'static str,
    /// The session's `experiment_id` if this call opens it (`experiment = …`).
    pub experiment: &'static str,
    /// `version` in `algorithm.init` (`version = …`, else the crate's).
    pub version: &'static str,
    /// `seed = …`.
    pub seed: Option<u64>,
    /// `crate_info!()` expanded in the annotated function's crate.
    pub crate_info: fn() -> CrateInfo,
}

/// A run being set up: its `#[config]` values and `#[fingerprint]` inputs.
#[derive(Debug)]
pub struct RunStart {
    site: &'static RunSite,
    config: Vec<(&'static str, crate::Result<Value>)>,
    inputs: Vec<(&'static str, DataLoad)>,
    /// `#[fingerprint(file)]` arguments whose file could not be read.
    unreadable: Vec<String>,
}

impl RunStart {
    /// Starts collecting the run's inputs.
    pub fn new(site: &'static RunSite) -> RunStart {
        RunStart {
            site,
            config: Vec::new(),
            inputs: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    /// Records a `#[config]` argument.
    pub fn config<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.config.push((name, strict_json_value(value)));
    }

    /// Records a `#[fingerprint]` argument's `data.load`.
    pub fn input(&mut self, name: &'static str, load: DataLoad) {
        self.inputs.push((name, load));
    }

    /// Records a `#[fingerprint(file)]` argument's `data.load`, or that its
    /// file could not be read: the run then has no `data.load` for it, says
    /// so on stderr, and ends as an error naming it (see [`RunGuard::finish`]).
    pub fn input_file(&mut self, name: &'static str, load: crate::Result<DataLoad>) {
        match load {
            Ok(load) => self.input(name, load),
            Err(e) => self.unreadable.push(format!(
                "the #[fingerprint(file)] argument `{name}` was not recorded: {e}"
            )),
        }
    }

    /// Starts a synchronous run: writes its first events and makes it
    /// current until the guard is finished or dropped.
    pub fn start(self) -> RunGuard {
        let begun = self.begin();
        let scope = Scope::enter(begun.run.clone());
        begun.into_guard(Some(scope))
    }

    /// Starts an `async` run: writes its first events; the run is current
    /// only while [`RunGuard::run_async`]'s future is polled.
    pub fn start_async(self) -> RunGuard {
        self.begin().into_guard(None)
    }

    /// Writes `algorithm.init` and the `data.load`s, with the run current.
    fn begin(self) -> Begun {
        let site = self.site;
        let log = session::log_for(site.crate_info, site.experiment);
        let root_seed = session::root_seed(site.seed, &log);
        let has_config = !self.config.is_empty();
        let config = config_value(self.config);
        let recorded_config = config.as_ref().unwrap_or(&Value::Null);
        let inputs: Vec<Sha256Hash> = self.inputs.iter().map(|(_, l)| l.sha256_hash).collect();
        let call = identity::Call {
            name: site.algorithm_name,
            config: recorded_config,
            has_config,
            inputs: &inputs,
        };
        let parent =
            current_run::current().filter(|c| c.run.log().session_id() == log.session_id());
        let identity::Identity {
            id,
            mut start_order,
        } = match &parent {
            Some(parent) => identity::run_id(
                identity::Place::Child {
                    parent_id: parent.run.id(),
                    siblings: parent.run.children(),
                    carried: parent.carried,
                },
                &call,
            ),
            None => identity::run_id(
                identity::Place::TopLevel {
                    session_id: log.session_id(),
                },
                &call,
            ),
        };
        let input_hashes: BTreeMap<String, Sha256Hash> = self
            .inputs
            .iter()
            .map(|(name, load)| (name.to_string(), load.sha256_hash))
            .collect();
        let input_hash = match inputs.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        let run = Run::new(
            id,
            parent.map(|p| p.run.id().to_string()),
            site.algorithm_name,
            log.clone(),
            root_seed,
            input_hashes,
        );
        let _scope = Scope::enter(run.clone());
        let config = config.unwrap_or_else(|e| {
            eprintln!(
                "provenance: {} of `{}`: {e}; its algorithm.init records `config: null`",
                run.id(),
                site.function
            );
            Value::Null
        });
        let raced = start_order.as_ref().is_some_and(StartOrder::raced_at_start);
        if raced {
            start_order::warn_once(std::ptr::from_ref(site).addr(), site.function, run.id());
        }
        let seed = Some(root_seed.seed);
        let started = log
            .algorithm_init(site.algorithm_name, site.version, &config, input_hash, seed)
            .map_err(|e| e.to_string())
            .and_then(|mut init| {
                init.identity_from_start_order = raced;
                log.start_algorithm(init).map_err(|e| e.to_string())
            });
        let algorithm = match started {
            Ok(mut algorithm) => {
                algorithm.share_outputs(run.outputs().clone());
                algorithm.share_metrics(run.metrics().clone());
                if let Some(order) = start_order.take() {
                    algorithm.track_start_order(order);
                }
                Some(algorithm)
            }
            Err(e) if log.is_strict() => panic!(
                "provenance: `{}` cannot be recorded and the log is strict: {e}",
                site.function
            ),
            // A failing lenient log has reported itself; the body still runs.
            Err(_) => None,
        };
        for (name, mut load) in self.inputs {
            // A vector argument is one column, and its name is the column's.
            let one_column = load.shape.as_ref().is_some_and(|shape| shape.len() == 1);
            if one_column && load.columns.is_empty() {
                load.columns.push(name.to_string());
            }
            let _ = log.emit(&load.named(name));
        }
        // A run's start reaches the destination before its body runs, so a
        // `std::process::exit` in the body (which skips every destructor)
        // cannot lose it; the body's own events stay buffered.
        let _ = log.flush_lines();
        let unreadable = (!self.unreadable.is_empty()).then(|| self.unreadable.join("; "));
        if let Some(message) = &unreadable {
            if log.is_strict() {
                panic!(
                    "provenance: `{}` cannot be recorded and the log is strict: {message}",
                    site.function
                );
            }
            eprintln!("provenance: {}: {message}", run.id());
        }
        Begun {
            run,
            algorithm,
            unreadable,
            start_order,
        }
    }
}

/// A run just started, as [`RunStart::begin`] leaves it.
struct Begun {
    run: Run,
    algorithm: Option<AlgorithmRun>,
    unreadable: Option<String>,
    /// Its membership of its equal siblings when no `algorithm.result` will
    /// end it (the log could not start the run).
    start_order: Option<StartOrder>,
}

impl Begun {
    /// The guard that ends the run, current until then through `scope`
    /// (synchronous runs) or on every poll (`async` ones).
    fn into_guard(self, scope: Option<Scope>) -> RunGuard {
        RunGuard {
            run: self.run,
            algorithm: self.algorithm,
            scope,
            unreadable: self.unreadable,
            _start_order: self.start_order,
        }
    }
}

/// One `#[config]` argument is the configuration; several make an object
/// keyed by argument name; none, `{}`. The error names the argument.
fn config_value(config: Vec<(&'static str, crate::Result<Value>)>) -> Result<Value, String> {
    let named = |(name, value): (&str, crate::Result<Value>)| {
        value.map_err(|e| format!("the #[config] argument `{name}` cannot be recorded: {e}"))
    };
    if config.len() == 1 {
        return config.into_iter().next().map_or(Ok(Value::Null), named);
    }
    let mut object = serde_json::Map::new();
    for (name, value) in config {
        object.insert(name.to_string(), named((name, value))?);
    }
    Ok(Value::Object(object))
}

/// A started run. Finish it with the body's outcome; dropped unfinished it
/// writes `status: "panic"` while unwinding, else an error saying the run
/// was cancelled (an `async` run's future dropped before it completed).
#[derive(Debug)]
#[must_use = "dropping the guard ends the run"]
pub struct RunGuard {
    run: Run,
    algorithm: Option<AlgorithmRun>,
    /// Synchronous runs: current until the guard goes.
    scope: Option<Scope>,
    /// Why some `#[fingerprint(file)]` inputs are missing from the run.
    unreadable: Option<String>,
    /// Its membership of its equal siblings, when `algorithm` does not
    /// hold it; declared last, so it ends after the result is written.
    _start_order: Option<StartOrder>,
}

impl RunGuard {
    /// Runs an `async` body with this run current on every poll.
    pub fn run_async<T, F: Future<Output = T>>(&mut self, body: F) -> RunFuture<'_, F> {
        RunFuture {
            guard: self,
            body: Box::pin(body),
        }
    }

    /// `output_file`: records the file the body returned (`None`: an `Err`,
    /// nothing to record) as [`Run::record_output`] does. A file that
    /// cannot be read ends the run as an error naming it, as an unreadable
    /// `#[fingerprint(file)]` input does; the function's value is unchanged.
    pub fn record_output_file(&mut self, path: Option<&std::path::Path>) {
        let Some(path) = path else { return };
        if let Err(e) = self.run.record_output(path) {
            let message = format!("the output_file returned was not recorded: {e}");
            eprintln!("provenance: {}: {message}", self.run.id());
            self.unreadable = Some(match self.unreadable.take() {
                Some(earlier) => format!("{earlier}; {message}"),
                None => message,
            });
        }
    }

    /// Writes `algorithm.result`: `ok` with `output_hash`, or `error` with
    /// the message. A run whose `#[fingerprint(file)]` input could not be
    /// read is an `error` saying so, whatever the body returned: its log
    /// cannot reproduce it.
    pub fn finish(mut self, error: Option<String>, output_hash: Option<Sha256Hash>) {
        let error = match (error, self.unreadable.take()) {
            (error, None) => error,
            (None, Some(unreadable)) => Some(unreadable),
            (Some(error), Some(unreadable)) => Some(format!("{error}; {unreadable}")),
        };
        let Some(algorithm) = self.algorithm.take() else {
            return;
        };
        let _scope = self.scope.is_none().then(|| Scope::enter(self.run.clone()));
        let written = match error {
            None => algorithm.finish_ok(self.run.final_metrics(), output_hash),
            Some(message) => algorithm.finish_error(&message),
        };
        // A failing lenient log has reported itself; a strict one fails the
        // call, as its start would have.
        if let Err(e) = written
            && self.run.log().is_strict()
        {
            panic!(
                "provenance: the result of {} cannot be recorded and the log is strict: {e}",
                self.run.id()
            );
        }
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        let Some(algorithm) = self.algorithm.take() else {
            return;
        };
        let _scope = self.scope.is_none().then(|| Scope::enter(self.run.clone()));
        if std::thread::panicking() {
            // AlgorithmRun's own drop writes `status: "panic"` and the message.
            drop(algorithm);
        } else {
            let _ = algorithm
                .finish_error(&"cancelled: the run's future was dropped before it completed");
        }
        // Fields drop after this body: the run stays current until here.
    }
}

/// An `async` body with its run current on every poll; see
/// [`RunGuard::run_async`].
#[must_use = "futures do nothing unless polled"]
pub struct RunFuture<'g, F> {
    guard: &'g mut RunGuard,
    // Boxed so this future is `Unpin` without unsafe pin projection.
    body: Pin<Box<F>>,
}

impl<F> std::fmt::Debug for RunFuture<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunFuture")
            .field("run", &self.guard.run.id())
            .finish_non_exhaustive()
    }
}

impl<F: Future> Future for RunFuture<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let poll = PollScope {
            algorithm: &mut this.guard.algorithm,
            _current: Scope::enter(this.guard.run.clone()),
        };
        let result = this.body.as_mut().poll(cx);
        drop(poll);
        result
    }
}

/// One poll of an `async` body. If the body panics, the run ends here, on
/// the polling thread while it unwinds with the run current — an executor
/// that catches the panic drops the future only later, when nothing is
/// unwinding any more.
struct PollScope<'a> {
    algorithm: &'a mut Option<AlgorithmRun>,
    _current: Scope,
}

impl Drop for PollScope<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            drop(self.algorithm.take());
        }
    }
}
