//! A run's identity: a path that names the same call in every execution of
//! the same program, however threads are scheduled.
//!
//! `ith_experiment#1/bull_ith#1` is the first `bull_ith` call of the first
//! `ith_experiment` run. A segment is `<name>#<n>`: the n-th call of that
//! name among its siblings (the runs started directly under the same parent,
//! or at the top of the session). A call started where the parent was
//! *carried* into another thread or task ([`Run::enter`](super::Run::enter),
//! [`Run::in_scope`](super::Run::in_scope),
//! [`Run::instrument`](super::Run::instrument)) may race its siblings, so its
//! segment is `<name>@<key>#<n>`: `key` is the first 8 hex digits of its
//! `config_hash` (or, for a call without `#[config]` arguments, of its
//! `#[fingerprint]` inputs), and `n` counts only calls with that same key.
//! Parallel calls with different configurations therefore get the same id
//! whichever starts first; identical parallel calls are the one case left to
//! timing. `docs/PROVENANCE_MACRO.md` states the rule for users.
//!
//! That case is detected where it happens: a carried call whose `name@key`
//! sibling is still running on another thread is racing it, so its `#n`
//! (and its seeds) follow the order the threads started them
//! ([`StartOrder`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::ThreadId;

use sha2::{Digest, Sha256};

use super::start_order::{Live, StartOrder};
use crate::Sha256Hash;

/// How many runs of each segment base (`name`, or `name@key`) a parent has
/// started so far, and for carried calls which of them still run where.
#[derive(Debug, Default)]
pub(super) struct Siblings {
    started: Mutex<HashMap<String, Group>>,
}

/// The runs of one segment base under one parent.
#[derive(Debug, Default)]
struct Group {
    /// Runs started so far.
    started: u64,
    /// Carried calls only (sequential ones cannot race): how many run now,
    /// and whether they raced.
    live: Option<Arc<Live>>,
    /// The thread every running member runs on; `None` once members ran on
    /// two threads at once (until none runs).
    thread: Option<ThreadId>,
}

impl Siblings {
    /// The next ordinal for `base`, from 1, and for a carried call what
    /// tells at its end whether it raced an equal sibling.
    fn next(&self, base: &str, carried: bool) -> (u64, Option<StartOrder>) {
        let mut started = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        let group = started.entry(base.to_string()).or_default();
        group.started += 1;
        let order = carried.then(|| {
            let here = std::thread::current().id();
            let live = group.live.get_or_insert_with(Arc::default);
            let racing = if live.running() == 0 {
                group.thread = Some(here);
                false
            } else if group.thread == Some(here) {
                false
            } else {
                group.thread = None;
                true
            };
            StartOrder::begin(Arc::clone(live), racing)
        });
        (group.started, order)
    }
}

/// A new run's identity.
pub(super) struct Identity {
    /// The run id.
    pub(super) id: String,
    /// For a carried call, whether it races an equal sibling.
    pub(super) start_order: Option<StartOrder>,
}

/// The ordinal of a top-level run (no parent) of `name` in a session. A
/// session's log may be opened by the program or by the first annotated
/// call, so the count lives beside both, keyed by session id.
fn top_level_next(session_id: &str, name: &str) -> u64 {
    static SESSIONS: OnceLock<Mutex<HashMap<String, Siblings>>> = OnceLock::new();
    let sessions = SESSIONS.get_or_init(Mutex::default);
    let mut sessions = sessions.lock().unwrap_or_else(PoisonError::into_inner);
    sessions
        .entry(session_id.to_string())
        .or_default()
        .next(name, false)
        .0
}

/// What tells a call apart from its siblings.
pub(super) struct Call<'a> {
    /// `algorithm_name`.
    pub(super) name: &'a str,
    /// The run's configuration as recorded; hashed (its `config_hash`)
    /// only for a carried call, the one kind whose id needs it.
    pub(super) config: &'a serde_json::Value,
    /// Whether the call has `#[config]` arguments at all.
    pub(super) has_config: bool,
    /// The `#[fingerprint]` inputs' hashes, in argument order.
    pub(super) inputs: &'a [Sha256Hash],
}

/// Where a run starts: under a parent (and whether that parent was carried
/// into this thread or task), or at the top of a session.
pub(super) enum Place<'a> {
    /// Under `parent`, `carried` when made current by `enter`/`in_scope`/
    /// `instrument` rather than by its own body.
    Child {
        parent_id: &'a str,
        siblings: &'a Siblings,
        carried: bool,
    },
    /// At the top of the session.
    TopLevel { session_id: &'a str },
}

/// The identity of a new run.
pub(super) fn run_id(place: Place<'_>, call: &Call<'_>) -> Identity {
    let name = escape(call.name);
    match place {
        Place::TopLevel { session_id } => {
            let n = top_level_next(session_id, &name);
            Identity {
                id: format!("{name}#{n}"),
                start_order: None,
            }
        }
        Place::Child {
            parent_id,
            siblings,
            carried,
        } => {
            let base = if carried {
                format!("{name}@{}", key(call))
            } else {
                name
            };
            let (n, start_order) = siblings.next(&base, carried);
            Identity {
                id: format!("{parent_id}/{base}#{n}"),
                start_order,
            }
        }
    }
}

/// The first 8 hex digits of what tells parallel siblings apart.
fn key(call: &Call<'_>) -> String {
    let hash = if call.has_config || call.inputs.is_empty() {
        // A config that cannot be hashed is recorded as `null`.
        crate::config_hash(call.config).unwrap_or_else(|_| Sha256Hash::of(b"null"))
    } else if let [only] = call.inputs {
        *only
    } else {
        let mut hasher = Sha256::new();
        for input in call.inputs {
            hasher.update(input.to_string().as_bytes());
            hasher.update(b"\n");
        }
        Sha256Hash::finish(hasher)
    };
    hash.hex()[..8].to_string()
}

