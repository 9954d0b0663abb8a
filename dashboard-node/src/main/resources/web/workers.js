// Tasklane dashboard: the workers page, every figure of every worker grouped by host, live from the events stream.
"use strict";

(function () {
  const T = window.Tasklane;
  const empty = document.getElementById("workers-empty");
  const count = document.getElementById("worker-count");
  let serverOffset = 0; // server time - client time, from the snapshot

  const table = new T.WorkerTable(document.getElementById("workers"), {
    columns: ["nthreads", "cpu", "memory", "heap", "heldResults", "heldBytes", "executing", "queued", "processing",
      "tasksCompleted", "transfersIn", "transfersOut", "latency", "netIn", "netOut", "diskRead", "diskWrite",
      "lastSeen"],
    now: function () {
      return Date.now() + serverOffset;
    },
  });

  const histograms = new T.WorkerHistograms(document.getElementById("worker-hist"));

  function show(list, large) {
    const n = table.update(list, large);
    // a large cluster: how the workers spread, not only row by row
    histograms.container.hidden = !large;
    if (large) {
      histograms.update(list);
    }
    empty.hidden = n > 0;
    const hosts = table.hostCount();
    count.textContent = n + (n === 1 ? " worker" : " workers") + " on " + hosts + (hosts === 1 ? " host" : " hosts");
  }

  T.live({
    snapshot: function (d) {
      if (d.now != null && isFinite(Number(d.now))) {
        serverOffset = Number(d.now) - Date.now();
      }
      show(d.workers, d.largeCluster === true);
    },
    workers: function (d) {
      show(d.workers, d.largeCluster === true);
    },
  });
  // "last seen" counts on between updates (and while the feed is down)
  setInterval(function () {
    table.render();
  }, 1000);
})();
