// Tasklane dashboard: the runs page, the graphs the run history holds, newest first (api/v1/runs.json).
// Names, ids and reasons are user input or derived from it: they reach the DOM as text only.
"use strict";

(function () {
  const body = document.getElementById("runs-body");
  const empty = document.getElementById("runs-empty");
  const error = document.getElementById("runs-error");
  const count = document.getElementById("run-count");

  function cell(row, text, title) {
    const td = document.createElement("td");
    td.textContent = text;
    if (title) {
      td.title = title;
    }
    row.appendChild(td);
    return td;
  }

  function duration(ms) {
    if (!(ms >= 0)) {
      return "–";
    }
    const s = ms / 1000;
    if (s < 60) {
      return s.toFixed(s < 10 ? 2 : 1) + " s";
    }
    const m = Math.floor(s / 60);
    if (m < 60) {
      return m + " min " + Math.round(s - m * 60) + " s";
    }
    return Math.floor(m / 60) + " h " + (m % 60) + " min";
  }

  function link(td, href, text) {
    const a = document.createElement("a");
    a.href = href; // relative: works under any prefix
    a.textContent = text;
    td.appendChild(a);
    td.appendChild(document.createTextNode(" "));
  }

  function show(runs) {
    body.textContent = "";
    for (const r of runs) {
      const tr = document.createElement("tr");
      cell(tr, r.name || "(unnamed)", r.graphId);
      cell(tr, r.submittedMillis ? new Date(r.submittedMillis).toLocaleString() : "–");
      cell(tr, r.finishedMillis ? duration(r.finishedMillis - r.submittedMillis) : "–");
      cell(tr, r.recordedTasks === r.tasks ? String(r.tasks) : r.recordedTasks + " of " + r.tasks,
        r.recordedTasks + " task records in the log");
      cell(tr, String(r.erred));
      cell(tr, String((r.workers || []).length), (r.workers || []).join("\n"));
      const state = cell(tr, r.state + (r.partial ? " (partial)" : ""), r.partial ? r.partialReason : "");
      if (r.partial) {
        state.className = "partial";
      }
      const links = cell(tr, "");
      const base = "runs/" + encodeURIComponent(r.id) + "/";
      link(links, base + "status", "status");
      link(links, base + "tasks", "tasks");
      link(links, base + "report.html", "report");
      link(links, base + "trace.json", "trace");
      body.appendChild(tr);
    }
    empty.hidden = runs.length > 0;
    count.textContent = runs.length + (runs.length === 1 ? " run" : " runs");
  }

  function load() {
    fetch("api/v1/runs.json", { headers: { Accept: "application/json" } })
      .then(function (res) {
        if (!res.ok) {
          throw new Error("the dashboard answered " + res.status);
        }
        return res.json();
      })
      .then(function (runs) {
        error.hidden = true;
        show(runs);
      })
      .catch(function (e) {
        error.textContent = "Cannot list the runs: " + e.message;
        error.hidden = false;
      });
  }

  load();
  setInterval(load, 5000);
})();
