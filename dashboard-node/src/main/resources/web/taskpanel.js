// Tasklane dashboard: one task, explained. A click on a task (task stream, errors page) opens a
// side panel with the scheduler's explanation (api/v1/explain.json) and, for an erred task, its
// error and full remote stack trace (api/v1/errors.json?graph=&key=). Also the stack-trace view the
// errors page uses. User text (keys, errors, traces) reaches the DOM only as text.
"use strict";

(function (T) {
  // frames of these packages are the platform's and Tasklane's plumbing: collapsed by default
  const PLUMBING = ["org.tasklane.", "java.", "jdk.", "sun.", "org.apache.pekko.", "scala."];

  /** The class of a frame line ("\tat java.base/java.lang.Thread.run(Thread.java:840)"), or null. */
  function frameClass(line) {
    const m = /^\s+at\s+(?:[^\s/(]+\/)?(?:[^\s/(]+\/)?([^\s(]+)\(/.exec(line);
    return m ? m[1] : null;
  }

  function isPlumbing(line) {
    if (/^\s+\.\.\. \d+ more\s*$/.test(line)) {
      return true;
    }
    const c = frameClass(line);
    return c !== null && PLUMBING.some(function (p) {
      return c.startsWith(p);
    });
  }

  /**
   * A stack trace as an element: the exception lines and the user's frames shown, each run of
   * plumbing frames (T.PLUMBING) folded into a <details> that says how many and whose.
   */
  T.renderTrace = function (text) {
    const box = T.el("div", "trace");
    const lines = String(text == null ? "" : text).replace(/\s+$/, "").split("\n");
    let run = [];
    function flush() {
      if (run.length === 0) {
        return;
      }
      const owners = new Set();
      run.forEach(function (l) {
        const c = frameClass(l);
        const p = c === null ? null : PLUMBING.find(function (x) {
          return c.startsWith(x);
        });
        if (p) {
          owners.add(p.replace(/\.$/, ""));
        }
      });
      const d = T.el("details", "trace-fold");
      d.appendChild(T.el("summary", null, run.length + (run.length === 1 ? " frame" : " frames")
        + (owners.size ? " of " + Array.from(owners).join(", ") : "")));
      d.appendChild(T.el("pre", "trace-lines", run.join("\n")));
      box.appendChild(d);
      run = [];
    }
    let shown = [];
    function flushShown() {
      if (shown.length) {
        box.appendChild(T.el("pre", "trace-lines", shown.join("\n")));
        shown = [];
      }
    }
    lines.forEach(function (l) {
      if (isPlumbing(l)) {
        flushShown();
        run.push(l);
      } else {
        flush();
        shown.push(l);
      }
    });
    flush();
    flushShown();
    return box;
  };
  T.PLUMBING = PLUMBING;

  // ---------- the panel ----------
  let panel = null;
  let body = null;
  let current = null; // AbortController of the panel's requests

  function ensurePanel() {
    if (panel) {
      return;
    }
    panel = T.el("aside", "task-panel");
    panel.id = "task-panel";
    panel.setAttribute("aria-label", "Task details");
    panel.hidden = true;
    const head = T.el("div", "task-panel-head");
    const title = T.el("h2", "task-panel-title", "Task");
    title.id = "task-panel-title";
    const close = T.el("button", "task-panel-close", "×");
    close.type = "button";
    close.title = "Close";
    close.addEventListener("click", T.closeTaskPanel);
    head.append(title, close);
    body = T.el("div", "task-panel-body");
    panel.append(head, body);
    document.body.appendChild(panel);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") {
        T.closeTaskPanel();
      }
    });
  }

  T.closeTaskPanel = function () {
    if (current) {
      current.abort();
      current = null;
    }
    if (panel) {
      panel.hidden = true;
    }
  };

  function section(title) {
    const s = T.el("section", "tp-section");
    s.appendChild(T.el("h3", null, title));
    body.appendChild(s);
    return s;
  }

  function facts(parent, rows) {
    const dl = T.el("dl", "tp-facts");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") {
        return;
      }
      dl.appendChild(T.el("dt", null, r[0]));
      dl.appendChild(T.el("dd", r[2] || null, r[1]));
    });
    parent.appendChild(dl);
    return dl;
  }

  /**
   * Opens the panel for a task: {graph, key} and what the page knows of it already (status,
   * error). In a replay the scheduler's explanation is not there: the panel shows the record.
   */
  T.openTaskPanel = function (task) {
    ensurePanel();
    if (current) {
      current.abort();
    }
    const ctl = new AbortController();
    current = ctl;
    const graph = String(task.graph == null ? "" : task.graph);
    const key = String(task.key);
    document.getElementById("task-panel-title").textContent = key;
    panel.setAttribute("data-key", key);
    panel.setAttribute("data-graph", graph);
    body.replaceChildren();
    panel.hidden = false;

    const explain = section("State");
    explain.classList.add("tp-explain");
    const status = T.el("p", "tp-summary muted", "asking the scheduler…");
    explain.appendChild(status);
    let errorBox = null;
    if (task.status === "erred") {
      errorBox = section("Error");
      errorBox.classList.add("tp-error");
      errorBox.appendChild(T.el("p", "tp-error-text", task.error == null ? "(no message)" : task.error));
    }
    if (T.replay) {
      status.textContent = "A recorded run: the scheduler's explanation is for tasks of the live cluster.";
      return;
    }
    const q = "graph=" + encodeURIComponent(graph) + "&key=" + encodeURIComponent(key);
    T.getJson("api/v1/explain.json?" + q, ctl.signal)
      .then(function (e) {
        if (current === ctl) {
          showExplanation(explain, status, e);
        }
      })
      .catch(function (err) {
        if (err.name !== "AbortError") {
          status.textContent = "No explanation: " + err.message;
        }
      });
    if (errorBox) {
      T.getJson("api/v1/errors.json?" + q, ctl.signal)
        .then(function (d) {
          if (current === ctl) {
            showError(errorBox, d);
          }
        })
        .catch(function (err) {
          if (err.name !== "AbortError") {
            errorBox.appendChild(T.el("p", "muted", "No stack trace: " + err.message));
          }
        });
    }
  };

  function showExplanation(box, status, e) {
    status.textContent = e.summary;
    status.classList.remove("muted");
    box.setAttribute("data-state", String(e.state));
    if (Array.isArray(e.reasons) && e.reasons.length) {
      const ul = T.el("ul", "tp-reasons");
      e.reasons.forEach(function (r) {
        ul.appendChild(T.el("li", null, r));
      });
      box.appendChild(ul);
    }
    const run = e.lastRun;
    facts(box, [
      ["state", e.state],
      ["group", e.group],
      ["function", e.function],
      ["worker", e.worker],
      ["held by", (e.holders || []).join(", ")],
      ["result", e.state === "memory" ? T.fmtBytes(e.nbytes) : null],
      ["attempts", e.attempts + (e.failedAttempts ? " (" + e.failedAttempts + " failed, " + e.retries + " retries allowed)" : "")],
      ["worker deaths", e.deaths ? e.deaths + " of " + e.allowedFailures + " allowed" : null],
      ["timeout", e.timeoutMillis ? T.fmtDuration(e.timeoutMillis) : null],
      ["graph submitted", T.fmtTime(e.submittedMillis)],
      ["dependents", String(e.dependents)],
    ]);
    if (run) {
      const s = section("Last run");
      facts(s, [
        ["worker", run.worker + " · " + run.thread],
        ["status", run.status],
        ["start", T.fmtTime(run.startMillis)],
        ["duration", T.fmtDuration(run.stopMillis - run.startMillis)],
        ["inputs fetched", run.transfers ? run.transfers + " (" + T.fmtBytes(run.transferBytes) + " in "
          + T.fmtDuration(run.transferMillis) + ")" : "none"],
      ]);
    }
    const inputs = Array.isArray(e.inputs) ? e.inputs : [];
    if (inputs.length) {
      const s = section("Inputs (" + (inputs.length + (e.inputsNotListed || 0)) + ", " + T.fmtBytes(e.inputBytes)
        + " in memory)");
      const table = T.el("table", "tp-inputs");
      inputs.forEach(function (i) {
        const tr = T.el("tr", "tp-input tp-state-" + String(i.state));
        const key = T.el("td", "tp-key");
        const a = T.el("button", "tp-link", i.key);
        a.type = "button";
        a.title = "Explain " + i.key;
        a.addEventListener("click", function () {
          T.openTaskPanel({ graph: e.graphId, key: i.key, status: i.state });
        });
        key.appendChild(a);
        tr.append(key, T.el("td", null, i.state),
          T.el("td", "num", i.state === "memory" ? T.fmtBytes(i.nbytes) : ""),
          T.el("td", null, i.worker ? "on " + i.worker : (i.holders || []).join(", ")));
        table.appendChild(tr);
      });
      s.appendChild(table);
      if (e.inputsNotListed > 0) {
        s.appendChild(T.el("p", "muted", "… and " + e.inputsNotListed + " more"));
      }
    }
    if (e.trace && !panel.querySelector(".tp-error .trace")) {
      const s = panel.querySelector(".tp-error") || section("Error");
      s.appendChild(T.renderTrace(e.trace));
    }
  }

  function showError(box, d) {
    const g = d.group || {};
    facts(box, [
      ["kind", (g.type ? g.type + ": " : "") + g.pattern],
      ["tasks with it", T.fmtInt(g.count) + " (" + T.fmtTime(Number(g.first)) + " – " + T.fmtTime(Number(g.last)) + ")"],
      ["workers", (g.workers || []).join(", ") + (g.moreWorkers ? " and " + g.moreWorkers + " more" : "")],
    ]);
    const link = T.el("a", "tp-more", "All errors of this kind");
    link.setAttribute("href", (T.replay ? "../../" : "") + "errors#" + encodeURIComponent(String(g.id)));
    box.appendChild(link);
    if (d.trace) {
      if (!d.ownTrace) {
        box.appendChild(T.el("p", "muted", "The trace of an earlier task with this error (this one came without one):"));
      }
      const old = box.querySelector(".trace");
      if (old) {
        old.remove();
      }
      box.appendChild(T.renderTrace(d.trace));
    }
  }

  // in a replay the errors page is the live one's
  if (T.replay) {
    document.querySelectorAll('.nav a[href="errors"]').forEach(function (a) {
      a.setAttribute("href", "../../errors");
    });
  }
})(window.Tasklane);
