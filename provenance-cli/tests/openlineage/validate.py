"""Check `provenance export openlineage` output against OpenLineage itself.

Usage: python3 validate.py EVENTS.ndjson...

For every event (one JSON object a line):

1. It validates against the spec's `RunEvent` JSON Schema (`spec/`, the
   published files, draft 2020-12, with format checks for date-time, uri
   and uuid), using the `jsonschema` package.
2. Every facet validates against the schema its `_schemaURL` names: the
   spec's standard facets, and our own (`provenance-cli/openlineage/`).
   A facet whose schema is unknown fails.
3. The client library, `openlineage-python`, builds the event from its own
   classes (whose validators check the run id is a UUID and the event time
   ISO 8601), and its serializer gives back the same JSON.
4. `run.runId` is recomputed with Python's `uuid.uuid5` from the session
   and run ids in our facet (docs/EXPORT.md).

Prints a JSON summary on stdout; exits 1 naming each event (file:line)
that fails a check.
"""

import json
import pathlib
import sys
import uuid

import jsonschema
import referencing
from openlineage.client import event_v2
from openlineage.client.generated import (
    base,
    dataset_version_dataset,
    environment_variables_run,
    error_message_run,
    job_type_job,
    parent_run,
    processing_engine_run,
    source_code_location_job,
)
from openlineage.client.serde import Serde

HERE = pathlib.Path(__file__).resolve().parent
OURS = HERE.parent.parent / "openlineage"
RUN_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://docs.rs/provenance-cli/openlineage/run-id")
SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json"


def registry():
    schemas = {}
    for path in sorted((HERE / "spec").glob("*.json")) + sorted(OURS.glob("*.json")):
        schema = json.loads(path.read_text())
        schemas[schema["$id"]] = schema
    resources = [(i, referencing.Resource.from_contents(s)) for i, s in schemas.items()]
    return referencing.Registry().with_resources(resources), schemas


REGISTRY, SCHEMAS = registry()
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
# jsonschema checks a format only when its checker's package is installed
# (rfc3339-validator, rfc3986-validator): without them a bad time or URI
# would pass unseen.
_missing = {"date-time", "uri", "uuid"} - set(FORMATS.checkers)
if _missing:
    sys.exit(f"validate.py: jsonschema cannot check the formats {sorted(_missing)}: pip install -r .ci/requirements.txt")


def validator(url):
    """A validator of the schema at `url` (a file's $id and a #/$defs pointer)."""
    base_id, _, pointer = url.partition("#")
    if base_id not in SCHEMAS:
        raise KeyError(f"no schema is known at {base_id}")
    schema = {"$ref": url}
    return jsonschema.Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


EVENT = validator(SPEC + "#/$defs/RunEvent")

# Our facets: the library's base classes, which keep extra fields.
OWN = {"provenance", "provenance_fingerprint"}


def facets_of(event):
    """(where, name, facet) for every facet of the event."""
    for name, facet in event["run"].get("facets", {}).items():
        yield "run", name, facet
    for name, facet in event["job"].get("facets", {}).items():
        yield "job", name, facet
    for side in ("inputs", "outputs"):
        for i, dataset in enumerate(event.get(side, [])):
            for name, facet in dataset.get("facets", {}).items():
                yield f"{side}[{i}]", name, facet


def own(cls, facet):
    """One of our facets as the library's base facet with extra fields."""
    extra = {k: v for k, v in facet.items() if not k.startswith("_")}
    return cls(producer=facet["_producer"]).with_additional_properties(**extra)


def run_facet(name, f):
    if name == "parent":
        root = f.get("root")
        return parent_run.ParentRunFacet(
            run=parent_run.Run(runId=f["run"]["runId"]),
            job=parent_run.Job(namespace=f["job"]["namespace"], name=f["job"]["name"]),
            root=None
            if root is None
            else parent_run.Root(
                run=parent_run.RootRun(runId=root["run"]["runId"]),
                job=parent_run.RootJob(namespace=root["job"]["namespace"], name=root["job"]["name"]),
            ),
            producer=f["_producer"],
        )
    if name == "processing_engine":
        return processing_engine_run.ProcessingEngineRunFacet(
            version=f["version"],
            name=f.get("name"),
            openlineageAdapterVersion=f.get("openlineageAdapterVersion"),
            producer=f["_producer"],
        )
    if name == "environmentVariables":
        return environment_variables_run.EnvironmentVariablesRunFacet(
            environmentVariables=[
                environment_variables_run.EnvironmentVariable(name=v["name"], value=v["value"])
                for v in f["environmentVariables"]
            ],
            producer=f["_producer"],
        )
    if name == "errorMessage":
        return error_message_run.ErrorMessageRunFacet(
            message=f["message"],
            programmingLanguage=f["programmingLanguage"],
            stackTrace=f.get("stackTrace"),
            producer=f["_producer"],
        )
    if name in OWN:
        return own(base.RunFacet, f)
    raise KeyError(f"run facet {name!r} is not one the exporter writes")


