//! docs/CONTRACT.md is what readers in other languages build on, so it is
//! checked against the writer itself: every documented example line must be
//! byte for byte the line the real writer emits for the same event, every
//! line must satisfy the documented envelope schema and its event's
//! `payload_schema()`, the log must carry (in `event.schema` lines) the
//! schema of each event type it writes, the documented event types must be
//! exactly the built-in (registered) ones, and the documented `jq`
//! one-liners must print what the contract says they print.

#[path = "log_support/schema.rs"]
mod schema;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use ith_provenance::{
    Event, EventLog, ProvenanceContext, Sha256Hash,
    context::{
        BuildInfo, CargoBuild, CargoLockInfo, CrateInfo, Dependency, HostInfo, Toolchain,
        WorkingDir,
    },
    crate_info,
    events::{
        AlgorithmInit, AlgorithmResult, DataLoad, DataSave, ENVELOPE_FIELDS, EventSchemaLine,
        FieldSchema, MetricSummary, Metrics, OPTIONAL_ENVELOPE_FIELDS, OutputFile, RunStatus,
        SessionStart,
    },
    fingerprint_array,
    git::{GitInfo, GitSearchStart},
    ith::{EpochDetected, HypothesisResult, PositionType},
    log::{Clock, MemorySink},
    schemas,
    seed::{RootSeed, SeedSource},
};
use schema::{Pattern, assert_log_describes_itself, payload_of, validate};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Value, json};

const CONTRACT: &str = include_str!("../docs/CONTRACT.md");

/// The built-in event types: the contract documents exactly these.
const BUILT_IN: [&str; 9] = [
    SessionStart::EVENT_TYPE,
    EventSchemaLine::EVENT_TYPE,
    DataLoad::EVENT_TYPE,
    AlgorithmInit::EVENT_TYPE,
    AlgorithmResult::EVENT_TYPE,
    EpochDetected::EVENT_TYPE,
    HypothesisResult::EVENT_TYPE,
    DataSave::EVENT_TYPE,
    Metrics::EVENT_TYPE,
];

// ---------------------------------------------------------------------------
// Reading the document

/// The fenced block right after `marker`'s line, checking its info string.
fn block_after<'a>(doc: &'a str, marker_line: usize, info: &str) -> Vec<&'a str> {
    let mut lines = doc.lines().skip(marker_line + 1);
    let fence = lines.next().unwrap_or_default();
    assert_eq!(
        fence,
        format!("```{info}"),
        "CONTRACT.md line {}: a marker must be followed directly by a ```{info} block",
        marker_line + 2
    );
    lines.take_while(|l| *l != "```").collect()
}

/// Every `<!-- example: X -->` block, in document order: (X, the line).
fn documented_examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, line) in CONTRACT.lines().enumerate() {
        let Some(event_type) = line
            .strip_prefix("<!-- example: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        let block = block_after(CONTRACT, i, "json");
        assert_eq!(
            block.len(),
            1,
            "the {event_type} example (CONTRACT.md line {}) must be one line, exactly as written",
            i + 1
        );
        out.push((event_type.to_string(), block[0].to_string()));
    }
    assert!(!out.is_empty(), "CONTRACT.md has no example lines");
    out
}

/// The JSON Schema in the `<!-- schema: envelope -->` block.
fn documented_envelope_schema() -> Value {
    let (i, _) = CONTRACT
        .lines()
        .enumerate()
        .find(|(_, l)| *l == "<!-- schema: envelope -->")
        .expect("CONTRACT.md has the envelope schema");
    serde_json::from_str(&block_after(CONTRACT, i, "json").join("\n"))
        .expect("the envelope schema is JSON")
}

/// Every `<!-- jq -->` console block: (command after `$ `, expected output).
fn documented_jq_commands() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, line) in CONTRACT.lines().enumerate() {
        if line != "<!-- jq -->" {
            continue;
        }
        let block = block_after(CONTRACT, i, "console");
        let command = block[0]
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("CONTRACT.md line {}: `$ command` first", i + 3));
        let mut expected = block[1..].join("\n");
        expected.push('\n');
        out.push((command.to_string(), expected));
    }
    out
}

