// The Two Mountains live explorer: the real simulation, run in the page by Pyodide in a Web Worker.
//
// Loaded on every page (hooks/explorer.py adds it); it acts only on elements with class
// "tm-explorer":
//   <div class="tm-explorer" data-url-state></div>      the full explorer (settings kept in the URL)
//   <div class="tm-explorer" data-compact data-params="team_size,deadline_weeks"
//        data-values="mirage_share=0.5" data-policy="crunch" data-seed="3"></div>   a compact embed
//   <div class="tm-explorer" data-compact data-sweep="{...}"></div>   the reveal of a prediction
//        (hooks/predictions.py): runs every option over a few seeds, shows the guess beside them
// Every file it uses (manifest, worker, Pyodide, wheels) is served next to this script.

import { readGuess } from "./predict.js";

const BASE = new URL("./", import.meta.url);
const SVG_NS = "http://www.w3.org/2000/svg";

// Controls of the full explorer, in order, with the slider ranges used (inside the model's ranges).
const CONTROLS = [
  { name: "team_size", label: "Team size", min: 1, max: 20, step: 1 },
  { name: "horizon_weeks", label: "Weeks simulated", min: 4, max: 156, step: 1 },
  { name: "deadline_weeks", label: "Weeks to each deadline", min: 1, max: 30, step: 0.5 },
  { name: "project_interval_weeks", label: "Weeks between projects", min: 1, max: 26, step: 0.5 },
  { name: "candidates_per_project", label: "Candidate framings per project", min: 1, max: 12, step: 1 },
  { name: "mirage_share", label: "Share of mirages", min: 0, max: 1, step: 0.05 },
  { name: "signal_noise", label: "Noise of one experimental signal", min: 0.5, max: 20, step: 0.5 },
  { name: "base_hours_per_week", label: "Contracted hours per week", min: 20, max: 60, step: 1 },
];
const POLICY_LABELS = {
  fixed: "Fixed split (explore a share of each project's window)",
  "mlops-first": "MLOps first",
  "notebook-only": "Notebook only",
  "explore-then-build": "Explore, then build",
  crunch: "Crunch",
  adaptive: "Adaptive",
};
// The first screen shows these (the full explorer all four, a compact embed the first three);
// every measure is in the table below them.
const HEADLINE_KPIS = ["value_delivered", "projects_shipped", "deadlines_missed", "burnout_events"];
// Then the table lists these first, then the rest in the model's order.
const TABLE_FIRST = [
  "value_delivered", "projects_shipped", "deadlines_missed", "mirages_shipped",
  "overtime_hours", "burnout_events", "at_risk_share", "peak_exhaustion",
];
// A label for every KPI of the model (twomountains.KPI_NAMES); a new KPI without one falls back to
// its name, spelled out (acronyms kept), until it is added here.
const KPI_LABELS = {
  value_delivered: "Value delivered (value units)",
  production_value: "Value from systems in production",
  insight_value: "Value from insights (without a system)",
  projects_started: "Projects started",
  projects_shipped: "Projects shipped",
  shipped_on_time: "Projects shipped on time",
  deadlines_missed: "Deadlines missed",
  mirages_shipped: "Mirages shipped",
  fragile_ships: "Fragile systems shipped",
  projects_cancelled: "Projects cancelled",
  projects_dropped: "Projects dropped",
  projects_abandoned: "Projects abandoned",
  projects_fast_tracked: "Projects fast-tracked by schedule pressure",
  build_hours_saved: "Build hours saved by abandoning",
  incidents: "Incidents",
  incidents_paged: "Incidents that paged someone out of hours",
  firefighting_hours: "Firefighting hours",
  exploration_hours: "Exploration hours",
  mlops_hours: "MLOps hours",
  build_hours: "Build hours",
  platform_hours: "Platform hours",
  maintenance_hours: "Maintenance hours",
  overtime_hours: "Overtime hours",
  switching_hours: "Hours lost to context switching",
  hours_worked: "Hours worked",
  explore_share_realized: "Share of project hours spent exploring",
  tech_debt_final: "Technical debt at the end",
  capability_final: "Platform capability at the end",
  domain_knowledge_final: "Domain knowledge at the end",
  burnout_events: "Burnouts",
  attrition: "People who left (after a burnout or for other reasons)",
  attrition_rate_per_person_year: "Departures per person-year",
  at_risk_share: "Share of person-weeks at burnout risk",
  peak_exhaustion: "Peak exhaustion (at risk from 0.7)",
  burnout_rate_per_person_year: "Burnouts per person-year",
  incident_wait_mean_hours: "Mean wait for an incident responder (hours)",
  pressure_mean: "Mean schedule pressure",
  pressure_capped_share: "Share of working days with pressure at its cap",
};
// Short forms for the headline tiles.
const HEADLINE_LABELS = {
  value_delivered: "Value delivered",
  projects_shipped: "Projects shipped",
  deadlines_missed: "Deadlines missed",
  burnout_events: "Burnouts",
};
const ACRONYMS = { mlops: "MLOps", kpi: "KPI", kpis: "KPIs", ci: "CI", cd: "CD", ml: "ML" };
const ACTIVITIES = [
  ["exploration", "Exploration"], ["build", "Building (MLOps)"], ["platform", "Platform"],
  ["maintenance", "Maintenance"], ["incidents", "Incidents"], ["switching", "Context switching"],
];

const api = (window.twomountainsExplorer = window.twomountainsExplorer || {
  lastResult: null, compareResult: null, runs: 0, startupMs: null, runTimesMs: [], error: null,
  sweeps: 0, lastSweep: null,
});

// ------------------------------------------------------------------------------------------------
// Shared runtime: one worker (one Pyodide) per page, whatever the number of explorers on it.
// ------------------------------------------------------------------------------------------------
let manifestPromise = null;
function loadManifest() {
  manifestPromise ??= fetch(new URL("manifest.json", BASE)).then((r) => {
    if (!r.ok) throw new Error("manifest.json: HTTP " + r.status);
    return r.json();
  });
  return manifestPromise;
}

