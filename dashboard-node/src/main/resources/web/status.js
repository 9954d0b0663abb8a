// Tasklane dashboard: the live status page (summary, task stream, resource plot, progress per group, workers by host).
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
  const stream = new T.TaskStream(document.getElementById("stream"), {
    live: true, maxTasks: 1000, rowHeight: 22, onTaskClick: T.openTaskPanel,
  });

  // ---------- workers, grouped by host ----------
  const workerEmpty = document.getElementById("workers-empty");
  const workerCount = document.getElementById("worker-count");
  const workerTable = new T.WorkerTable(document.getElementById("workers"), {
    columns: ["nthreads", "cpu", "memory", "heap", "heldResults", "heldBytes", "executing", "queued", "latency",
      "netIn", "netOut", "diskRead", "diskWrite"],
  });

  const histograms = new T.WorkerHistograms(document.getElementById("worker-hist"));

  function setWorkers(list, large) {
    const n = workerTable.update(list, large);
    // a large cluster: how the workers spread, not only row by row
    histograms.container.hidden = !large;
    // the task stream: one band per host instead of one row per thread
    if (large) {
      const hostOf = new Map();
      (Array.isArray(list) ? list : []).forEach(function (w) {
        if (w && w.name != null) {
          hostOf.set(String(w.name), String(w.host == null || w.host === "" ? "?" : w.host));
        }
      });
      stream.setHostBands(hostOf, stream.openHost);
      histograms.update(list);
    } else if (stream.hostOf) {
      stream.setHostBands(null, null);
    }
    workerEmpty.hidden = n > 0;
    const hosts = workerTable.hostCount();
    workerCount.textContent = n === 0 ? "" : n + (n === 1 ? " worker" : " workers") + " on " + hosts
      + (hosts === 1 ? " host" : " hosts");
  }

  // ---------- resources: the summary and the plot ----------
  const res = {
    workers: document.getElementById("res-workers"),
    threads: document.getElementById("res-threads"),
    executing: document.getElementById("res-executing"),
    queued: document.getElementById("res-queued"),
    tasksPerSecond: document.getElementById("res-rate"),
    cpu: document.getElementById("res-cpu"),
    memory: document.getElementById("res-memory"),
    heldBytes: document.getElementById("res-held"),
  };
  const plot = new T.ResourcePlot(document.getElementById("plot"), { height: 250 });

  function setResources(r) {
    if (!r) {
      return;
    }
    res.workers.textContent = T.fmtInt(r.workers);
    res.threads.textContent = T.fmtInt(r.threads);
    res.executing.textContent = T.fmtInt(r.executing);
    res.queued.textContent = T.fmtInt(r.queued);
    const rate = Number(r.tasksPerSecond) || 0;
    res.tasksPerSecond.textContent = rate >= 100 ? T.fmtInt(Math.round(rate)) : rate.toFixed(1);
    res.cpu.textContent = T.fmtPercent(r.cpu);
    res.cpu.setAttribute("title", "percent of one core, summed over the workers");
    res.memory.textContent = T.fmtBytes(r.memory);
    res.memory.setAttribute("title", "resident memory of the workers, of " + T.fmtBytes(r.memoryLimit) + " they may use");
    res.heldBytes.textContent = T.fmtBytes(r.heldBytes);
  }

  // ---------- the feed ----------
  let serverNow = Date.now();
  let receivedAt = performance.now();
  stream.setNow(function () {
    // a recorded run: the replay's time (paused, or played at its speed)
    return T.replay ? T.replay.now() : serverNow + (performance.now() - receivedAt);
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
      setWorkers(d.workers, d.largeCluster === true);
      setResources(d.resources);
      plot.setHistory(d.history);
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
      setWorkers(d.workers, d.largeCluster === true);
    },
    resources: function (d) {
      setResources(d.resources);
      if (d.point) {
        plot.add(d.point);
      }
    },
  });
})();