/// The field names in the table under the heading `### \`event_type\``.
fn documented_fields(event_type: &str) -> Vec<String> {
    let heading = format!("### `{event_type}`");
    let start = CONTRACT
        .find(&heading)
        .unwrap_or_else(|| panic!("CONTRACT.md has no `{heading}` section"));
    let section = &CONTRACT[start + heading.len()..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(name, _)| name.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------
// The documented session, produced by the real writer

/// Hands out the example session's timestamps, one per event.
struct Scripted(AtomicUsize);

/// Microseconds after `start_time()` at which each example event is emitted.
const TICKS: [i64; 9] = [
    3_250, 3_662, 4_208, 5_355, 6_627, 7_270, 7_514, 7_650, 7_761,
];

fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 46, 11).unwrap()
        + chrono::Duration::microseconds(123_456)
}

impl Clock for Scripted {
    fn now_micros(&self) -> i64 {
        start_time().timestamp_micros() + TICKS[self.0.fetch_add(1, Ordering::Relaxed)]
    }
}

/// The experiment's configuration; fields in alphabetical order so the
/// line is the same whether or not serde_json keeps insertion order.
#[derive(serde::Serialize)]
struct Config {
    hurdle: f64,
    window: u32,
}

fn example_context() -> ProvenanceContext {
    let git = GitInfo {
        sha: Some("85d3b4ee9368fb736297f20f75f76b41958c233f".into()),
        short_sha: Some("85d3b4e".into()),
        dirty: Some(false),
        branch: Some("main".into()),
        diff_hash: None,
        dirty_paths: Vec::new(),
        dirty_path_count: Some(0),
        captured_at: Some(ith_provenance::git::CapturedAt::Build),
        repo_root: Some("/home/ana/ith".into()),
        remote_url: Some("https://github.com/ana/ith.git".into()),
        searched_from: Some("/home/ana/ith".into()),
        found_via: Some(GitSearchStart::ManifestDir),
        reason: None,
        patch: None,
    };
    let mut ctx = ProvenanceContext::builder(crate_info!())
        .session_id("sess_20261125_104611_123456_9f3a2c1e0b7d")
        .experiment_id("exp001")
        .start_time(start_time())
        .seed(42)
        .seed_env_value(None)
        .git(git)
        .command_line(vec![
            "target/release/ith-epochs".into(),
            "--hurdle".into(),
            "0.05".into(),
        ])
        .build()
        .unwrap();
    // What the builder cannot fix: this machine, compiler and crate.
    ctx.host = HostInfo {
        hostname: "lab-07".into(),
        os: "linux".into(),
        arch: "x86_64".into(),
        cpu_model: Some("AMD EPYC 7B13".into()),
        cpu_features: vec!["avx".into(), "avx2".into(), "fma".into(), "sse2".into()],
        available_parallelism: Some(2),
    };
    ctx.build = example_build();
    ctx.working_dir = Some(WorkingDir {
        path: Some("/home/ana/ith".into()),
        in_repo: Some(String::new()),
    });
    ctx.env = [("RAYON_NUM_THREADS".to_string(), Some("2".to_string()))].into();
    ctx.rustc_version = "rustc 1.95.0 (59807616e 2026-04-14)".into();
    ctx.crate_info = CrateInfo::new("ith-epochs", "0.3.1", "/home/ana/ith");
    // Drawn from entropy, as most runs' are: above 2^53, where jq 1.6 rounds,
    // so the documented replay one-liner must print it from the raw text.
    ctx.root_seed = RootSeed {
        seed: 13_962_548_219_734_605_871,
        source: SeedSource::Entropy,
    };
    ctx
}

