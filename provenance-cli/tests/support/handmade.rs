//! Contract-version-2 log lines written by hand, for verbs whose events the
//! runtime's writer does not emit yet (`data.save`, `algorithm.result`'s
//! `outputs`, `data.load`'s `working_dir`): the spec's fields exactly.

use serde_json::{Value, json};

/// One session's lines, numbered as it goes.
pub struct Session {
    id: String,
    experiment: Option<String>,
    seq: u64,
    run: Option<String>,
    parent: Option<String>,
    lines: Vec<String>,
}

impl Session {
    /// A session opened at `ts` on commit `sha` (dirty or not), with root
    /// seed `seed`.
    pub fn new(id: &str, experiment: Option<&str>, ts: &str, sha: &str, dirty: bool) -> Session {
        let mut s = Session {
            id: id.to_string(),
            experiment: experiment.map(String::from),
            seq: 0,
            run: None,
            parent: None,
            lines: Vec::new(),
        };
        let context = json!({
            "session_id": id,
            "experiment_id": experiment,
            "start_time": ts,
            "input_hashes": {},
            "random_seeds": {},
            "root_seed": {"seed": "0x000000000000002a", "source": "explicit"},
            "git_sha": sha,
            "git": {"sha": sha, "short_sha": &sha[..7], "dirty": dirty},
        });
        s.line(
            ts,
            "session.start",
            json!({"contract_version": 2, "context": context}),
        );
        s
    }

    /// Session `id` of experiment `exp` on a clean tree, with one run `fit`
    /// (config `{"k": 1}`) that `body` fills and that ends `ok` a second
    /// after it started.
    pub fn with_one_run(id: &str, body: impl FnOnce(&mut Session)) -> Session {
        let sha = "5".repeat(40);
        let mut s = Session::new(id, Some("exp"), "2026-12-01T10:00:00.000000Z", &sha, false);
        s.init("2026-12-01T10:00:01.000000Z", "fit", "fit", json!({"k": 1}));
        body(&mut s);
        s.result(
            "2026-12-01T10:00:02.000000Z",
            "ok",
            1000.0,
            json!({}),
            json!([]),
        );
        s
    }

    /// Appends a line of `event_type` with `payload`, in the current run.
    pub fn line(&mut self, ts: &str, event_type: &str, payload: Value) -> &mut Session {
        let mut text = format!(
            "{{\"ts\":\"{ts}\",\"event_type\":\"{event_type}\",\"session_id\":\"{}\",\"seq\":{}",
            self.id, self.seq
        );
        if let Some(e) = &self.experiment {
            text.push_str(&format!(",\"experiment_id\":{}", json!(e)));
        }
        if let Some(r) = &self.run {
            text.push_str(&format!(",\"run_id\":{}", json!(r)));
        }
        if let Some(p) = &self.parent {
            text.push_str(&format!(",\"parent_run_id\":{}", json!(p)));
        }
        for (k, v) in payload.as_object().expect("a payload object") {
            text.push_str(&format!(",{}:{v}", json!(k)));
        }
        text.push('}');
        self.lines.push(text);
        self.seq += 1;
        self
    }

    /// `algorithm.init` of run `run_id` (current from now on).
    pub fn init(&mut self, ts: &str, run_id: &str, algorithm: &str, config: Value) -> &mut Session {
        self.run = Some(run_id.to_string());
        self.line(
            ts,
            "algorithm.init",
            json!({"algorithm_name": algorithm, "version": "1.0.0", "random_seed": "0x0000000000000007",
                   "config": config, "config_hash": format!("sha256:{}", "0".repeat(64)),
                   "input_hash": null, "git_sha": null, "git_dirty": null}),
        )
    }

    /// Makes `run` (nested in `parent`) the current run, as when a worker
    /// writes next to its parent.
    pub fn enter(&mut self, run: Option<&str>, parent: Option<&str>) -> &mut Session {
        self.run = run.map(String::from);
        self.parent = parent.map(String::from);
        self
    }

    /// `data.load` of a file, as the new writer records it.
    pub fn load(
        &mut self,
        ts: &str,
        name: &str,
        path: &str,
        sha: &str,
        working_dir: &str,
    ) -> &mut Session {
        self.line(
            ts,
            "data.load",
            json!({"source_path": path, "sha256_hash": sha, "row_count": 0, "column_count": 0,
                   "columns": [], "value_range": null, "input_name": name, "dtype": null,
                   "shape": null, "n_nans": null, "size_bytes": 12, "working_dir": working_dir}),
        )
    }

    /// `data.save` of a file.
    pub fn save(&mut self, ts: &str, path: &str, sha: &str, working_dir: &str) -> &mut Session {
        let name = path.rsplit('/').next().unwrap();
        self.line(
            ts,
            "data.save",
            json!({"target_path": path, "sha256_hash": sha, "size_bytes": 12,
                   "output_name": name, "working_dir": working_dir}),
        )
    }

    /// `algorithm.result` of the current run, which then ends.
    pub fn result(
        &mut self,
        ts: &str,
        status: &str,
        ms: f64,
        metrics: Value,
        outputs: Value,
    ) -> &mut Session {
        self.line(
            ts,
            "algorithm.result",
            json!({"status": status, "duration_ms": ms, "output_hash": null, "error": null,
                   "final_metrics": metrics, "dropped_events": 0, "outputs": outputs}),
        );
        self.run = None;
        self.parent = None;
        self
    }

    /// A `metrics` line: a batch of points of series `name` in the current
    /// run (or the session's), non-finite values written as `null` and
    /// named in the line's last field, `non_finite`, as the contract's
    /// version 2 writes them.
    pub fn series(&mut self, ts: &str, name: &str, steps: &[i64], values: &[f64]) -> &mut Session {
        let mut non_finite = Vec::new();
        let values: Vec<Value> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if v.is_finite() {
                    json!(v)
                } else {
                    let text = if v.is_nan() {
                        "NaN"
                    } else if *v > 0.0 {
                        "Infinity"
                    } else {
                        "-Infinity"
                    };
                    non_finite.push(json!({"pointer": format!("/values/{i}"), "value": text}));
                    Value::Null
                }
            })
            .collect();
        self.line(
            ts,
            "metrics",
            json!({"name": name, "steps": steps, "values": values}),
        );
        if !non_finite.is_empty() {
            let last = self.lines.last_mut().expect("just written");
            last.pop();
            last.push_str(&format!(",\"non_finite\":{}}}", Value::Array(non_finite)));
        }
        self
    }

    /// `algorithm.result` of the current run with the summaries of its
    /// metric series (`metrics`), which then ends.
    pub fn result_with_series(
        &mut self,
        ts: &str,
        final_metrics: Value,
        series: Value,
    ) -> &mut Session {
        self.line(
            ts,
            "algorithm.result",
            json!({"status": "ok", "duration_ms": 10.0, "output_hash": null, "error": null,
                   "final_metrics": final_metrics, "dropped_events": 0, "outputs": [],
                   "metrics": series}),
        );
        self.run = None;
        self.parent = None;
        self
    }

    /// The lines, each ending in `\n`.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }
}
