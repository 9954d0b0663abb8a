// Tasklane dashboard: the errors page. The erred tasks of recent graphs grouped by exception type
// and message (api/v1/errors.json), each group with its counts, times, workers, graphs, its full
// remote stack trace and its latest tasks; loaded again when the live feed brings erred tasks.
// User text (messages, keys, traces) reaches the DOM only as text.
"use strict";

(function () {
  const T = window.Tasklane;
  const list = document.getElementById("error-groups");
  const empty = document.getElementById("errors-empty");
  const count = document.getElementById("error-count");
  const note = document.getElementById("error-note");
  const RELOAD_MS = 1000; // at most one load a second, however fast tasks err
  let loading = false;
  let again = false;
  let lastLoad = 0;
  let timer = null;

  function names(list, more) {
    return (list || []).join(", ") + (more ? " and " + more + " more" : "");
  }

  function renderGroup(g) {
    const box = T.el("section", "error-group");
    box.id = String(g.id);
    box.setAttribute("data-group-id", String(g.id));
    box.setAttribute("data-type", String(g.type));
    box.setAttribute("data-count", String(g.count));
    const head = T.el("div", "error-head");
    head.appendChild(T.el("span", "error-badge", T.fmtInt(g.count)));
    const title = T.el("div", "error-title");
    title.appendChild(T.el("span", "error-type", g.type ? g.type : "error"));
    title.appendChild(T.el("span", "error-message", g.message));
    head.appendChild(title);
    box.appendChild(head);
    const dl = T.el("dl", "tp-facts error-facts");
    [
      ["first", T.fmtTime(Number(g.first))],
      ["last", T.fmtTime(Number(g.last))],
      ["workers", names(g.workers, g.moreWorkers)],
      ["task groups", names(g.taskGroups, g.moreTaskGroups)],
      ["graphs", names(g.graphs, g.moreGraphs)],
      ["grouped as", g.pattern !== g.message ? g.pattern : null],
    ].forEach(function (r) {
      if (r[1]) {
        dl.appendChild(T.el("dt", null, r[0]));
        dl.appendChild(T.el("dd", null, r[1]));
      }
    });
    box.appendChild(dl);

    const traces = Array.isArray(g.traces) ? g.traces : [];
    if (traces.length) {
      traces.forEach(function (t, i) {
        const d = T.el("details", "error-trace");
        d.open = i === 0;
        d.appendChild(T.el("summary", null, traces.length === 1 ? "Stack trace"
          : "Stack trace " + (i + 1) + " of " + traces.length));
        d.appendChild(T.renderTrace(t));
        box.appendChild(d);
      });
    } else {
      box.appendChild(T.el("p", "muted", "No stack trace: this error is no exception, or its tasks came without one."));
    }

    const examples = Array.isArray(g.examples) ? g.examples : [];
    const table = T.el("table", "error-examples");
    const hr = T.el("tr");
    ["task", "graph", "worker · thread", "stopped", "error"].forEach(function (h) {
      hr.appendChild(T.el("th", null, h));
    });
    table.appendChild(hr);
    examples.forEach(function (x) {
      const tr = T.el("tr", "error-example");
      const key = T.el("td", "tp-key");
      const b = T.el("button", "tp-link", x.key);
      b.type = "button";
      b.title = "Explain " + x.key;
      b.addEventListener("click", function () {
        T.openTaskPanel({ graph: x.graph, key: x.key, status: "erred", error: x.error });
      });
      key.appendChild(b);
      tr.append(key, T.el("td", "mono", x.graph), T.el("td", null, x.worker + " · " + x.thread),
        T.el("td", null, T.fmtTime(Number(x.stop))), T.el("td", "error-text", x.error));
      table.appendChild(tr);
    });
    box.appendChild(T.el("h3", "error-sub", examples.length < g.count
      ? "Latest " + examples.length + " of " + T.fmtInt(g.count) + " tasks" : "Tasks"));
    box.appendChild(table);
    return box;
  }

  function render(d) {
    const groups = Array.isArray(d.groups) ? d.groups : [];
    // keep what the user unfolded: by group id, which traces are open
    const open = new Map();
    list.querySelectorAll(".error-group").forEach(function (box) {
      open.set(box.id, Array.from(box.querySelectorAll("details")).map(function (x) {
        return x.open;
      }));
    });
    list.replaceChildren.apply(list, groups.map(function (g) {
      const box = renderGroup(g);
      const was = open.get(box.id);
      if (was) {
        box.querySelectorAll("details").forEach(function (x, i) {
          if (i < was.length) {
            x.open = was[i];
          }
        });
      }
      return box;
    }));
    empty.hidden = groups.length > 0;
    count.textContent = T.fmtInt(d.erred) + (Number(d.erred) === 1 ? " erred task" : " erred tasks") + " in "
      + groups.length + (groups.length === 1 ? " group" : " groups");
    count.setAttribute("data-erred", String(d.erred));
    note.textContent = d.droppedGroups > 0 ? "(" + d.droppedGroups + " older groups dropped: at most "
      + d.maxGroups + " are kept)" : "";
    if (location.hash && !render.scrolled) {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) {
        render.scrolled = true;
        target.classList.add("error-target");
        target.scrollIntoView();
      }
    }
  }

  function load() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    lastLoad = Date.now();
    T.getJson("api/v1/errors.json")
      .then(render)
      .catch(function (e) {
        note.textContent = "could not load the errors: " + e.message;
      })
      .then(function () {
        loading = false;
        if (again) {
          again = false;
          soon();
        }
      });
  }

  /** Loads again, at most once per RELOAD_MS. */
  function soon() {
    if (timer) {
      return;
    }
    timer = setTimeout(function () {
      timer = null;
      load();
    }, Math.max(0, lastLoad + RELOAD_MS - Date.now()));
  }

  document.getElementById("unfold-all").addEventListener("click", function () {
    list.querySelectorAll("details").forEach(function (d) {
      d.open = true;
    });
  });

  T.live({
    snapshot: load,
    tasks: function (d) {
      if ((d.tasks || []).some(function (t) {
        return t && t.status === "erred";
      })) {
        soon();
      }
    },
  });
})();