def job_facet(name, f):
    if name == "jobType":
        return job_type_job.JobTypeJobFacet(
            processingType=f["processingType"],
            integration=f["integration"],
            jobType=f.get("jobType"),
            producer=f["_producer"],
        )
    if name == "sourceCodeLocation":
        return source_code_location_job.SourceCodeLocationJobFacet(
            type=f["type"],
            url=f["url"],
            repoUrl=f.get("repoUrl"),
            path=f.get("path"),
            version=f.get("version"),
            tag=f.get("tag"),
            branch=f.get("branch"),
            producer=f["_producer"],
        )
    raise KeyError(f"job facet {name!r} is not one the exporter writes")


def dataset_facet(name, f):
    if name == "version":
        return dataset_version_dataset.DatasetVersionDatasetFacet(
            datasetVersion=f["datasetVersion"], producer=f["_producer"]
        )
    if name in OWN:
        return own(base.DatasetFacet, f)
    raise KeyError(f"dataset facet {name!r} is not one the exporter writes")


def parsed(e):
    """The event built from the client library's classes."""
    datasets = lambda cls, side: [  # noqa: E731
        cls(
            namespace=d["namespace"],
            name=d["name"],
            facets={n: dataset_facet(n, f) for n, f in d.get("facets", {}).items()},
        )
        for d in e.get(side, [])
    ]
    return event_v2.RunEvent(
        eventType=event_v2.RunState(e["eventType"]),
        eventTime=e["eventTime"],
        run=event_v2.Run(
            runId=e["run"]["runId"],
            facets={n: run_facet(n, f) for n, f in e["run"].get("facets", {}).items()},
        ),
        job=event_v2.Job(
            namespace=e["job"]["namespace"],
            name=e["job"]["name"],
            facets={n: job_facet(n, f) for n, f in e["job"].get("facets", {}).items()},
        ),
        inputs=datasets(event_v2.InputDataset, "inputs"),
        outputs=datasets(event_v2.OutputDataset, "outputs"),
        producer=e["producer"],
    )


def pruned(x):
    """`x` without empty objects and lists, at any depth (the library
    writes `"facets": {}` where we write nothing, and the reverse)."""
    if isinstance(x, dict):
        x = {k: pruned(v) for k, v in x.items()}
        return {k: v for k, v in x.items() if v not in ({}, [], None)}
    if isinstance(x, list):
        return [pruned(v) for v in x]
    return x


def as_library_writes(e):
    """`e` as the library serializes it: our facets carry the base
    facet's schema URL there."""
    e = json.loads(json.dumps(e))
    for _, name, facet in facets_of(e):
        if name in OWN:
            facet["_schemaURL"] = SPEC + (
                "#/$defs/RunFacet" if name == "provenance" else "#/$defs/DatasetFacet"
            )
    return pruned(e)


def check(e):
    problems = [f"RunEvent schema: {err.message} at {list(err.absolute_path)}" for err in EVENT.iter_errors(e)]
    checked = []
    for where, name, facet in facets_of(e):
        url = facet.get("_schemaURL", "")
        try:
            v = validator(url)
        except KeyError as err:
            problems.append(f"{where} facet {name}: {err}")
            continue
        problems += [f"{where} facet {name} ({url}): {err.message}" for err in v.iter_errors(facet)]
        checked.append(url.rsplit("/", 1)[-1])
    try:
        back = pruned(Serde.to_dict(parsed(e)))
        if back != as_library_writes(e):
            problems.append(
                "openlineage-python reads it back differently: "
                f"{json.dumps(back, sort_keys=True)[:400]} != {json.dumps(as_library_writes(e), sort_keys=True)[:400]}"
            )
    except Exception as err:  # the library's validators raise many kinds
        problems.append(f"openlineage-python cannot build it: {type(err).__name__}: {err}")
    ours = e["run"].get("facets", {}).get("provenance", {})
    if "session_id" in ours and "run_id" in ours:
        expected = str(uuid.uuid5(RUN_ID_NAMESPACE, f"{ours['session_id']}/{ours['run_id']}"))
        if e["run"]["runId"] != expected:
            problems.append(f"runId {e['run']['runId']} is not uuid5 of its session and run ({expected})")
    else:
        problems.append("no provenance run facet with session_id and run_id")
    return problems, checked


def main(paths):
    failures = []
    summary = {"events": 0, "event_types": {}, "facets": {}}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                e = json.loads(line)
                problems, checked = check(e)
                summary["events"] += 1
                t = e.get("eventType")
                summary["event_types"][t] = summary["event_types"].get(t, 0) + 1
                for c in checked:
                    summary["facets"][c] = summary["facets"].get(c, 0) + 1
                failures += [f"{path}:{number}: {p}" for p in problems]
    print(json.dumps(summary, sort_keys=True))
    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
