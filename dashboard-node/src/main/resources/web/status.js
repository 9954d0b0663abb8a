// Tasklane dashboard: the live status page (progress per group, task stream, workers, resources).
"use strict";

(function () {
  const T = window.Tasklane;

  // ---------- progress per task group ----------
  const progress = document.getElementById("progress");
  const progressEmpty = document.getElementById("progress-empty");
  const groupRows = new Map(); // name -> {row, segs, counts}
  const SEGMENTS = ["memory", "released", "erred", "waiting"];
  const SEGMENT_TITLES = {
    memory: "in memory",
    released: "done and released",
    erred: "erred",
    waiting: "processing or waiting",
  };

  function groupRow(name) {
    let g = groupRows.get(name);
    if (g) {
      return g;
    }
    const row = T.el("div", "group-row");
    row.setAttribute("data-group", name);
    const label = T.el("div", "group-name", name);
    label.setAttribute("title", name);
    const bar = T.el("div", "group-bar");
    const segs = {};
    SEGMENTS.forEach(function (s) {
      const seg = T.el("div", "seg seg-" + s);
      seg.setAttribute("data-count", "0");
      segs[s] = seg;
      bar.appendChild(seg);
    });
    const counts = T.el("div", "group-counts");
    row.append(label, bar, counts);
    progress.appendChild(row);
    g = { row: row, segs: segs, counts: counts };
    groupRows.set(name, g);
    return g;
  }

  function setGroup(d) {
    const name = String(d.name);
    const g = groupRow(name);
    const total = Math.max(0, Number(d.total) || 0);
    const n = {
      memory: Number(d.memory) || 0,
      released: Number(d.released) || 0,
      erred: Number(d.erred) || 0,
      waiting: (Number(d.processing) || 0) + (Number(d.waiting) || 0),
    };
    const denom = Math.max(total, n.memory + n.released + n.erred + n.waiting, 1);
    SEGMENTS.forEach(function (s) {
      const seg = g.segs[s];
      seg.setAttribute("data-count", String(n[s]));
      seg.style.width = ((100 * n[s]) / denom).toFixed(3) + "%";
      seg.setAttribute("title", n[s] + " " + SEGMENT_TITLES[s]);
    });
    const done = n.memory + n.released + n.erred;
    g.row.setAttribute("data-total", String(total));
    g.row.classList.toggle("group-done", total > 0 && done >= total);
    g.row.classList.toggle("group-has-errors", n.erred > 0);
    g.counts.textContent = T.fmtInt(done) + " / " + T.fmtInt(total) + (n.erred > 0 ? " (" + n.erred + " erred)" : "");
  }

  function removeGroup(name) {
    const g = groupRows.get(String(name));
    if (g) {
      g.row.remove();
      groupRows.delete(String(name));
    }
  }

  function setAllGroups(list) {
    groupRows.forEach(function (g) {
      g.row.remove();
    });
    groupRows.clear();
    (list || []).forEach(setGroup);
  }

  function updateProgressEmpty() {
    progressEmpty.hidden = groupRows.size > 0;
  }

  // ---------- task stream ----------
  const stream = new T.TaskStream(document.getElementById("stream"), { live: true, maxTasks: 1000, rowHeight: 22 });

  // ---------- workers, grouped by host ----------
  const workerBody = document.getElementById("workers-body");
  const workerEmpty = document.getElementById("workers-empty");

  function cell(text, cls) {
    return T.el("td", cls || null, text);
  }

  function meter(value, max, cls) {
    const m = T.el("span", "meter " + (cls || ""));
    const fill = T.el("span", "meter-fill");
    fill.style.width = (max > 0 ? Math.min(100, (100 * value) / max) : 0).toFixed(1) + "%";
    m.appendChild(fill);
    return m;
  }

  function setWorkers(list) {
    list = Array.isArray(list) ? list.slice() : [];
    const byHost = new Map();
    list.forEach(function (w) {
      const host = String(w.host == null ? "?" : w.host);
      if (!byHost.has(host)) {
        byHost.set(host, []);
      }
      byHost.get(host).push(w);
    });
    let maxBytes = 0;
    list.forEach(function (w) {
      maxBytes = Math.max(maxBytes, Number(w.heldBytes) || 0);
    });
    const rows = [];
    Array.from(byHost.keys()).sort(T.naturalCompare).forEach(function (host) {
      const ws = byHost.get(host).sort(function (a, b) {
        return T.naturalCompare(a.name, b.name);
      });
      let threads = 0;
      let executing = 0;
      let bytes = 0;
      ws.forEach(function (w) {
        threads += Number(w.nthreads) || 0;
        executing += Number(w.executing) || 0;
        bytes += Number(w.heldBytes) || 0;
      });
      const hr = T.el("tr", "host-row");
      hr.setAttribute("data-host", host);
      const th = T.el("th", null);
      th.colSpan = 6;
      th.appendChild(T.el("span", "host-name", host));
      th.appendChild(T.el("span", "host-summary",
        ws.length + (ws.length === 1 ? " worker, " : " workers, ") + threads + " threads, " + executing
        + " executing, " + T.fmtBytes(bytes) + " held"));
      hr.appendChild(th);
      rows.push(hr);
      ws.forEach(function (w) {
        const tr = T.el("tr", "worker-row");
        tr.setAttribute("data-worker", String(w.name));
        const name = T.el("td", "worker-name");
        name.appendChild(T.el("div", "name", w.name));
        if (w.address) {
          name.appendChild(T.el("div", "address", w.address));
        }
        const nthreads = Number(w.nthreads) || 0;
        const exec = Number(w.executing) || 0;
        const execCell = cell(null, "num");
        execCell.append(meter(exec, nthreads, "meter-exec"), T.el("span", null, String(exec)));
        const bytesCell = cell(null, "num");
        bytesCell.append(meter(Number(w.heldBytes) || 0, maxBytes, "meter-mem"),
          T.el("span", null, T.fmtBytes(w.heldBytes)));
        tr.append(name, cell(String(nthreads), "num"), execCell, cell(T.fmtInt(w.queued), "num"),
          cell(T.fmtInt(w.heldResults), "num"), bytesCell);
        rows.push(tr);
      });
    });
    workerBody.replaceChildren.apply(workerBody, rows);
    workerEmpty.hidden = list.length > 0;
  }

  // ---------- resources ----------
  const HISTORY_MS = 5 * 60 * 1000;
  const history = [];
  const res = {
    workers: document.getElementById("res-workers"),
    threads: document.getElementById("res-threads"),
    executing: document.getElementById("res-executing"),
    queued: document.getElementById("res-queued"),
    heldBytes: document.getElementById("res-held"),
    tasksPerSecond: document.getElementById("res-rate"),
  };
  const rateCanvas = document.getElementById("chart-rate");
  const memCanvas = document.getElementById("chart-mem");

  function setResources(r) {
    if (!r) {
      return;
    }
    res.workers.textContent = T.fmtInt(r.workers);
    res.threads.textContent = T.fmtInt(r.threads);
    res.executing.textContent = T.fmtInt(r.executing);
    res.queued.textContent = T.fmtInt(r.queued);
    res.heldBytes.textContent = T.fmtBytes(r.heldBytes);
    const rate = Number(r.tasksPerSecond) || 0;
    res.tasksPerSecond.textContent = rate >= 100 ? T.fmtInt(Math.round(rate)) : rate.toFixed(1);
    const time = Number(r.time) || Date.now();
    if (history.length === 0 || time > history[history.length - 1].time) {
      history.push({ time: time, rate: rate, bytes: Number(r.heldBytes) || 0 });
    }
    while (history.length > 0 && history[0].time < time - HISTORY_MS) {
      history.shift();
    }
    drawChart(rateCanvas, "rate", "#1f4e99", function (v) {
      return v.toFixed(v >= 10 ? 0 : 1) + "/s";
    });
    drawChart(memCanvas, "bytes", "#2c8c5a", T.fmtBytes);
  }

  function drawChart(canvas, field, color, fmt) {
    const w = canvas.parentElement.clientWidth;
    const h = 64;
    if (w <= 0) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (history.length === 0) {
      return;
    }
    const t1 = history[history.length - 1].time;
    const t0 = Math.min(history[0].time, t1 - 60000); // at least a minute, at most HISTORY_MS
    const spanMs = t1 - t0;
    let max = 0;
    history.forEach(function (p) {
      max = Math.max(max, p[field]);
    });
    const top = 14;
    const scale = max > 0 ? (h - top - 2) / max : 0;
    ctx.beginPath();
    history.forEach(function (p, i) {
      const x = ((p.time - t0) / spanMs) * w;
      const y = h - 1 - p[field] * scale;
      if (i === 0) {
        ctx.moveTo(x, y);
      } else {
        ctx.lineTo(x, y);
      }
    });
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    const last = history[history.length - 1];
    ctx.lineTo(((last.time - t0) / spanMs) * w, h);
    ctx.lineTo(((history[0].time - t0) / spanMs) * w, h);
    ctx.closePath();
    ctx.globalAlpha = 0.12;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.font = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
    ctx.fillStyle = "#6b7584";
    ctx.textBaseline = "top";
    ctx.fillText("max " + fmt(max) + " · last " + Math.max(1, Math.round(spanMs / 60000)) + " min", 2, 0);
  }

  // ---------- the feed ----------
  let serverNow = Date.now();
  let receivedAt = performance.now();
  stream.setNow(function () {
    return serverNow + (performance.now() - receivedAt);
  });

  T.live({
    snapshot: function (d) {
      if (d.now != null && isFinite(Number(d.now))) {
        serverNow = Number(d.now);
        receivedAt = performance.now();
      }
      setAllGroups(d.groups);
      updateProgressEmpty();
      stream.setTasks(Array.isArray(d.tasks) ? d.tasks : []);
      setWorkers(d.workers);
      setResources(d.resources);
    },
    progress: function (d) {
      (d.groups || []).forEach(setGroup);
      (d.removed || []).forEach(removeGroup);
      updateProgressEmpty();
    },
    tasks: function (d) {
      stream.addTasks(Array.isArray(d.tasks) ? d.tasks : []);
    },
    workers: function (d) {
      setWorkers(d.workers);
    },
    resources: function (d) {
      setResources(d.resources);
    },
  });
})();