/// A build record short enough to show: two dependencies.
fn example_build() -> BuildInfo {
    let registry = "registry+https://github.com/rust-lang/crates.io-index";
    BuildInfo {
        profile: Some("release".into()),
        opt_level: Some("3".into()),
        debug_assertions: Some(false),
        target: Some("x86_64-unknown-linux-gnu".into()),
        target_features: vec!["fxsr".into(), "sse".into(), "sse2".into()],
        panic: Some("unwind".into()),
        cargo_lock: CargoLockInfo {
            path: Some("/home/ana/ith/Cargo.lock".into()),
            sha256: Some(Sha256Hash::of(b"# Cargo.lock\n")),
            reason: None,
        },
        dependencies: [("ndarray", "0.17.2"), ("ith-provenance", "0.1.0")]
            .into_iter()
            .map(|(name, version)| Dependency {
                name: name.into(),
                version: version.into(),
                source: (name != "ith-provenance").then(|| registry.into()),
            })
            .collect(),
        cargo: Some(CargoBuild {
            package: Some("ith".into()),
            target_kind: Some("example".into()),
            target_name: Some("ith_epochs".into()),
            features: Some(vec!["default".into()]),
            profile: Some("release".into()),
            reason: None,
        }),
        toolchain: Some(Toolchain {
            release: Some("1.95.0".into()),
            commit_hash: Some("59807616e1fa2540724bfbac14d7976d7e4a3860".into()),
            host: Some("x86_64-unknown-linux-gnu".into()),
        }),
    }
}

/// The session CONTRACT.md shows, written by the real writer.
fn real_session() -> Vec<String> {
    let mut ctx = example_context();
    let nav = [1.0_f64, 1.02, 0.99, 1.07, 1.05, 1.12];
    let fp = ctx.fingerprint_array("nav", &nav);
    let seed = ctx.seed("bull_ith");
    let config = Config {
        hurdle: 0.05,
        window: 20,
    };
    ctx.set_config_hash(&config).unwrap();

    let sink = MemorySink::new();
    let log = EventLog::builder()
        .memory(&sink)
        .clock(Scripted(AtomicUsize::new(0)))
        .open(&ctx)
        .unwrap();
    log.emit(&DataLoad::from_array("data/nav.csv", &fp, vec!["nav".into()]).named("nav"))
        .unwrap();
    let init = log
        .algorithm_init("bull_ith", "1.0.0", &config, Some(fp.sha256), Some(seed))
        .unwrap();
    log.emit(&init).unwrap();
    log.emit(&EpochDetected {
        epoch_index: 1,
        bar_index: 3,
        timestamp: Some("2026-01-06T00:00:00Z".into()),
        excess_gain: 0.07,
        excess_loss: 0.01,
        endorsing_crest: 1.07,
        candidate_nadir: 0.99,
        tmaeg_threshold: 0.05,
        position_type: PositionType::Bull,
        nav_at_epoch: Some(1.07),
    })
    .unwrap();
    log.emit(&EpochDetected {
        epoch_index: 2,
        bar_index: 5,
        timestamp: None,
        excess_gain: 0.0667,
        excess_loss: f64::NAN,
        endorsing_crest: 1.12,
        candidate_nadir: 1.05,
        tmaeg_threshold: 0.05,
        position_type: PositionType::Bull,
        nav_at_epoch: Some(1.12),
    })
    .unwrap();
    log.emit(&HypothesisResult {
        hypothesis_id: "H1-epoch-rate".into(),
        test_name: "welch_t".into(),
        statistic: 2.81,
        p_value: 0.0061,
        effect_size: Some(0.54),
        decision: "reject".into(),
        alpha: 0.05,
        context: BTreeMap::from([
            ("n_control".to_string(), json!(40)),
            ("n_epochs".to_string(), json!(2)),
        ]),
    })
    .unwrap();
    // What `DataSave::from_file` writes for the run's output file, with
    // this machine's paths replaced by the example's.
    let epochs_csv = b"epoch,bar_index\n1,3\n2,5\n";
    let save = DataSave {
        target_path: "/home/ana/ith/out/epochs.csv".into(),
        sha256_hash: Sha256Hash::of(epochs_csv),
        size_bytes: epochs_csv.len() as u64,
        output_name: Some("epochs.csv".into()),
        working_dir: "/home/ana/ith".into(),
    };
    log.emit(&save).unwrap();
    // A series of three points, the last one NaN, written as one `metrics`
    // line when the log is flushed.
    for value in [1.0, 1.01, f64::NAN] {
        log.metric("equity", value);
    }
    log.flush().unwrap();
    log.emit(&AlgorithmResult {
        status: RunStatus::Ok,
        duration_ms: 3.541,
        output_hash: Some(fingerprint_array(&[3_u64, 5]).sha256),
        final_metrics: BTreeMap::from([
            ("epochs".to_string(), 2.0),
            ("max_excess_gain".to_string(), 0.07),
        ]),
        error: None,
        dropped_events: 0,
        outputs: vec![OutputFile {
            target_path: save.target_path.clone(),
            sha256_hash: save.sha256_hash,
        }],
        identity_from_start_order: false,
        metrics: Some(BTreeMap::from([(
            "equity".to_string(),
            MetricSummary {
                last: f64::NAN,
                min: 1.0,
                max: 1.01,
                count: 3,
            },
        )])),
    })
    .unwrap();
    let summary = log.close().unwrap();
    assert_eq!(summary.dropped_events, 0);
    let contents = sink.contents();
    assert!(contents.ends_with('\n'), "every line ends in \\n");
    sink.lines()
}

