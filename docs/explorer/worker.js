// The explorer's Web Worker: starts Pyodide from this site, installs the twomountains and SimPy
// wheels built with the site, and runs the simulation off the page's main thread.
//
// Messages in:  {id, type: "start", base, manifest}
//               {id, type: "run", jobs: [{scenario: {name: value}, policy, seed}, ...]}
// Messages out: {type: "progress", stage, step, steps}
//               {id, ok: true, ...} or {id, ok: false, error}
// Requests are handled one at a time, in order (Pyodide runs one thing at a time anyway).

const PY_RUNNER = `
import json
import time

import twomountains as tm

_SERIES = ("week", "value", "value_cumulative", "hours_exploration", "hours_build",
           "hours_platform", "hours_maintenance", "hours_incidents", "hours_switching",
           "exhaustion_mean", "exhaustion_max")


def explorer_run(payload):
    job = json.loads(payload)
    try:
        scenario = tm.Scenario.from_dict(job["scenario"])
        start = time.perf_counter()
        result = tm.run(scenario, policy=job["policy"], seed=int(job["seed"]))
        elapsed = time.perf_counter() - start
    except (tm.ScenarioError, tm.PolicyError, ValueError, TypeError) as err:
        return json.dumps({"error": str(err)})
    return json.dumps({
        "scenario": scenario.to_dict(),
        "changes": scenario.changes_from_default(),
        "policy": result.policy,
        "seed": result.seed,
        "kpis": result.kpis,
        "weekly": {name: result.weekly[name] for name in _SERIES},
        "exhaustion_by_person": result.exhaustion_by_person,
        "run_seconds": elapsed,
    })
`;

let runner = null;
let queue = Promise.resolve();

function progress(stage, step, steps) {
  self.postMessage({ type: "progress", stage, step, steps });
}

async function start(base, manifest) {
  const t0 = performance.now();
  const steps = 4;
  progress("Loading the Python runtime (Pyodide " + manifest.pyodide_version + ")", 1, steps);
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", base).href);
  const py = await loadPyodide({
    indexURL: new URL("pyodide/", base).href,
    packages: [],
    // Pyodide's own standard output would go to the console; the explorer shows results itself.
    stdout: () => {},
    stderr: () => {},
  });
  const stages = { pyodide: performance.now() - t0 };
  progress("Installing the twomountains and SimPy wheels", 2, steps);
  const sitePackages = py.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const name of manifest.wheels) {
    const response = await fetch(new URL("wheels/" + name, base).href);
    if (!response.ok) throw new Error("could not fetch wheels/" + name + " (HTTP " + response.status + ")");
    py.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: sitePackages });
  }
  py.runPython("import importlib; importlib.invalidate_caches()");
  stages.wheels = performance.now() - t0 - stages.pyodide;
  progress("Importing the simulation", 3, steps);
  py.runPython(PY_RUNNER);
  stages.import = performance.now() - t0 - stages.pyodide - stages.wheels;
  runner = py.globals.get("explorer_run");
  progress("Ready", 4, steps);
  return { startup_ms: performance.now() - t0, stages_ms: stages, python: py.runPython("import sys; sys.version") };
}

function run(jobs) {
  return jobs.map((job) => {
    const t0 = performance.now();
    const out = JSON.parse(runner(JSON.stringify(job)));
    out.wall_ms = performance.now() - t0;
    return out;
  });
}

self.onmessage = (event) => {
  const msg = event.data;
  queue = queue.then(async () => {
    try {
      if (msg.type === "start") {
        self.postMessage({ id: msg.id, ok: true, ...(await start(msg.base, msg.manifest)) });
      } else if (msg.type === "run") {
        if (!runner) throw new Error("the Python runtime has not started");
        self.postMessage({ id: msg.id, ok: true, results: run(msg.jobs) });
      } else {
        throw new Error("unknown request " + msg.type);
      }
    } catch (err) {
      self.postMessage({ id: msg.id, ok: false, error: String((err && err.message) || err) });
    }
  });
};