const runtime = {
  worker: null, started: null, nextId: 1, pending: new Map(), listeners: new Set(),
  request(msg) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  },
  start(manifest) {
    if (this.started) return this.started;
    this.started = (async () => {
      if (!manifest.available) throw new Error(manifest.reason || "the site was built without Pyodide");
      if (typeof Worker === "undefined") throw new Error("this browser has no Web Workers");
      this.worker = new Worker(new URL("worker.js", BASE), { type: "module" });
      this.worker.onmessage = (e) => {
        const msg = e.data;
        if (msg.type === "progress") return this.listeners.forEach((f) => f(msg));
        const waiter = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (waiter) (msg.ok ? waiter.resolve(msg) : waiter.reject(new Error(msg.error)));
      };
      this.worker.onerror = (e) => {
        e.preventDefault();
        const err = new Error("the worker failed: " + (e.message || "script error"));
        this.pending.forEach((w) => w.reject(err));
        this.pending.clear();
      };
      const info = await this.request({ type: "start", base: BASE.href, manifest });
      api.startupMs = info.startup_ms;
      api.startupStagesMs = info.stages_ms;
      api.python = info.python;
      return info;
    })();
    return this.started;
  },
  async run(jobs) {
    const reply = await this.request({ type: "run", jobs });
    return reply.results;
  },
};

// ------------------------------------------------------------------------------------------------
// Small helpers
// ------------------------------------------------------------------------------------------------
let uid = 0;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
// "mlops_hours" -> "MLOps hours": words spelled out, acronyms kept (never a blind title-case).
const humanize = (name) => {
  const words = name.split("_").map((w) => ACRONYMS[w.toLowerCase()] || w);
  const first = words[0] || "";
  words[0] = first === first.toLowerCase() ? first.charAt(0).toUpperCase() + first.slice(1) : first;
  return words.join(" ");
};
const kpiLabel = (name) => KPI_LABELS[name] || humanize(name);