// ---------------------------------------------------------------------------
// Key order, which serde_json's `Value` forgets

/// The keys of a JSON object in the order the text has them.
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
        }
        deserializer.deserialize_map(KeysVisitor)
    }
}

fn keys_in_order(line: &str) -> Vec<String> {
    serde_json::from_str::<Keys>(line).unwrap().0
}

/// The payload schema of a built-in event type, from the registry.
fn payload_schema(event_type: &str) -> Value {
    schemas()
        .unwrap()
        .into_iter()
        .find(|s| s.name == event_type)
        .unwrap_or_else(|| panic!("{event_type} is not a registered event type"))
        .schema
}

/// Checks one line against everything the contract promises of it.
fn check_line(line: &str, envelope_schema: &Value) {
    assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
    let value: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("not strict JSON ({e}): {line}"));
    let errors = validate(envelope_schema, &value);
    assert!(errors.is_empty(), "envelope: {errors:?}\n{line}");

    let keys = keys_in_order(line);
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "duplicate keys: {line}");
    let envelope: Vec<&str> = ENVELOPE_FIELDS
        .iter()
        .copied()
        .filter(|f| value.get(*f).is_some())
        .collect();
    assert_eq!(
        keys[..envelope.len()],
        envelope,
        "the envelope comes first, in order"
    );

    let event_type = value["event_type"].as_str().unwrap();
    let errors = validate(&payload_schema(event_type), &payload_of(&value));
    assert!(
        errors.is_empty(),
        "{event_type} payload: {errors:?}\n{line}"
    );
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn every_example_is_the_line_the_writer_emits() {
    let documented = documented_examples();
    let real = real_session();
    for (i, (event_type, line)) in documented.iter().enumerate() {
        let Some(emitted) = real.get(i) else {
            panic!("CONTRACT.md has more examples than the example session has lines");
        };
        assert_eq!(
            line, emitted,
            "CONTRACT.md's example #{i} ({event_type}) differs from the writer's line \
             (documented first, real second)"
        );
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(
            value["event_type"], *event_type,
            "the marker names its line's type"
        );
    }
    assert_eq!(
        documented.len(),
        real.len(),
        "CONTRACT.md shows the whole example session, one line per event"
    );
}

