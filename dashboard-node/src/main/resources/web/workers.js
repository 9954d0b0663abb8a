// Tasklane dashboard: the workers page, one row per worker, live from the events stream.
"use strict";

(function () {
  const T = window.Tasklane;
  const body = document.getElementById("workers-body");
  const empty = document.getElementById("workers-empty");
  const count = document.getElementById("worker-count");
  let serverOffset = 0; // server time - client time, from the snapshot
  let workers = [];

  function num(v) {
    return T.el("td", "num", T.fmtInt(v));
  }

  function ago(lastSeen) {
    if (lastSeen == null || !isFinite(Number(lastSeen))) {
      return "–";
    }
    const ms = Math.max(0, Date.now() + serverOffset - Number(lastSeen));
    return ms < 1000 ? "now" : Math.round(ms / 1000) + " s ago";
  }

  function render() {
    const list = workers.slice().sort(function (a, b) {
      return T.naturalCompare(a.host, b.host) || T.naturalCompare(a.name, b.name);
    });
    const rows = list.map(function (w) {
      const tr = T.el("tr", "worker-row");
      tr.setAttribute("data-worker", String(w.name));
      const seen = T.el("td", "num last-seen", ago(w.lastSeen));
      seen.setAttribute("data-last-seen", String(w.lastSeen == null ? "" : w.lastSeen));
      tr.append(
        T.el("td", "worker-name", w.name),
        T.el("td", null, w.host == null ? "" : w.host),
        T.el("td", "address", w.address == null ? "" : w.address),
        num(w.nthreads), num(w.executing), num(w.queued), num(w.processing), num(w.heldResults),
        T.el("td", "num", T.fmtBytes(w.heldBytes)),
        T.el("td", "num", T.fmtInt(w.transfersIn) + " · " + T.fmtBytes(w.bytesIn)),
        T.el("td", "num", T.fmtInt(w.transfersOut) + " · " + T.fmtBytes(w.bytesOut)),
        num(w.tasksCompleted),
        seen);
      return tr;
    });
    body.replaceChildren.apply(body, rows);
    empty.hidden = list.length > 0;
    count.textContent = list.length + (list.length === 1 ? " worker" : " workers");
  }

  function refreshAges() {
    body.querySelectorAll("td.last-seen").forEach(function (td) {
      const v = td.getAttribute("data-last-seen");
      td.textContent = ago(v === "" ? null : v);
    });
  }

  T.live({
    snapshot: function (d) {
      if (d.now != null && isFinite(Number(d.now))) {
        serverOffset = Number(d.now) - Date.now();
      }
      workers = Array.isArray(d.workers) ? d.workers : [];
      render();
    },
    workers: function (d) {
      workers = Array.isArray(d.workers) ? d.workers : [];
      render();
    },
  });
  setInterval(refreshAges, 1000);
})();
