// The dashboard of `splitter serve`: polls /v1/dashboard every second and redraws in place. Every
// text from the server goes through textContent, never as markup.
"use strict";

const POLL_MS = 1000;
const COLORS = ["#2456c7", "#e07b00", "#1a7f37", "#9c27b0", "#c62828", "#00838f", "#6d4c41", "#5c6bc0"];
const KEPT = 600; // samples per splitter: ten minutes, as the server keeps
const charts = new Map(); // splitter name -> {plot, apis}
const traffic = new Map(); // splitter name -> samples, oldest first
let newest = 0; // the newest sample's time: the next poll asks only for later ones
let renders = 0; // on <body data-renders>, for a test to tell one update from the next

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

// replaceChildren() would show a null as the text "null".
function put(node, ...children) {
  node.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
}

const fixed = (value, digits) => (value === null || value === undefined ? "–" : value.toFixed(digits));
const percent = (share) => (share === null || share === undefined ? "–" : (share * 100).toFixed(1) + " %");
const ms = (value) => (value === null || value === undefined ? "–" : fixed(value, value < 10 ? 2 : 1) + " ms");
const count = (value) => (value === null || value === undefined ? "–" : value.toLocaleString("en-US"));

function ago(iso, now) {
  const seconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
  return Math.floor(seconds / 3600) + " h ago";
}

function setStatus(text, down) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.classList.toggle("down", Boolean(down));
}