#[test]
fn examples_and_real_lines_satisfy_the_documented_schemas() {
    let envelope = documented_envelope_schema();
    let mut properties: Vec<&str> = envelope["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    properties.sort_unstable();
    let mut fields = ENVELOPE_FIELDS.to_vec();
    fields.extend(OPTIONAL_ENVELOPE_FIELDS);
    fields.sort_unstable();
    assert_eq!(
        properties, fields,
        "the envelope schema names the envelope, optional fields included"
    );
    assert_eq!(
        envelope["required"],
        json!(ENVELOPE_FIELDS[..4]),
        "all but experiment_id are required"
    );

    for (_, line) in documented_examples() {
        check_line(&line, &envelope);
    }
    for line in real_session() {
        check_line(&line, &envelope);
    }
}

/// The example session carries an `event.schema` line before the first line
/// of each type, and every line validates against the schema so carried
/// (which is the type's `payload_schema()`).
#[test]
fn the_log_carries_the_schema_of_each_line() {
    let real = real_session();
    // Every line but `session.start` and the seven schema lines.
    assert_eq!(assert_log_describes_itself(&real), real.len() - 8);
    for line in &real {
        let value: Value = serde_json::from_str(line).unwrap();
        if value["event_type"] == EventSchemaLine::EVENT_TYPE {
            let described = value["describes"].as_str().unwrap();
            let carried: Value =
                serde_json::from_str(value["payload_schema"].as_str().unwrap()).unwrap();
            assert_eq!(carried, payload_schema(described), "{described}");
            let version = match described {
                "algorithm.init" => 3,
                "algorithm.result" => 4,
                "data.load" => 2,
                _ => 1,
            };
            assert_eq!(value["event_version"], version, "{described}");
        }
    }
    let documented: Vec<String> = documented_examples().into_iter().map(|(_, l)| l).collect();
    assert_log_describes_itself(&documented);
}

#[test]
fn documented_event_types_are_the_built_in_ones() {
    let mut documented: Vec<String> = documented_examples().into_iter().map(|(t, _)| t).collect();
    documented.sort();
    documented.dedup();
    let mut built_in = BUILT_IN.map(String::from).to_vec();
    built_in.sort();
    assert_eq!(documented, built_in);
    // This test binary defines no event type of its own: the registry holds
    // exactly the built-in ones, sorted.
    let registered: Vec<String> = schemas()
        .unwrap()
        .into_iter()
        .map(|s| s.name.to_string())
        .collect();
    assert_eq!(registered, built_in);
}

#[test]
fn field_tables_list_each_events_fields_in_line_order() {
    let envelope = documented_envelope_schema();
    let real = real_session();
    for event_type in BUILT_IN {
        let line = real
            .iter()
            .find(|l| l.contains(&format!(r#""event_type":"{event_type}""#)))
            .unwrap();
        let payload_keys: Vec<String> = keys_in_order(line)
            .into_iter()
            .filter(|k| {
                !ENVELOPE_FIELDS.contains(&k.as_str())
                    && !OPTIONAL_ENVELOPE_FIELDS.contains(&k.as_str())
            })
            .collect();
        assert_eq!(
            documented_fields(event_type),
            payload_keys,
            "the `{event_type}` table in CONTRACT.md"
        );
        check_line(line, &envelope);
    }
}

#[test]
fn lines_stay_single_strict_json_lines_whatever_the_values() {
    let ctx = ProvenanceContext::builder(crate_info!())
        .seed(1)
        .seed_env_value(None)
        .experiment_id("line\nbreak \u{2028} \"quoted\"")
        .build()
        .unwrap();
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&ctx).unwrap();
    log.emit(&HypothesisResult {
        hypothesis_id: "tab\there\r\n".into(),
        test_name: "\u{0}\u{1f}\u{7f}\u{85}".into(),
        statistic: f64::NAN,
        p_value: f64::INFINITY,
        effect_size: Some(f64::NEG_INFINITY),
        decision: "é 😀".into(),
        alpha: -0.0,
        context: BTreeMap::new(),
    })
    .unwrap();
    log.close().unwrap();
    let contents = sink.contents();
    // `session.start`, the `event.schema` line, the event.
    assert_eq!(contents.matches('\n').count(), 3, "{contents}");
    let envelope = documented_envelope_schema();
    let lines = sink.lines();
    for line in &lines {
        check_line(line, &envelope);
    }
    let v: Value = serde_json::from_str(&lines[2]).unwrap();
    assert_eq!(
        (&v["statistic"], &v["p_value"], &v["effect_size"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(
        v["non_finite"],
        json!([
            {"pointer": "/statistic", "value": "NaN"},
            {"pointer": "/p_value", "value": "Infinity"},
            {"pointer": "/effect_size", "value": "-Infinity"},
        ])
    );
    assert_eq!(v["experiment_id"], "line\nbreak \u{2028} \"quoted\"");
    assert_eq!(v["test_name"], "\u{0}\u{1f}\u{7f}\u{85}");
}

#[test]
fn the_schema_checker_rejects_what_it_should() {
    let envelope = documented_envelope_schema();
    let line = &real_session()[2];
    let good: Value = serde_json::from_str(line).unwrap();
    let schema = DataLoad::payload_schema();
    let mut payload = good.as_object().unwrap().clone();
    payload.retain(|k, _| !ENVELOPE_FIELDS.contains(&k.as_str()));
    assert!(validate(&schema, &Value::Object(payload.clone())).is_empty());
    let mut e = good.clone();
    e["non_finite"] = json!([{"pointer": "/value_range/0", "value": "nan"}]);
    assert!(
        !validate(&envelope, &e).is_empty(),
        "non_finite values are the three names"
    );
    e["non_finite"] = json!([]);
    assert!(
        !validate(&envelope, &e).is_empty(),
        "non_finite is never empty"
    );

    let broken = |edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut p = payload.clone();
        edit(&mut p);
        validate(&schema, &Value::Object(p))
    };
    assert!(!broken(&|p| drop(p.remove("row_count"))).is_empty());
    assert!(!broken(&|p| drop(p.insert("extra".into(), json!(1)))).is_empty());
    assert!(!broken(&|p| drop(p.insert("row_count".into(), json!(-1)))).is_empty());
    assert!(!broken(&|p| drop(p.insert("row_count".into(), json!(1.5)))).is_empty());
    assert!(!broken(&|p| drop(p.insert("sha256_hash".into(), json!("sha256:00")))).is_empty());
    assert!(!broken(&|p| drop(p.insert("value_range".into(), json!([1])))).is_empty());
    assert!(!broken(&|p| drop(p.insert("value_range".into(), json!(["NaN", 1])))).is_empty());
    assert!(broken(&|p| drop(p.insert("value_range".into(), json!([null, 1])))).is_empty());
    assert!(broken(&|p| drop(p.insert("dtype".into(), Value::Null))).is_empty());

    let mut e = good.clone();
    e["ts"] = json!("2026-11-25T10:46:11.1267Z");
    assert!(!validate(&envelope, &e).is_empty(), "ts needs six digits");
    e["ts"] = json!("2026-11-25T10:46:11.126706+00:00");
    assert!(!validate(&envelope, &e).is_empty(), "ts ends in Z");
    let mut e = good.clone();
    e.as_object_mut().unwrap().remove("seq");
    assert!(!validate(&envelope, &e).is_empty(), "seq is required");

    let p = Pattern::new("^a[0-9]{2,}b?c*\\.$");
    assert!(p.matches("a12.") && p.matches("a123bccc.") && !p.matches("a1.") && !p.matches("a12x"));

    // The keywords derived schemas use beyond the built-in ones.
    let pair = <(u8, String)>::field_schema();
    assert!(validate(&pair, &json!([1, "a"])).is_empty());
    assert!(!validate(&pair, &json!(["a", 1])).is_empty());
    assert!(!validate(&pair, &json!([1, "a", 2])).is_empty());
    assert!(!validate(&pair, &json!([1])).is_empty());
    let set = <std::collections::BTreeSet<u8>>::field_schema();
    assert!(validate(&set, &json!([1, 2])).is_empty());
    assert!(!validate(&set, &json!([1, 1])).is_empty());
    let c = char::field_schema();
    assert!(validate(&c, &json!("é")).is_empty());
    assert!(!validate(&c, &json!("ab")).is_empty() && !validate(&c, &json!("")).is_empty());
}

/// Runs each documented one-liner on the example session, saved as
/// `run.ndjson`, when `jq` and a POSIX shell are there to run it.
#[test]
fn jq_one_liners_print_what_the_contract_says() {
    let commands = documented_jq_commands();
    assert!(commands.len() >= 3, "CONTRACT.md shows jq one-liners");
    let jq = std::process::Command::new("jq").arg("--version").output();
    if !cfg!(unix) || !jq.is_ok_and(|o| o.status.success()) {
        eprintln!("jq (or sh) is not installed: the documented jq one-liners were not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for (_, line) in documented_examples() {
        log.push_str(&line);
        log.push('\n');
    }
    std::fs::write(dir.path().join("run.ndjson"), log).unwrap();
    for (command, expected) in commands {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{command}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            expected,
            "{command}"
        );
    }
}
