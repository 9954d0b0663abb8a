// Tasklane dashboard: the graph page. Lists the graphs the dashboard holds (api/v1/graphs.json),
// shows one (the newest running one unless ?graph=ID or the selector picks another) from
// api/v1/graph.json, and recolours it from the live `graphs` events; graphview.js draws it.
// Graph names and group names are user input: text only.
"use strict";

(function () {
  const T = window.Tasklane;
  const select = document.getElementById("graph-select");
  const note = document.getElementById("graph-note");
  const empty = document.getElementById("graph-empty");
  const view = T.GraphView(document.getElementById("graph-svg"), function (text) {
    viewNote = text;
    renderNote();
  });

  const graphs = new Map(); // id -> GraphItem, in the dashboard's order (oldest first)
  let chosen = new URLSearchParams(location.search).get("graph"); // null: follow the newest running graph
  let current = null; // {id, seq, item, groups: [Group], byName: Map, edges, droppedGroups, edgesTruncated}
  let loading = null; // {id, pending: [graphs events that came meanwhile]}
  let viewNote = "";
  let problem = "";
  let failedId = null; // the graph whose load failed last: not asked again on every event

  function renderNote() {
    note.textContent = problem || viewNote;
  }

  function newestRunning() {
    let pick = null;
    let last = null;
    graphs.forEach(function (g) {
      last = g;
      if (g.state === "running") {
        pick = g;
      }
    });
    return pick || last;
  }

  function targetId() {
    if (chosen) {
      return chosen;
    }
    const g = newestRunning();
    return g ? g.id : null;
  }

  function optionText(g) {
    return (g.name ? g.name : "(no name)") + " · " + g.state + " · " + T.fmtInt(g.tasks) + " tasks · " + g.id;
  }

  function renderSelect() {
    const want = chosen || "";
    const opts = [];
    const follow = T.el("option", null, "newest running graph");
    follow.value = "";
    opts.push(follow);
    const ids = Array.from(graphs.keys()).reverse(); // newest first
    if (chosen && !graphs.has(chosen)) {
      ids.unshift(chosen);
    }
    ids.forEach(function (id) {
      const g = graphs.get(id);
      const o = T.el("option", null, g ? optionText(g) : id + " (not held)");
      o.value = id;
      opts.push(o);
    });
    select.replaceChildren.apply(select, opts);
    select.value = want;
  }

  select.addEventListener("change", function () {
    chosen = select.value || null;
    const url = new URL(location.href);
    if (chosen) {
      url.searchParams.set("graph", chosen);
    } else {
      url.searchParams.delete("graph");
    }
    history.replaceState(null, "", url.pathname.split("/").pop() + url.search);
    show(true);
  });

  /** Shows the graph to show; loads it if it is another one (or if `force`). */
  function show(force) {
    const id = targetId();
    if (!id) {
      current = null;
      view.clear();
      empty.hidden = false;
      document.body.removeAttribute("data-graph");
      return;
    }
    empty.hidden = true;
    if (!force && ((current && current.id === id) || (loading && loading.id === id) || failedId === id)) {
      return; // shown, coming, or failed: asked again on the next snapshot (a new connection), or a pick
    }
    load(id);
  }

  function load(id) {
    const me = { id: id, pending: [] };
    loading = me;
    T.getJson("api/v1/graph.json?id=" + encodeURIComponent(id))
      .then(function (d) {
        if (loading !== me) {
          return; // another graph was asked for meanwhile
        }
        loading = null;
        failedId = null;
        problem = "";
        current = {
          id: id,
          seq: T.num(d.seq),
          item: d.graph,
          groups: Array.isArray(d.groups) ? d.groups : [],
          edges: Array.isArray(d.edges) ? d.edges : [],
          droppedGroups: T.num(d.droppedGroups),
          edgesTruncated: !!d.edgesTruncated,
        };
        current.byName = new Map(current.groups.map(function (g, i) {
          return [String(g.name), i];
        }));
        graphs.set(id, d.graph);
        renderSelect();
        document.body.setAttribute("data-graph", id);
        redraw();
        me.pending.forEach(onGraphs);
      })
      .catch(function (e) {
        if (loading === me) {
          loading = null;
          failedId = id;
          problem = "could not load graph " + id + ": " + e.message;
          current = null;
          view.clear();
          renderNote();
        }
      });
  }

  function redraw() {
    view.draw(current.groups, current.edges, current);
  }

  /** Every graph held, then the one to show (on every snapshot: a fresh connection). */
  function loadList() {
    T.getJson("api/v1/graphs.json")
      .then(function (d) {
        graphs.clear();
        (Array.isArray(d.graphs) ? d.graphs : []).forEach(function (g) {
          graphs.set(String(g.id), g);
        });
        renderSelect();
        show(true);
      })
      .catch(function (e) {
        problem = "could not load the graphs: " + e.message;
        renderNote();
      });
  }

  /** A `graphs` event: changed graphs with their changed groups, and those no longer held. */
  function onGraphs(d) {
    let listChanged = false;
    (d.removed || []).forEach(function (id) {
      listChanged = graphs.delete(String(id)) || listChanged;
    });
    let newGroups = false;
    (d.graphs || []).forEach(function (c) {
      const g = c.graph;
      const id = String(g.id);
      const before = graphs.get(id);
      if (!before || before.state !== g.state || before.name !== g.name) {
        listChanged = true;
      }
      graphs.set(id, g);
      if (current && current.id === id && T.num(d.seq) > current.seq) {
        current.item = g;
        (c.groups || []).forEach(function (x) {
          const i = current.byName.get(String(x.name));
          if (i === undefined) {
            newGroups = true; // a group the page has not seen: load the graph again (and lay it out)
          } else {
            current.groups[i] = x;
            view.update(x);
          }
        });
      }
    });
    if (current && T.num(d.seq) > current.seq) {
      current.seq = T.num(d.seq);
    }
    if (listChanged) {
      renderSelect();
    }
    if (newGroups) {
      show(true);
    } else {
      show(false);
    }
  }

  document.getElementById("zoom-in").addEventListener("click", function () {
    view.zoomCenter(1.5);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    view.zoomCenter(1 / 1.5);
  });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    view.fit();
  });

  renderSelect();
  T.live({
    snapshot: loadList,
    graphs: function (d) {
      if (loading) {
        loading.pending.push(d); // applied again once that graph is loaded, if newer than it
      }
      onGraphs(d);
    },
  });
})();