async function poll() {
  try {
    const response = await fetch("/v1/dashboard?since=" + newest, { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) {
      setStatus("not signed in: open the address `splitter dashboard` prints", true);
      return;
    }
    if (!response.ok) {
      setStatus("the serve answered " + response.status, true);
      return;
    }
    const state = await response.json();
    render(state);
    document.body.dataset.renders = String(++renders);
    setStatus("live · updated " + new Date(state.now).toLocaleTimeString("en-GB"), false);
  } catch (error) {
    setStatus("the serve is not reachable (stopped?): retrying", true);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function render(state) {
  for (const splitter of state.splitters) {
    const name = splitter.status.name;
    const samples = (traffic.get(name) || []).concat(splitter.traffic);
    traffic.set(name, samples.slice(-KEPT));
    for (const sample of splitter.traffic) newest = Math.max(newest, sample.at);
  }
  const main = document.getElementById("splitters");
  const names = new Set(state.splitters.map((s) => s.status.name));
  for (const section of [...main.querySelectorAll("section.splitter")]) {
    if (!names.has(section.dataset.splitter)) {
      charts.delete(section.dataset.splitter);
      traffic.delete(section.dataset.splitter);
      section.remove();
    }
  }
  document.getElementById("empty").hidden = state.splitters.length > 0;
  for (const splitter of state.splitters) {
    let section = main.querySelector(`section.splitter[data-splitter="${CSS.escape(splitter.status.name)}"]`);
    if (!section) {
      section = skeleton(splitter.status.name);
      main.append(section);
    }
    fill(section, splitter, state.now);
  }
}

function skeleton(name) {
  return el(
    "section",
    { class: "splitter", "data-splitter": name },
    el("h2", {}, name),
    el("div", { class: "meta" }),
    el("table", { class: "targets" },
      el("thead", {}, el("tr", {}, ...["API", "weight", "observed", "status", "requests", "2XX", "5XX", "p50", "p95"].map((h) => el("th", {}, h)))),
      el("tbody")),
    el("div", { class: "row" },
      el("div", { class: "panel" }, el("h3", {}, "Requests per second per API (dashed: weight %)"), el("div", { class: "chart" })),
      el("div", { class: "panel side" }, el("div", { class: "rollout" }), el("div", { class: "shadow" }))));
}

function fill(section, splitter, now) {
  const status = splitter.status;
  const colorOf = (api) => COLORS[status.apis.findIndex((a) => a.name === api) % COLORS.length];
  const meta = section.querySelector(".meta");
  put(meta,
    el("span", {}, status.endpoint || "no endpoint"),
    el("span", {}, "weights written " + ago(status.last_updated, now)),
    status.split ? el("span", { class: status.split.skewed ? "warn" : "" },
      count(status.split.requests) + " requests since"
        + (status.split.p_value !== undefined ? ", split p = " + fixed(status.split.p_value, 3) : "")
        + (status.split.skewed ? " (skewed from the weights)" : "")) : null);

  const body = section.querySelector("tbody");
  put(body, ...status.apis.map((api) => {
    const ejected = splitter.ejected.includes(api.name);
    return el("tr", { "data-api": api.name },
      el("td", { class: "api" }, el("span", { class: "swatch", style: "" }), api.name,
        api.shadow ? el("span", { class: "badge" }, "shadow") : null),
      el("td", { class: "weight" }, api.weight),
      el("td", { class: "share" }, api.shadow ? "mirror" : percent(api.observed_share)),
      el("td", { class: "status" }, api.status, ejected ? el("span", { class: "badge bad" }, "ejected") : null),
      el("td", { class: "requests" }, count(api.requests)),
      el("td", {}, count(api.responses_2xx)),
      el("td", { class: api.responses_5xx > 0 ? "fail" : "" }, count(api.responses_5xx)),
      el("td", {}, ms(api.latency_ms && api.latency_ms.p50)),
      el("td", {}, ms(api.latency_ms && api.latency_ms.p95)));
  }));
  body.querySelectorAll("tr").forEach((row) => {
    row.querySelector(".swatch").style.background = colorOf(row.dataset.api);
  });

  chart(section, splitter, colorOf);
  rollout(section.querySelector(".rollout"), splitter.rollout, now);
  shadow(section.querySelector(".shadow"), status.shadow);
}

function chart(section, splitter, colorOf) {
  if (typeof uPlot === "undefined") return;
  const name = splitter.status.name;
  const apis = splitter.status.apis.map((a) => a.name);
  const samples = traffic.get(name) || [];
  const data = [samples.map((s) => s.at / 1000)];
  for (const api of apis) data.push(samples.map((s) => (s.rates[api] === undefined ? null : s.rates[api])));
  for (const api of apis) data.push(samples.map((s) => (s.weights[api] === undefined ? null : s.weights[api])));
  const box = section.querySelector(".chart");
  let known = charts.get(name);
  if (known && known.apis.join("\n") !== apis.join("\n")) {
    known.plot.destroy();
    known = undefined;
  }
  if (!known) {
    put(box);
    const series = [{}];
    for (const api of apis) series.push({ label: api, stroke: colorOf(api), width: 2, value: (u, v) => (v === null ? "–" : v.toFixed(1) + "/s") });
    for (const api of apis) series.push({ label: api + " weight", stroke: colorOf(api), width: 1, dash: [5, 4], scale: "%", value: (u, v) => (v === null ? "–" : v + " %") });
    const plot = new uPlot({
      width: Math.max(300, box.clientWidth),
      height: 220,
      series,
      scales: { x: { time: true }, "%": { range: [0, 100] } },
      axes: [{ space: 70, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600], values: (u, splits) => splits.map((t) => new Date(t * 1000).toLocaleTimeString("en-GB")) },
        { label: "req/s", size: 50 }, { scale: "%", side: 1, label: "weight %", grid: { show: false }, size: 45 }],
      legend: { live: false },
    }, data, box);
    known = { plot, apis };
    charts.set(name, known);
  } else {
    known.plot.setData(data);
  }
}

function rollout(box, view, now) {
  if (!view) {
    put(box, el("h3", {}, "Rollout"), el("p", { class: "meta" }, "none in this serve yet: `splitter rollout`"));
    return;
  }
  const state = view.running ? "running" : view.outcome;
  const failedAt = !view.running && view.outcome !== "promoted" ? view.step : 0;
  const steps = el("ol", { class: "steps" }, ...view.steps.map((percentAt, index) => {
    const number = index + 1;
    let cls = "pending";
    if (number === failedAt) cls = "failed";
    else if (number < view.step || (!view.running && view.outcome === "promoted")) cls = "done";
    else if (number === view.step && view.running) cls = "current";
    return el("li", { class: cls, "data-step": number }, percentAt === 0 && view.shadow_step && index === 0 ? "shadow" : percentAt + " %");
  }));
  const gates = el("table", { class: "gates" },
    el("thead", {}, el("tr", {}, el("th", {}, "gate"), el("th", {}, "last value"), el("th", {}, "threshold"), el("th", {}, ""))),
    el("tbody", {}, ...view.gates.map((gate) => el("tr", { "data-gate": gate.name },
      el("td", {}, gate.name),
      el("td", { class: "value" }, gate.value === undefined ? "–" : gate.value),
      el("td", {}, gate.threshold),
      el("td", { class: gate.passed === undefined ? "" : gate.passed ? "pass" : "fail" },
        gate.passed === undefined ? "" : gate.passed ? "pass" : "fail")))));
  const title = (view.candidate || "?") + (view.baseline ? " against " + view.baseline : "");
  put(box,
    el("h3", {}, "Rollout"),
    el("div", {}, title, " · ", el("span", { class: "outcome " + state, "data-outcome": state }, state.replace("_", " ")),
      view.interval_seconds ? el("span", { class: "meta" }, " · " + view.interval_seconds + " s a step") : null),
    view.reason ? el("div", { class: "meta" }, view.reason) : null,
    steps,
    gates,
    el("ul", { class: "events" }, ...view.events.slice(-12).reverse().map((event) =>
      el("li", {}, new Date(event.at).toLocaleTimeString("en-GB") + "  " + event.message))));
}

function shadow(box, report) {
  if (!report) {
    put(box);
    return;
  }
  const agreement = report.agreement === undefined ? "–" : percent(report.agreement);
  put(box,
    el("h3", {}, "Shadow " + report.api),
    el("div", {}, el("span", { class: "agreement" }, agreement), " agreement over " + count(report.compared) + " compared"),
    el("div", { class: "meta" },
      count(report.status_mismatches) + " status mismatches · " + count(report.shadow_failures) + " shadow failures · "
        + count(report.not_compared) + " not compared"),
    report.fields.length === 0 ? null : el("ul", { class: "events" }, ...report.fields.slice(0, 5).map((field) =>
      el("li", {}, field.path + "  " + count(field.count) + (field.noise ? " (noise)" : "")))));
}

poll();