/// A name as a path segment: `%`, `/`, `#` and `@` (the separators) and
/// control characters are percent-encoded, so an id splits back unambiguously.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '%' | '/' | '#' | '@' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A call with this recorded config (`{}`: no `#[config]` argument).
    fn call<'a>(name: &'a str, config: &'a Value, inputs: &'a [Sha256Hash]) -> Call<'a> {
        Call {
            name,
            config,
            has_config: config != &json!({}),
            inputs,
        }
    }

    /// The first 8 hex digits of a config's `config_hash`.
    fn key_of(config: &Value) -> String {
        crate::config_hash(config).unwrap().hex()[..8].to_string()
    }

    #[test]
    fn sequential_siblings_count_by_name() {
        let siblings = Siblings::default();
        let config = json!(10);
        let child = |name| {
            run_id(
                Place::Child {
                    parent_id: "main#1",
                    siblings: &siblings,
                    carried: false,
                },
                &call(name, &config, &[]),
            )
            .id
        };
        assert_eq!(child("path"), "main#1/path#1");
        assert_eq!(child("path"), "main#1/path#2");
        assert_eq!(child("other"), "main#1/other#1");
        assert_eq!(child("path"), "main#1/path#3");
    }

    #[test]
    fn carried_siblings_count_by_config_key() {
        let siblings = Siblings::default();
        let child = |config: &Value| {
            run_id(
                Place::Child {
                    parent_id: "main#1",
                    siblings: &siblings,
                    carried: true,
                },
                &call("worker", config, &[]),
            )
            .id
        };
        let (a, b) = (json!({"chunk": 1}), json!({"chunk": 2}));
        assert_eq!(child(&a), format!("main#1/worker@{}#1", key_of(&a)));
        assert_eq!(child(&b), format!("main#1/worker@{}#1", key_of(&b)));
        assert_eq!(child(&a), format!("main#1/worker@{}#2", key_of(&a)));
        assert_ne!(key_of(&a), key_of(&b));
    }

    /// A carried call of `worker` with no config, under `main#1`.
    fn carried(siblings: &Siblings) -> Identity {
        let none = json!({});
        run_id(
            Place::Child {
                parent_id: "main#1",
                siblings,
                carried: true,
            },
            &call("worker", &none, &[]),
        )
    }

    fn raced(identity: &mut Identity) -> bool {
        identity.start_order.as_mut().is_some_and(StartOrder::end)
    }

    #[test]
    fn equal_carried_calls_racing_on_two_threads_are_marked() {
        let siblings = Siblings::default();
        let mut first = carried(&siblings);
        let mut second = std::thread::scope(|s| s.spawn(|| carried(&siblings)).join().unwrap());
        assert!(second.start_order.as_ref().unwrap().raced_at_start());
        assert!(!first.start_order.as_ref().unwrap().raced_at_start());
        assert!(raced(&mut second));
        assert!(raced(&mut first), "running when its twin started elsewhere");
    }

    #[test]
    fn equal_carried_calls_one_after_another_are_not_marked() {
        let siblings = Siblings::default();
        // On one thread, even overlapping (a nested carried call).
        let mut outer = carried(&siblings);
        let mut inner = carried(&siblings);
        assert!(!raced(&mut inner));
        assert!(!raced(&mut outer));
        // On two threads, each ended before the next starts.
        let mut here = carried(&siblings);
        assert!(!raced(&mut here));
        let mut there = std::thread::scope(|s| s.spawn(|| carried(&siblings)).join().unwrap());
        assert!(!raced(&mut there));
        assert_eq!(there.id, format!("main#1/worker@{}#4", key_of(&json!({}))));
    }

    #[test]
    fn sequential_children_take_no_start_order() {
        let siblings = Siblings::default();
        let config = json!(1);
        let child = run_id(
            Place::Child {
                parent_id: "main#1",
                siblings: &siblings,
                carried: false,
            },
            &call("path", &config, &[]),
        );
        assert!(child.start_order.is_none());
    }

    #[test]
    fn without_config_inputs_tell_carried_calls_apart() {
        let none = json!({});
        let one = [Sha256Hash::from_bytes([0x11; 32])];
        let two = [
            Sha256Hash::from_bytes([0x11; 32]),
            Sha256Hash::from_bytes([0x22; 32]),
        ];
        assert_eq!(key(&call("w", &none, &one)), "11111111");
        assert_ne!(key(&call("w", &none, &two)), key(&call("w", &none, &one)));
        // With a config, the inputs do not count: editing a worker's data
        // keeps its identity (and its random stream).
        let config = json!(3);
        assert_eq!(key(&call("w", &config, &two)), key_of(&config));
        // Neither config nor inputs: the hash of `{}`, the same for all.
        assert_eq!(key(&call("w", &none, &[])), key_of(&none));
    }

    #[test]
    fn top_level_runs_count_per_session_and_name() {
        let config = json!(null);
        let top = |session, name| {
            run_id(
                Place::TopLevel {
                    session_id: session,
                },
                &call(name, &config, &[]),
            )
            .id
        };
        assert_eq!(top("sess_identity_a", "exp"), "exp#1");
        assert_eq!(top("sess_identity_a", "exp"), "exp#2");
        assert_eq!(top("sess_identity_b", "exp"), "exp#1");
        assert_eq!(top("sess_identity_a", "other"), "other#1");
    }

    #[test]
    fn separators_in_names_are_escaped() {
        assert_eq!(escape("a/b#c@d%e"), "a%2Fb%23c%40d%25e");
        assert_eq!(escape("tab\there"), "tab%09here");
        assert_eq!(escape("plain_name-1.0"), "plain_name-1.0");
    }
}
