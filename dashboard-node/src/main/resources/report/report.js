// Tasklane run report: draws the run embedded in #run-data (see ReportData.java for its shape)
// with the dashboard's own task stream (common.js and taskstream.js are inlined before this file).
// User text reaches the DOM only through textContent / setAttribute, never as HTML.
"use strict";

(function () {
  const T = window.Tasklane;
  const data = JSON.parse(document.getElementById("run-data").textContent);
  const run = data.run;
  const origin = Number(run.originMillis);
  const runMicros = Math.max(1, Number(run.durationMicros));
  const CRITICAL = "#ff7f0e";

  function at(us) {
    return origin + us / 1000;
  }

  function took(us) {
    return T.fmtDuration(us / 1000);
  }

  function offset(us) {
    return "+" + T.fmtDuration(us / 1000);
  }

  function pct(part, whole) {
    return whole > 0 ? (100 * part / whole).toFixed(1) + " %" : "–";
  }

  /** A table row of cells: strings, or {text, cls}, or DOM nodes. */
  function addRow(tbody, cells, cls) {
    const tr = document.createElement("tr");
    if (cls) {
      tr.className = cls;
    }
    cells.forEach(function (c) {
      if (c instanceof Node) {
        const td = document.createElement("td");
        td.appendChild(c);
        tr.appendChild(td);
      } else if (c !== null && typeof c === "object") {
        tr.appendChild(T.el("td", c.cls, c.text));
      } else {
        tr.appendChild(T.el("td", null, c));
      }
    });
    tbody.appendChild(tr);
    return tr;
  }

  function num(text) {
    return { text: text, cls: "num" };
  }

  function key(text) {
    return { text: text, cls: "key" };
  }

  function body(id) {
    return document.querySelector("#" + id + " tbody");
  }

  // ---------- header ----------
  function header() {
    document.title = "Tasklane · " + run.name + " · run report";
    document.getElementById("run-title").textContent = run.name;
    const facts = document.getElementById("run-facts");
    const started = run.submitted > 0 ? new Date(run.submitted) : new Date(origin);
    [
      ["name", run.name],
      ["state", run.state],
      ["started", started.toLocaleDateString("en-CA") + " " + T.fmtTime(started.getTime())],
      ["duration", took(run.durationMicros)],
      ["tasks", T.fmtInt(run.graphTasks) + (run.recordedRuns !== run.graphTasks ? " (" + T.fmtInt(run.recordedRuns) + " runs recorded)" : "")],
      ["erred", T.fmtInt(run.erred)],
      ["workers", run.workers.length + (run.workers.length ? ": " + run.workers.join(", ") : "")],
      ["transfers", T.fmtInt(run.transfers)],
      ["graph id", run.graphId],
      ["run id", run.id],
    ].forEach(function (f) {
      facts.appendChild(T.el("dt", null, f[0]));
      facts.appendChild(T.el("dd", null, f[1]));
    });
    const partial = document.getElementById("partial");
    if (run.partial) {
      partial.hidden = false;
      partial.textContent = "Partial run: " + (run.partialReason || "records are missing");
    }
  }

  // ---------- the task stream and the critical path over it ----------
  const steps = data.critical.steps.map(function (s) {
    return { kind: s[0], taskId: s[1], label: s[2], worker: s[3], thread: s[4], start: at(s[5]), stop: at(s[5] + s[6]) };
  });
  const container = document.getElementById("stream");
  const showCritical = document.getElementById("show-critical");
  const stream = new T.TaskStream(container, { live: false, interactive: true, rowHeight: 20, onView: drawCritical });

  function expandTasks() {
    const s = data.stream;
    return s.tasks.map(function (a, i) {
      const row = s.rows[a[3]];
      return {
        id: i, // one entry per run: a retried task is drawn once per run
        key: a[1],
        group: s.groups[a[2]],
        worker: row[0],
        thread: row[1],
        start: at(a[4]),
        stop: at(a[4] + a[5]),
        status: a[6] ? "erred" : "memory",
        nbytes: a[7],
        error: a[8] >= 0 ? s.errors[a[8]] : null,
        transfers: (a[9] || []).map(function (x) {
          return { key: x[0], peer: x[1], bytes: x[2], start: at(x[3]), stop: at(x[3] + x[4]) };
        }),
      };
    });
  }

  function drawCritical(view) {
    let tasksDrawn = 0;
    stream.bars.forEach(function (b) {
      if (b.kind === "task") {
        tasksDrawn++;
      }
    });
    container.setAttribute("data-tasks-drawn", String(tasksDrawn));
    let drawn = 0;
    if (showCritical.checked && steps.length > 0) {
      drawn = overlay(view);
    }
    container.setAttribute("data-critical-steps", String(drawn));
  }

  /** Outlines the path's steps on the stream's canvas and joins them; returns how many were in view. */
  function overlay(view) {
    const ctx = stream.canvas.getContext("2d"); // still scaled for the device by the stream's draw
    const rh = stream.opts.rowHeight;
    const left = stream.xOf(view.t0);
    const right = stream.xOf(view.t1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, right - left, rh * Math.max(stream.rowOrder.length, 1));
    ctx.clip();
    ctx.strokeStyle = CRITICAL;
    let drawn = 0;
    let prev = null;
    steps.forEach(function (s) {
      const row = stream.rowIndex.get(s.worker + "\u0000" + s.thread);
      if (row === undefined) {
        return;
      }
      const y = row * rh;
      const mid = y + rh / 2;
      const x0 = stream.xOf(s.start);
      const x1 = Math.max(stream.xOf(s.stop), x0 + 1);
      if (s.stop >= view.t0 && s.start <= view.t1) {
        drawn++;
      }
      ctx.setLineDash(s.kind === "wait" ? [4, 3] : []);
      ctx.lineWidth = s.kind === "task" ? 2.5 : 1.5;
      if (s.kind === "wait") {
        ctx.beginPath();
        ctx.moveTo(x0, mid);
        ctx.lineTo(x1, mid);
        ctx.stroke();
      } else {
        const inset = s.kind === "task" ? 1 : Math.round(rh * 0.25);
        ctx.strokeRect(x0 - 1, y + inset, x1 - x0 + 2, rh - 2 * inset);
      }
      if (prev && (prev.row !== row || Math.abs(prev.x - x0) > 1)) {
        ctx.setLineDash([]);
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(prev.x, prev.mid);
        ctx.lineTo(x0, mid);
        ctx.stroke();
      }
      prev = { x: x1, mid: mid, row: row };
    });
    ctx.restore();
    return drawn;
  }

  function setupStream() {
    stream.setTasks(expandTasks());
    const s = data.stream;
    const note = document.getElementById("drawn-note");
    note.textContent = s.sampled
      ? T.fmtInt(s.drawn) + " of " + T.fmtInt(s.total) + " tasks drawn (the slowest, the critical path, the errors "
        + "and an even sample of the rest)"
      : T.fmtInt(s.total) + (s.total === 1 ? " task" : " tasks");
    note.setAttribute("data-drawn", String(s.drawn));
    note.setAttribute("data-total", String(s.total));
    T.wireZoomButtons(stream);
    showCritical.addEventListener("change", function () {
      stream.requestDraw();
    });
  }

  // ---------- the critical path as a list ----------
  function criticalList() {
    const c = data.critical;
    const total = { task: 0, transfer: 0, wait: 0 };
    steps.forEach(function (s) {
      total[s.kind] += (s.stop - s.start) * 1000;
    });
    const summary = document.getElementById("critical-summary");
    summary.setAttribute("data-steps", String(steps.length));
    if (steps.length === 0) {
      summary.textContent = "No critical path: no task of the run is in the records.";
    } else {
      summary.textContent = steps.length + " steps over " + took(c.runMicros) + ": compute " + took(total.task)
        + " (" + pct(total.task, c.runMicros) + "), transfers " + took(total.transfer) + " ("
        + pct(total.transfer, c.runMicros) + "), waiting " + took(total.wait) + " (" + pct(total.wait, c.runMicros) + ").";
    }
    if (!c.complete && steps.length > 0) {
      const stopped = document.getElementById("critical-stopped");
      stopped.hidden = false;
      stopped.textContent = "The path stops early: " + c.reason;
    }
    const tb = body("critical-table");
    data.critical.steps.forEach(function (s, i) {
      addRow(tb, [
        num(String(i + 1)),
        s[0],
        key(s[2]),
        s[3] + " · " + s[4],
        num(offset(s[5])),
        num(took(s[6])),
        num(pct(s[6], c.runMicros)),
      ], "step-" + s[0]);
    });
  }

  // ---------- per-group time ----------
  function groups() {
    const tb = body("groups-table");
    data.groups.forEach(function (g) {
      const sum = g.compute + g.transfer + g.waiting;
      const split = T.el("div", "split");
      [["s-compute", g.compute], ["s-transfer", g.transfer], ["s-waiting", g.waiting]].forEach(function (p) {
        const seg = T.el("span", p[0]);
        seg.style.width = T.fillWidth(p[1], sum);
        split.appendChild(seg);
      });
      split.setAttribute("title", "compute " + pct(g.compute, sum) + ", transfer " + pct(g.transfer, sum)
        + ", waiting " + pct(g.waiting, sum));
      addRow(tb, [key(g.name), num(T.fmtInt(g.runs)), num(T.fmtInt(g.erred)), num(took(g.compute)),
        num(took(g.transfer)), num(took(g.waiting)), split]);
    });
  }

  function slowest() {
    const tb = body("slowest-table");
    data.slowest.forEach(function (t) {
      addRow(tb, [key(t[0]), t[1], t[2] + " · " + t[3], num(offset(t[4])), num(took(t[5])), t[6]]);
    });
  }

  function transfers() {
    const x = data.transfers;
    document.getElementById("transfers-summary").textContent = x.count === 0
      ? "No input was fetched from a peer."
      : T.fmtInt(x.count) + " inputs fetched from peers, " + T.fmtBytes(x.bytes) + ", " + took(x.micros)
        + " in all. The slowest:";
    const tb = body("transfers-table");
    x.slowest.forEach(function (t) {
      addRow(tb, [key(t[0]), t[1], t[2], key(t[3]), num(T.fmtBytes(t[4])), num(offset(t[5])), num(took(t[6]))]);
    });
  }

  function errors() {
    const e = data.errors;
    document.getElementById("errors-summary").textContent = e.erred === 0
      ? "No task erred."
      : T.fmtInt(e.erred) + " task runs erred" + (e.other > 0 ? " (" + T.fmtInt(e.other) + " with messages not listed below)" : "") + ".";
    const list = document.getElementById("errors-list");
    e.groups.forEach(function (g) {
      const d = T.el("details", "error-group");
      const s = document.createElement("summary");
      s.appendChild(T.el("span", "error-count", T.fmtInt(g.count) + " ×"));
      s.appendChild(T.el("span", "key", g.message));
      d.appendChild(s);
      d.appendChild(T.el("p", "muted", "tasks: " + g.keys.join(", ") + (g.count > g.keys.length ? ", …" : "")));
      d.appendChild(T.el("pre", null, g.text + (g.cut ? "\n… (cut)" : "")));
      list.appendChild(d);
    });
  }

  // ---------- workers over time ----------
  function spark(points, index, max, color, fmt) {
    const c = T.el("canvas", "spark");
    const w = 160;
    const h = 28;
    const ctx = T.sizeCanvas(c, w, h);
    if (points.length > 0) {
      const t0 = points[0][0];
      const span = Math.max(1, points[points.length - 1][0] - t0);
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      points.forEach(function (p, i) {
        const x = points.length === 1 ? w / 2 : ((p[0] - t0) / span) * (w - 2) + 1;
        const y = h - 2 - (max > 0 ? (p[index] / max) * (h - 4) : 0);
        if (i === 0) {
          ctx.moveTo(x, y);
        } else {
          ctx.lineTo(x, y);
        }
      });
      ctx.stroke();
    }
    let lo = Infinity;
    let hi = -Infinity;
    points.forEach(function (p) {
      lo = Math.min(lo, p[index]);
      hi = Math.max(hi, p[index]);
    });
    c.setAttribute("title", points.length ? "from " + fmt(lo) + " to " + fmt(hi) + " over " + points.length + " samples" : "no samples");
    return c;
  }

  function workers() {
    const w = data.workers;
    const sampled = w.list.some(function (x) {
      return x.points.length > 0;
    });
    document.getElementById("workers-summary").textContent = (sampled
      ? "Each worker's figures as it reported them (about twice a second), at most one sample per "
        + T.fmtDuration(w.interval) + "; hover a small plot for its range."
      : "The workers' figures were not recorded during this run (a run shorter than about half a second may have none); "
        + "the table shows the task runs each worker took.")
      + (w.other > 0 ? " " + w.other + " more workers are not shown." : "");
    const tb = body("workers-table");
    w.list.forEach(function (x) {
      let cpu = 0;
      let mem = 0;
      let limit = 0;
      let exec = 0;
      x.points.forEach(function (p) {
        cpu = Math.max(cpu, p[1]);
        mem = Math.max(mem, p[2]);
        limit = Math.max(limit, p[3]);
        exec = Math.max(exec, p[4]);
      });
      addRow(tb, [
        x.name, x.host || "–", num(x.nthreads > 0 ? String(x.nthreads) : "–"), num(T.fmtInt(x.runs)),
        num(T.fmtPercent(cpu)), spark(x.points, 1, Math.max(100, cpu), T.COLORS.memory, T.fmtPercent),
        num(T.fmtBytes(mem)), spark(x.points, 2, Math.max(limit, mem), "#6a3d9a", T.fmtBytes),
        spark(x.points, 4, Math.max(1, x.nthreads, exec), "#33a02c", String),
      ]);
    });
  }

  header();
  setupStream();
  criticalList();
  groups();
  slowest();
  transfers();
  errors();
  workers();
})();