function fmt(v) {
  if (typeof v !== "number") return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (Number.isInteger(v) || a >= 1000) return Math.round(v).toLocaleString("en");
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(3).replace(/\.?0+$/, "") || "0";
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

function parseValue(meta, text) {
  if (meta.kind === "bool") {
    const t = String(text).toLowerCase();
    if (["true", "1", "on"].includes(t)) return true;
    if (["false", "0", "off"].includes(t)) return false;
    return String(text);
  }
  const n = Number(text);
  // Left as text, an invalid value reaches Python, whose error names the field and the range.
  if (String(text).trim() === "" || !Number.isFinite(n)) return String(text);
  return meta.kind === "int" && !Number.isInteger(n) ? String(text) : n;
}

const pyLiteral = (v) => (typeof v === "boolean" ? (v ? "True" : "False") : typeof v === "number" ? String(v) : JSON.stringify(v));
const cliLiteral = (v) => (typeof v === "boolean" ? String(v) : String(v));
const shellQuote = (s) => (/^[\w.:=\-+/]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'");

// ------------------------------------------------------------------------------------------------
// Charts: inline SVG, drawn here (no plotting library), with a text description for each.
// ------------------------------------------------------------------------------------------------
function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

const W = 640, H = 300, M = { l: 64, r: 16, t: 16, b: 44 };

function frame(xMax, yMax, xLabel, yLabel) {
  const xs = (x) => M.l + ((x - 1) / Math.max(1, xMax - 1)) * (W - M.l - M.r);
  const ys = (y) => H - M.b - (y / yMax) * (H - M.t - M.b);
  let g = `<g class="tm-axis">`;
  for (const t of niceTicks(0, yMax)) {
    if (t > yMax) continue;
    g += `<line class="tm-grid" x1="${M.l}" x2="${W - M.r}" y1="${ys(t)}" y2="${ys(t)}"/>`;
    g += `<text x="${M.l - 6}" y="${ys(t) + 4}" text-anchor="end">${esc(fmt(t))}</text>`;
  }
  for (const t of niceTicks(1, xMax, 6)) {
    if (t < 1 || t > xMax) continue;
    g += `<text x="${xs(t)}" y="${H - M.b + 16}" text-anchor="middle">${t}</text>`;
  }
  g += `<line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}"/>`;
  g += `<text x="${(M.l + W - M.r) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`;
  g += `<text transform="translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
  return { xs, ys, svg: g + "</g>" };
}

function svgChart(title, description, body, legend) {
  const id = "tm-chart-" + ++uid;
  const fig = el("figure", { class: "tm-chart" });
  fig.innerHTML =
    `<svg xmlns="${SVG_NS}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d">` +
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(description)}</desc>${body}</svg>`;
  if (legend && legend.length) {
    const ul = el("ul", { class: "tm-legend", "aria-hidden": "true" });
    for (const [cls, text] of legend) ul.append(el("li", {}, el("span", { class: "tm-key " + cls }), text));
    fig.append(ul);
  }
  fig.append(el("figcaption", { text: title }));
  return fig;
}

const path = (pts) => pts.map(([x, y], i) => (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1)).join("");

function valueChart(runs) {
  const weeks = runs[0].weekly.week.length;
  const yMax = Math.max(1e-9, ...runs.flatMap((r) => r.weekly.value_cumulative)) * 1.05;
  const f = frame(weeks, yMax, "Week", "Cumulative value");
  let body = f.svg;
  runs.forEach((r, i) => {
    const pts = r.weekly.value_cumulative.map((v, w) => [f.xs(w + 1), f.ys(v)]);
    body += `<path class="tm-line tm-line-${i ? "b" : "a"}" d="${path(pts)}"/>`;
  });
  const desc = runs.map((r, i) => `${i ? "compared setting" : "this setting"}: ${fmt(r.kpis.value_delivered)} by week ${weeks}`).join("; ");
  return svgChart("Value delivered over the period (cumulative)", `Line chart over ${weeks} weeks. Cumulative value reached, ${desc}.`, body,
    runs.length > 1 ? [["tm-key-a", "This setting"], ["tm-key-b", "Compared setting (dashed)"]] : []);
}

function hoursChart(run, label, yMax) {
  const weeks = run.weekly.week.length;
  const f = frame(weeks, yMax, "Week", "Team hours per week");
  let body = f.svg;
  const base = new Array(weeks).fill(0);
  ACTIVITIES.forEach(([key], i) => {
    const top = base.map((b, w) => b + run.weekly["hours_" + key][w]);
    const pts = top.map((v, w) => [f.xs(w + 1), f.ys(v)]).concat(base.map((v, w) => [f.xs(w + 1), f.ys(v)]).reverse());
    body += `<path class="tm-area tm-s${i}" d="${path(pts)}Z"/>`;
    top.forEach((v, w) => (base[w] = v));
  });
  const totals = ACTIVITIES.map(([key, name]) => [name, run.weekly["hours_" + key].reduce((a, b) => a + b, 0)]);
  const all = totals.reduce((a, [, v]) => a + v, 0) || 1;
  const desc = totals.map(([name, v]) => `${name} ${fmt(v)} hours (${Math.round((100 * v) / all)}%)`).join(", ");
  return svgChart(`Hours by activity, stacked${label}`, `Stacked area chart of weekly team hours over ${weeks} weeks. Totals: ${desc}.`, body,
    ACTIVITIES.map(([, name], i) => ["tm-s" + i, name]));
}

function exhaustionChart(run, label, yMax, risk) {
  const weeks = run.weekly.week.length;
  const f = frame(weeks, yMax, "Week", "Exhaustion (1 = burnout level)");
  let body = f.svg;
  body += `<line class="tm-risk" x1="${M.l}" x2="${W - M.r}" y1="${f.ys(risk)}" y2="${f.ys(risk)}"/>`;
  body += `<text class="tm-risk-label" x="${W - M.r - 4}" y="${f.ys(risk) - 5}" text-anchor="end">burnout risk ${fmt(risk)}</text>`;
  let peak = [0, 0, 0];
  run.exhaustion_by_person.forEach((series, p) => {
    body += `<path class="tm-line tm-person tm-s${p % 8}" d="${path(series.map((v, w) => [f.xs(w + 1), f.ys(v)]))}"/>`;
    series.forEach((v, w) => { if (v > peak[0]) peak = [v, p, w + 1]; });
  });
  const atRisk = run.exhaustion_by_person.filter((s) => s.some((v) => v >= risk)).length;
  const desc = `Line chart of the weekly mean exhaustion of each of ${run.exhaustion_by_person.length} team seats over ${weeks} weeks. ` +
    `Highest: ${fmt(peak[0])} (seat ${peak[1] + 1}, week ${peak[2]}). ${atRisk} seat(s) reached the risk level ${fmt(risk)}.`;
  return svgChart(`Exhaustion per person${label}`, desc, body, []);
}

// The answers of a prediction: each answer's mean over seeds (a dot) and its lowest to highest seed
// (a line), the guess and the model's pick marked in words as well as in colour.
function sweepChart(stats, best, guess, measure, pick) {
  const n = stats.length;
  const lo = Math.min(0, ...stats.map((s) => s.min));
  const hi = Math.max(1e-9, ...stats.map((s) => s.max)) * 1.1;
  const xs = (i) => M.l + ((i + 0.5) / n) * (W - M.l - M.r);
  const ys = (y) => H - M.b - ((y - lo) / (hi - lo)) * (H - M.t - M.b - 14);
  let body = `<g class="tm-axis">`;
  for (const t of niceTicks(lo, hi)) {
    if (t > hi) continue;
    body += `<line class="tm-grid" x1="${M.l}" x2="${W - M.r}" y1="${ys(t)}" y2="${ys(t)}"/>`;
    body += `<text x="${M.l - 6}" y="${ys(t) + 4}" text-anchor="end">${esc(fmt(t))}</text>`;
  }
  body += `<line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}"/>`;
  const short = (label) => (label.length > 14 ? label.slice(0, 13) + "…" : label);
  stats.forEach((s, i) => {
    body += `<text x="${xs(i)}" y="${H - M.b + 16}" text-anchor="middle">${esc(n > 6 ? s.label.split(" ")[0] : short(s.label))}</text>`;
  });
  body += `<text transform="translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(measure)}</text></g>`;
  stats.forEach((s, i) => {
    const cls = i === guess ? "tm-mark-guess" : i === best ? "tm-mark-best" : "tm-mark";
    body += `<line class="tm-range-line ${cls}" x1="${xs(i)}" x2="${xs(i)}" y1="${ys(s.min)}" y2="${ys(s.max)}"/>`;
    body += `<circle class="tm-dot ${cls}" cx="${xs(i)}" cy="${ys(s.mean)}" r="${i === guess || i === best ? 6 : 4.5}"/>`;
  });
  const tag = (i, text, dy) => `<text class="tm-mark-label" x="${xs(i)}" y="${ys(stats[i].max) - dy}" text-anchor="middle">${esc(text)}</text>`;
  if (guess != null && guess === best) body += tag(best, `your guess, ${pick}`, 8);
  else {
    body += tag(best, pick, 8);
    if (guess != null) body += tag(guess, "your guess", 8);
  }
  const desc = `Dot chart of the mean ${measure.toLowerCase()} for each answer, with a line from its lowest to its highest seed. ` +
    stats.map((s) => `${s.label}: ${fmt(s.mean)} (${fmt(s.min)} to ${fmt(s.max)})`).join("; ") +
    `. ${pick[0].toUpperCase() + pick.slice(1)} mean: ${stats[best].label}.` + (guess != null ? ` Your guess: ${stats[guess].label}.` : "");
  return svgChart(`${measure} for each answer (mean and spread over seeds)`, desc, body, [
    ["tm-key-guess", "Your guess"], ["tm-key-best", `The ${pick} mean`]]);
}

// ------------------------------------------------------------------------------------------------
// One explorer
// ------------------------------------------------------------------------------------------------
class Explorer {
  constructor(root, manifest) {
    this.root = root;
    this.manifest = manifest;
    this.compact = root.hasAttribute("data-compact");
    this.sweep = root.dataset.sweep ? JSON.parse(root.dataset.sweep) : null;
    this.useUrl = root.hasAttribute("data-url-state") && !this.compact;
    this.meta = Object.fromEntries(manifest.parameters.map((p) => [p.name, p]));
    const wanted = (root.dataset.params || "").split(",").map((s) => s.trim()).filter(Boolean);
    this.controls = wanted.length
      ? wanted.map((n) => CONTROLS.find((c) => c.name === n) || this.defaultControl(n)).filter(Boolean)
      : CONTROLS;
    this.state = { values: {}, policy: manifest.default_policy, seed: 0 };
    this.pinned = null;
    this.notes = [];
    this.applyQuery(this.parseSettings(root.dataset.values || "", ","), root.dataset.policy, root.dataset.seed);
    if (this.useUrl) this.restoreFromUrl();
    this.autorun = true;
    this.running = false;
    this.dirty = false;
    this.timer = null;
    if (this.sweep) this.buildSweep();
    else this.build();
  }

  defaultControl(name) {
    const m = this.meta[name];
    if (!m || m.kind === "bool") { this.notes.push(`unknown parameter "${name}" in data-params`); return null; }
    const step = m.kind === "int" ? 1 : (m.high - m.low) / 100;
    return { name, label: humanize(name), min: m.low, max: m.high, step };
  }

  parseSettings(text, sep) {
    return text.split(sep).map((s) => s.trim()).filter(Boolean).map((pair) => {
      const i = pair.indexOf("=");
      return [pair.slice(0, i), pair.slice(i + 1)];
    });
  }

  // pairs: [[name, text], ...] of scenario parameters; unknown names are reported, not used.
  applyQuery(pairs, policy, seed, target = this.state) {
    for (const [name, text] of pairs) {
      if (!(name in this.meta)) { this.notes.push(`ignored unknown setting "${name}"`); continue; }
      const value = parseValue(this.meta[name], text);
      if (value === this.meta[name].default) delete target.values[name];
      else target.values[name] = value;
    }
    if (policy) target.policy = policy;
    if (seed != null && seed !== "") {
      const n = Number(seed);
      if (Number.isInteger(n) && n >= 0) target.seed = n;
      else this.notes.push(`ignored seed "${seed}" (a whole number from 0 is needed)`);
    }
  }

  restoreFromUrl() {
    const q = new URLSearchParams(location.search);
    const pairs = [...q].filter(([k]) => !["policy", "seed", "vs"].includes(k));
    this.applyQuery(pairs, q.get("policy"), q.get("seed"));
    if (q.has("vs")) {
      const vs = new URLSearchParams(q.get("vs"));
      this.pinned = { values: {}, policy: this.manifest.default_policy };
      this.applyQuery([...vs].filter(([k]) => k !== "policy"), vs.get("policy"), null, this.pinned);
    }
  }

  query() {
    const enc = (s) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(s.values)) q.set(k, String(v));
      if (s.policy !== this.manifest.default_policy) q.set("policy", s.policy);
      return q;
    };
    const q = enc(this.state);
    if (this.state.seed) q.set("seed", String(this.state.seed));
    if (this.pinned) {
      const vs = enc(this.pinned);
      vs.set("policy", this.pinned.policy);
      q.set("vs", vs.toString());
    }
    return q.toString();
  }

  shareUrl() {
    const q = this.query();
    const page = this.useUrl ? new URL(location.pathname, location.href) : new URL("index.html", BASE);
    page.search = q;
    return page.href;
  }

  // --- DOM --------------------------------------------------------------------------------------
  build() {
    const r = this.root;
    r.replaceChildren();
    r.classList.add("tm-ready");
    this.form = el("form", { class: "tm-controls", "aria-label": "Explorer settings", onsubmit: (e) => { e.preventDefault(); this.requestRun(); } });
    const scen = el("fieldset", {}, el("legend", { text: "Scenario" }));
    this.inputs = {};
    for (const c of this.controls) scen.append(this.slider(c));
    this.form.append(scen);

    const pol = el("fieldset", {}, el("legend", { text: "Policy and seed" }));
    const pid = "tm-policy-" + ++uid;
    this.policySelect = el("select", { id: pid, onchange: () => this.onPolicyUi() });
    const names = this.manifest.policies.map((s) => (s.startsWith("fixed") ? "fixed" : s));
    for (const n of names) this.policySelect.append(el("option", { value: n, text: POLICY_LABELS[n] || n }));
    pol.append(el("div", { class: "tm-field" }, el("label", { for: pid, text: "Policy" }), this.policySelect));
    this.shareInput = this.slider({ name: "__share", label: "Fixed split: share of each window spent exploring", min: 0, max: 1, step: 0.05 }, true);
    pol.append(this.shareInput);
    const sid = "tm-seed-" + ++uid;
    this.seedInput = el("input", { id: sid, type: "number", min: 0, step: 1, value: this.state.seed, inputmode: "numeric", onchange: () => this.onSeed() });
    pol.append(el("div", { class: "tm-field" }, el("label", { for: sid, text: "Seed (same seed, same random story)" }), this.seedInput));
    this.form.append(pol);

    this.extra = el("p", { class: "tm-extra" });
    this.form.append(this.extra);

    const buttons = el("div", { class: "tm-buttons" });
    buttons.append(el("button", { type: "submit", class: "md-button md-button--primary", text: "Run" }));
    const aid = "tm-auto-" + ++uid;
    const auto = el("input", { type: "checkbox", id: aid, checked: true, onchange: (e) => (this.autorun = e.target.checked) });
    buttons.append(el("span", { class: "tm-check" }, auto, el("label", { for: aid, text: this.compact ? "Rerun on change (after the first run)" : "Rerun on change" })));
    if (!this.compact) {
      this.pinButton = el("button", { type: "button", class: "md-button", onclick: () => this.togglePin() });
      this.swapButton = el("button", { type: "button", class: "md-button", text: "Swap the two settings", onclick: () => this.swap() });
      buttons.append(this.pinButton, this.swapButton);
    }
    this.form.append(buttons);
    this.pinnedNote = el("p", { class: "tm-pinned" });
    this.form.append(this.pinnedNote);
    r.append(this.form);
    if (!this.compact) r.classList.add("tm-full");

    // The full explorer lays the results out beside the controls (see explorer.css).
    const output = el("div", { class: "tm-output" });
    output.append(this.statusLine());
    this.results = el("div", { class: "tm-results" });
    output.append(this.results);
    output.append(this.sharePanel());
    r.append(output);
    this.syncUi();
    this.setStatus(this.compact ? "Press Run to start the simulation in your browser." : "");
  }

  statusLine() {
    this.status = el("div", { class: "tm-status", role: "status", "aria-live": "polite" });
    this.progress = el("progress", { max: 4, value: 0, "aria-label": "Starting the Python runtime", hidden: true });
    this.statusText = el("span");
    this.status.append(this.progress, this.statusText);
    return this.status;
  }

  slider(c, isShare = false) {
    const id = "tm-" + c.name + "-" + ++uid;
    const m = this.meta[c.name];
    const value = isShare ? this.share() : this.valueOf(c.name);
    const min = typeof value === "number" ? Math.min(c.min, value) : c.min;
    const max = typeof value === "number" ? Math.max(c.max, value) : c.max;
    const out = el("output", { for: id });
    const input = el("input", { type: "range", id, min, max, step: c.step, value: typeof value === "number" ? value : m.default });
    input.addEventListener("input", () => {
      out.textContent = input.value;
      if (isShare) this.state.policy = "fixed:" + Number(input.value);
      else this.setValue(c.name, parseValue(m, input.value));
      this.changed();
    });
    const helpId = id + "-help";
    const label = el("label", { for: id }, c.label, m && m.unit ? el("span", { class: "tm-unit", text: " (" + m.unit + ")" }) : null);
    const field = el("div", { class: "tm-field tm-slider" }, label, el("span", { class: "tm-range" }, input, out));
    if (m) {
      input.setAttribute("aria-describedby", helpId);
      field.append(el("p", { class: "tm-help", id: helpId, text: m.meaning }));
    }
    if (isShare) this.shareRange = { input, out };
    else this.inputs[c.name] = { input, out };
    return field;
  }

  valueOf(name) { return name in this.state.values ? this.state.values[name] : this.meta[name].default; }

  setValue(name, value) {
    if (value === this.meta[name].default) delete this.state.values[name];
    else this.state.values[name] = value;
  }

  share() {
    const m = /^fixed:(.*)$/.exec(this.state.policy);
    const s = m ? Number(m[1]) : 0.4;
    return Number.isFinite(s) ? s : 0.4;
  }

  onPolicyUi() {
    const v = this.policySelect.value;
    this.state.policy = v === "fixed" ? "fixed:" + Number(this.shareRange.input.value) : v;
    this.syncUi();
    this.changed();
  }

  onSeed() {
    const n = Number(this.seedInput.value);
    if (!Number.isInteger(n) || n < 0) { this.setStatus("The seed must be a whole number from 0.", true); return; }
    this.state.seed = n;
    this.changed();
  }

  syncUi() {
    for (const [name, { input, out }] of Object.entries(this.inputs)) {
      const v = this.valueOf(name);
      if (typeof v === "number") {
        if (v > Number(input.max)) input.max = v;
        if (v < Number(input.min)) input.min = v;
        input.value = v;
      }
      out.textContent = String(v);
    }
    const isFixed = this.state.policy.startsWith("fixed");
    const known = [...this.policySelect.options].some((o) => o.value === this.state.policy);
    if (!isFixed && !known) this.policySelect.append(el("option", { value: this.state.policy, text: this.state.policy }));
    this.policySelect.value = isFixed ? "fixed" : this.state.policy;
    this.shareRange.input.value = this.share();
    this.shareRange.out.textContent = String(this.share());
    this.shareRange.input.disabled = !isFixed;
    this.seedInput.value = this.state.seed;
    const shown = new Set(this.controls.map((c) => c.name));
    const other = Object.entries(this.state.values).filter(([k]) => !shown.has(k));
    this.extra.textContent = other.length ? "Also set: " + other.map(([k, v]) => `${k} = ${v}`).join(", ") : "";
    this.extra.hidden = !other.length;
    if (this.pinButton) {
      this.pinButton.textContent = this.pinned ? "Stop comparing" : "Compare: keep these settings as the comparison";
      this.swapButton.hidden = !this.pinned;
      this.pinnedNote.textContent = this.pinned ? "Compared with: " + this.describe(this.pinned) + " (same seed)." : "";
    }
    this.updateShare();
  }

  describe(s) {
    const parts = Object.entries(s.values).map(([k, v]) => `${k} = ${v}`);
    return [...parts, "policy " + s.policy].join(", ") + (parts.length ? "" : " (default scenario)");
  }

  changed() {
    this.syncUiLight();
    if (!this.autorun || (this.compact && !this.hasRun)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.requestRun(), 350);
  }

  syncUiLight() {
    this.shareRange.input.disabled = !this.state.policy.startsWith("fixed");
    this.updateShare();
  }

  togglePin() {
    this.pinned = this.pinned ? null : { values: { ...this.state.values }, policy: this.state.policy };
    this.syncUi();
    if (this.pinned) this.setStatus("Settings kept for comparison. Change the settings above to compare.");
    else this.requestRun();
  }

  swap() {
    const cur = { values: this.state.values, policy: this.state.policy };
    this.state.values = this.pinned.values;
    this.state.policy = this.pinned.policy;
    this.pinned = cur;
    this.syncUi();
    this.requestRun();
  }

  sharePanel() {
    const box = el("details", { class: "tm-share" }, el("summary", { text: "Share these settings, or run them yourself" }));
    this.linkOut = el("input", { type: "text", readonly: true, "aria-label": "Link to these settings", class: "tm-link" });
    this.cmdOut = el("pre", { class: "tm-code", tabindex: 0, "aria-label": "Equivalent command" });
    this.pyOut = el("pre", { class: "tm-code", tabindex: 0, "aria-label": "Equivalent Python" });
    this.copyNote = el("span", { class: "tm-copied", role: "status" });
    const copy = (label, get) => el("button", { type: "button", class: "md-button", text: label, onclick: () => this.copy(get()) });
    box.append(
      el("p", {}, el("strong", { text: "Link: " }), this.linkOut, copy("Copy link", () => this.shareUrl())),
      el("p", {}, el("strong", { text: "Command line: " }), copy("Copy command", () => this.command())), this.cmdOut,
      el("p", {}, el("strong", { text: "Python: " }), copy("Copy Python", () => this.python())), this.pyOut,
      this.copyNote);
    if (!this.compact) box.open = true;
    return box;
  }

  command() {
    const one = (s) => ["twomountains run", "--policy " + shellQuote(s.policy), "--seed " + this.state.seed,
      ...Object.entries(s.values).map(([k, v]) => "--set " + shellQuote(`${k}=${cliLiteral(v)}`))].join(" ");
    return one(this.state) + (this.pinned ? "\n" + one(this.pinned) : "");
  }

  python() {
    const one = (s, name) => {
      const args = Object.entries(s.values).map(([k, v]) => `${k}=${pyLiteral(v)}`).join(", ");
      return `${name} = tm.run(tm.Scenario().replace(${args}), policy=${JSON.stringify(s.policy)}, seed=${this.state.seed})\n`;
    };
    let text = "import twomountains as tm\n\n" + one(this.state, "result");
    if (this.pinned) text += one(this.pinned, "compared");
    text += 'print(result.kpis["value_delivered"])\n';
    return text;
  }

  updateShare() {
    this.linkOut.value = this.shareUrl();
    this.cmdOut.textContent = this.command();
    this.pyOut.textContent = this.python();
    if (this.useUrl) {
      const q = this.query();
      history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + location.hash);
    }
  }

  async copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      this.copyNote.textContent = "Copied.";
    } catch {
      this.copyNote.textContent = "Copying is blocked here: select the text and copy it by hand.";
    }
  }

  setStatus(text, isError = false) {
    this.statusText.textContent = text;
    this.status.classList.toggle("tm-error", isError);
  }

  // --- the reveal of a prediction (sweep mode) ---------------------------------------------------
  buildSweep() {
    const r = this.root;
    const sw = this.sweep;
    r.replaceChildren();
    r.classList.add("tm-ready", "tm-sweep");
    const runs = sw.points.length * sw.seeds;
    const where = sw.scenario === "default" ? "the default scenario" : `the ${sw.scenario} preset`;
    this.form = el("form", { class: "tm-controls", "aria-label": "Run the model for this prediction", onsubmit: (e) => { e.preventDefault(); this.requestRun(); } });
    this.form.append(el("p", { class: "tm-sweep-what", text:
      `The model, in this page: every answer's settings in ${where}, each with seeds 0 to ${sw.seeds - 1} ` +
      `(${runs} runs of a simulated year), compared by their mean ${kpiLabel(sw.measure).toLowerCase()}.` }));
    this.form.append(el("div", { class: "tm-buttons" },
      el("button", { type: "submit", class: "md-button md-button--primary", text: "Run the model and compare with my guess" })));
    r.append(this.form, this.statusLine());
    this.results = el("div", { class: "tm-results" });
    r.append(this.results);
    // A guess committed (or changed) after the run updates the comparison at once.
    const box = r.closest(".tm-prediction");
    box?.addEventListener("tm-prediction-commit", () => { if (this.sweepStats) this.renderSweep(); });
    this.setStatus("Press the button to run the model (the first run starts Python in your browser).");
  }

  guess() {
    const box = this.root.closest(".tm-prediction");
    const key = (box && box.dataset.storageKey) || this.sweep.storage_key;
    const g = readGuess(key);
    return g && this.sweep.points[g.option] ? g : null;
  }

  // Run jobs in the worker; on failure say why in the status line and return null.
  async runJobs(jobs) {
    let results;
    try {
      results = await runtime.run(jobs);
    } catch (err) {
      this.setStatus("The run failed: " + (err.message || err), true);
      return null;
    }
    const failed = results.find((x) => x.error);
    if (failed) {
      this.setStatus("These settings cannot run: " + failed.error, true);
      return null;
    }
    api.runTimesMs.push(...results.map((x) => x.wall_ms));
    return results;
  }

  async runSweep() {
    const sw = this.sweep;
    const jobs = [];
    sw.points.forEach((p) => { for (let seed = 0; seed < sw.seeds; seed++) jobs.push({ scenario: { ...p.values }, policy: p.policy, seed }); });
    this.setStatus(`Running ${jobs.length} simulated years…`);
    const t0 = performance.now();
    const results = await this.runJobs(jobs);
    if (!results) return;
    // Mean, lowest and highest over the seeds, per answer.
    this.sweepStats = sw.points.map((p, i) => {
      const mine = results.slice(i * sw.seeds, (i + 1) * sw.seeds);
      const values = mine.map((x) => x.kpis[sw.measure]);
      const mean = (k) => mine.reduce((t, x) => t + x.kpis[k], 0) / mine.length;
      return { label: p.label, policy: p.policy, values: p.values, mean: mean(sw.measure), min: Math.min(...values), max: Math.max(...values),
        also: Object.fromEntries(sw.also.map((k) => [k, mean(k)])), kpis: mine.map((x) => x.kpis) };
    });
    api.sweeps += 1;
    this.hasRun = true;
    this.renderSweep();
    this.setStatus(`Done: ${results.length} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  }

  renderSweep() {
    const sw = this.sweep;
    const stats = this.sweepStats;
    const better = sw.pick === "lowest" ? (x, y) => x < y : (x, y) => x > y;
    const best = stats.reduce((bi, s, i) => (better(s.mean, stats[bi].mean) ? i : bi), 0);
    const guess = this.guess();
    const g = guess ? guess.option : null;
    const measure = kpiLabel(sw.measure);
    // Seeds overlapping: the guess's spread over seeds reaches the best one's.
    const overlap = g != null && g !== best && stats[g].max >= stats[best].min && stats[g].min <= stats[best].max;
    api.lastSweep = { name: sw.name, guess: g, best, stats: stats.map(({ kpis, ...rest }) => rest), overlap };
    const out = this.results;
    out.replaceChildren();

    const side = el("div", { class: "tm-verdict" });
    const card = (cls, title, main, detail) => el("div", { class: "tm-verdict-card " + cls }, el("p", { class: "tm-verdict-title", text: title }),
      el("p", { class: "tm-verdict-main", text: main }), detail ? el("p", { class: "tm-verdict-detail", text: detail }) : null);
    const spread = (s) => `mean ${fmt(s.mean)}; seeds from ${fmt(s.min)} to ${fmt(s.max)}`;
    side.append(card("tm-verdict-guess", "Your guess", g != null ? stats[g].label : "No guess committed",
      g != null ? `${measure}: ${spread(stats[g])}` : "Commit a guess above to compare it with the model."));
    side.append(card("tm-verdict-model", `The model: ${sw.pick} ${measure.toLowerCase()}`, stats[best].label, spread(stats[best])));
    out.append(side);
    let verdict;
    if (g == null) verdict = "";
    else if (g === best) verdict = "Your guess is where the runs put it.";
    else if (overlap) verdict = `Your guess is not the ${sw.pick} mean, but with ${sw.seeds} seeds their runs overlap: ` +
      "these runs cannot tell the two apart. More seeds would (Module 6).";
    else verdict = `The runs put it elsewhere: every seed of your guess gives a ${sw.pick === "highest" ? "lower" : "higher"} ` +
      `${measure.toLowerCase()} than every seed of the ${sw.pick}. What did your guess leave out?`;
    if (verdict) out.append(el("p", { class: "tm-verdict-text", text: verdict }));
    out.append(sweepChart(stats, best, g, measure, sw.pick));

    const table = el("table", { class: "tm-kpis" });
    table.append(el("caption", { text: `Mean over seeds 0 to ${sw.seeds - 1} for each answer` }));
    const head = el("tr", {}, el("th", { scope: "col", text: "Answer" }), el("th", { scope: "col", text: measure }),
      el("th", { scope: "col", text: "Lowest to highest seed" }), ...sw.also.map((k) => el("th", { scope: "col", text: kpiLabel(k) })));
    const body = el("tbody");
    stats.forEach((st, i) => {
      const marks = [i === g ? "your guess" : "", i === best ? sw.pick : ""].filter(Boolean).join(", ");
      body.append(el("tr", { "data-option": i, class: i === best ? "tm-best" : null },
        el("th", { scope: "row", text: st.label + (marks ? ` (${marks})` : "") }), el("td", { text: fmt(st.mean) }),
        el("td", { text: `${fmt(st.min)} to ${fmt(st.max)}` }), ...sw.also.map((k) => el("td", { text: fmt(st.also[k]) }))));
    });
    table.append(el("thead", {}, head), body);
    out.append(el("div", { class: "tm-table-wrap", tabindex: 0, role: "region", "aria-label": "Results for each answer" }, table));
    const top = stats[best];
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(top.values)) q.set(k, String(v));
    q.set("policy", top.policy);
    out.append(el("p", {}, el("a", { href: new URL("index.html?" + q, BASE).href, text: `Open “${top.label}” in the full explorer` })));
  }

  // --- running ----------------------------------------------------------------------------------
  async requestRun() {
    clearTimeout(this.timer);
    if (this.running) { this.dirty = true; return; }
    this.running = true;
    this.root.setAttribute("aria-busy", "true");
    try {
      do {
        this.dirty = false;
        await this.runOnce();
      } while (this.dirty);
    } finally {
      this.running = false;
      this.root.removeAttribute("aria-busy");
    }
  }

  // Start Python in the page if needed; false (with the reason shown) when it cannot run here.
  async ensureRuntime() {
    try {
      if (!runtime.started) {
        const onProgress = (p) => {
          this.progress.hidden = false;
          this.progress.value = p.step;
          this.setStatus(`Starting Python in your browser (${p.step} of ${p.steps}): ${p.stage}…`);
        };
        runtime.listeners.add(onProgress);
        try { await runtime.start(this.manifest); } finally { runtime.listeners.delete(onProgress); }
      } else {
        await runtime.started;
      }
      this.progress.hidden = true;
    } catch (err) {
      this.progress.hidden = true;
      api.error = String(err.message || err);
      this.unavailable(api.error);
      return false;
    }
    return true;
  }

  async runOnce() {
    if (!(await this.ensureRuntime())) return;
    if (this.sweep) return this.runSweep();
    const job = (s) => ({ scenario: { ...s.values }, policy: s.policy, seed: this.state.seed });
    const jobs = [job(this.state)];
    if (this.pinned) jobs.push(job(this.pinned));
    this.setStatus("Running…");
    const t0 = performance.now();
    const results = await this.runJobs(jobs);
    if (!results) return;
    const ms = performance.now() - t0;
    const [a, b] = results;
    api.lastResult = { scenario: a.scenario, changes: a.changes, policy: a.policy, seed: a.seed, kpis: a.kpis, runMs: a.wall_ms };
    api.compareResult = b ? { scenario: b.scenario, changes: b.changes, policy: b.policy, seed: b.seed, kpis: b.kpis, runMs: b.wall_ms } : null;
    api.runs += 1;
    this.hasRun = true;
    this.render(results);
    const notes = this.notes.length ? " Note: " + this.notes.join("; ") + "." : "";
    this.setStatus(`Done: ${results.length === 2 ? "two runs" : "one run"} of ${a.weekly.week.length} weeks in ${(ms / 1000).toFixed(2)} s.` + notes);
  }

  unavailable(reason) {
    this.setStatus("", true);
    if (this.sweep) {
      this.statusText.replaceChildren(el("strong", { text: "The model cannot run in this page. " }),
        `Reason: ${reason}. Try the question in the live explorer on a copy of the site served over HTTP, or with `,
        el("code", { text: "twomountains run" }), " on your computer.");
      return;
    }
    this.statusText.replaceChildren(
      el("strong", { text: "The live explorer cannot run here. " }),
      `Reason: ${reason}. `,
      "You can run the same settings on your own computer with the command below (after ",
      el("code", { text: "pip install -e ." }), " in a clone of the project, the wheel offered on the Researchers page, or ",
      el("code", { text: "python3 dev.py serve" }), ").",
      el("pre", { class: "tm-code", text: this.command() }));
  }

  render(runs) {
    const [a, b] = runs;
    const out = this.results;
    out.replaceChildren();
    out.append(this.headline(a, b));
    const charts = el("div", { class: "tm-charts" });
    charts.append(valueChart(runs));
    if (this.compact) {
      charts.append(el("p", {}, el("a", { href: this.shareUrl(), text: "Open these settings in the full explorer" })));
      out.append(charts);
      return;
    }
    const hoursMax = Math.max(1, ...runs.flatMap((r) => r.weekly.week.map((_, w) => ACTIVITIES.reduce((s, [key]) => s + r.weekly["hours_" + key][w], 0)))) * 1.05;
    const exMax = Math.max(1, ...runs.flatMap((r) => r.exhaustion_by_person.flat())) * 1.05;
    runs.forEach((r, i) => charts.append(hoursChart(r, b ? (i ? " — compared setting" : " — this setting") : "", hoursMax)));
    runs.forEach((r, i) => charts.append(exhaustionChart(r, b ? (i ? " — compared setting" : " — this setting") : "", exMax, r.scenario.risk_exhaustion)));
    // The value chart first (beside the controls), every measure in a table the reader opens.
    out.append(charts.firstChild);
    const names = TABLE_FIRST.concat(this.manifest.kpi_names.filter((k) => !TABLE_FIRST.includes(k)));
    const table = el("table", { class: "tm-kpis" });
    table.append(el("caption", { text: b ? "Key results: this setting and the compared setting (same seed)" : "Key results of this run" }));
    const head = el("tr", {}, el("th", { scope: "col", text: "Measure" }), el("th", { scope: "col", text: "This setting" }));
    if (b) head.append(el("th", { scope: "col", text: "Compared setting" }), el("th", { scope: "col", text: "Difference" }));
    table.append(el("thead", {}, head));
    const body = el("tbody");
    for (const k of names) {
      const row = el("tr", { "data-kpi": k }, el("th", { scope: "row", text: kpiLabel(k) }), el("td", { text: fmt(a.kpis[k]) }));
      if (b) row.append(el("td", { text: fmt(b.kpis[k]) }), el("td", { text: (a.kpis[k] - b.kpis[k] > 0 ? "+" : "") + fmt(a.kpis[k] - b.kpis[k]) }));
      body.append(row);
    }
    table.append(body);
    const wrap = el("div", { class: "tm-table-wrap", tabindex: 0, role: "region", "aria-label": "Every measure of the run" }, table);
    const all = el("details", { class: "tm-all-kpis" },
      el("summary", { text: `Every measure of the run (${names.length}, as a table)` }), wrap);
    out.append(all);
    out.append(charts);
  }

  // A few headline measures as tiles: the first thing the reader sees after a run.
  headline(a, b) {
    const names = this.compact ? HEADLINE_KPIS.slice(0, 3) : HEADLINE_KPIS;
    const list = el("dl", { class: "tm-headline", "aria-label": "Headline results" });
    for (const k of names) {
      const value = el("dd", {}, el("span", { class: "tm-headline-a", text: fmt(a.kpis[k]) }));
      if (b) value.append(el("span", { class: "tm-headline-b", text: ` vs ${fmt(b.kpis[k])} compared` }));
      list.append(el("div", { class: "tm-tile", "data-kpi": k }, el("dt", { text: HEADLINE_LABELS[k] || kpiLabel(k) }), value));
    }
    return list;
  }
}

// ------------------------------------------------------------------------------------------------
async function mountAll() {
  const roots = [...document.querySelectorAll(".tm-explorer:not(.tm-ready)")];
  if (!roots.length) return;
  let manifest;
  try {
    manifest = await loadManifest();
  } catch (err) {
    for (const r of roots) {
      r.querySelector(".tm-explorer-fallback")?.removeAttribute("hidden");
      const p = el("p", { class: "tm-status tm-error", role: "status" });
      p.textContent = "The explorer's files are missing from this copy of the site (" + (err.message || err) + "). Run the simulation locally with: twomountains run";
      r.prepend(p);
    }
    return;
  }
  api.manifest = manifest;
  for (const root of roots) {
    const ex = new Explorer(root, manifest);
    if (!ex.compact) {
      if (!manifest.available) ex.unavailable(manifest.reason);
      else ex.requestRun();
    }
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
