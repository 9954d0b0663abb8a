// Tasklane dashboard: draws one graph's task groups as an SVG (graph.js feeds it). Layout by dagre
// (assets/vendor/dagre, served from the jar) in a Web Worker (graphlayout.js); pan by dragging, zoom
// with the wheel or the buttons.
// Layout runs only when the drawn groups or edges change; counts only recolour the boxes.
// Group names are user input: they reach the SVG only as text (textContent, setAttribute).
"use strict";

(function () {
  const T = window.Tasklane;
  const SVG = "http://www.w3.org/2000/svg";
  /**
   * Groups drawn at most: the largest (by tasks) are, the rest are counted in the note. dagre lays
   * out 200 groups with 400 edges in about 4 s on a 2-core machine at a load of 20 (measured): in
   * its worker the page stays responsive, but the drawing would lag further behind with more.
   */
  const MAX_DRAWN_GROUPS = 200;
  /** Edges drawn at most (between drawn groups): dagre's time grows with them and the ranks they span. */
  const MAX_DRAWN_EDGES = 600;
  const NODE_W = 190;
  const NODE_H = 56;
  const BAR_X = 10;
  const BAR_W = NODE_W - 2 * BAR_X;
  const MAX_LABEL = 24; // characters of a name in its box; the tooltip has it whole
  const SEGMENTS = ["memory", "released", "erred", "waiting"];

  function svg(tag, cls) {
    const e = document.createElementNS(SVG, tag);
    if (cls) {
      e.setAttribute("class", cls);
    }
    return e;
  }

  function counts(g) {
    return {
      total: Math.max(0, T.num(g.total)),
      memory: T.num(g.memory),
      released: T.num(g.released),
      erred: T.num(g.erred),
      waiting: T.num(g.processing) + T.num(g.waiting),
    };
  }

  function shortName(name) {
    return name.length > MAX_LABEL ? name.slice(0, MAX_LABEL - 1) + "…" : name;
  }

  /**
   * The groups to draw: all of them up to MAX_DRAWN_GROUPS, else the largest (ties: the graph's
   * order), drawn in the graph's order.
   */
  function chooseGroups(groups) {
    if (groups.length <= MAX_DRAWN_GROUPS) {
      return groups;
    }
    const ranked = groups.map(function (g, i) {
      return { g: g, i: i };
    });
    ranked.sort(function (a, b) {
      return T.num(b.g.total) - T.num(a.g.total) || a.i - b.i;
    });
    return ranked.slice(0, MAX_DRAWN_GROUPS).sort(function (a, b) {
      return a.i - b.i;
    }).map(function (x) {
      return x.g;
    });
  }

  /** @param svgEl the page's <svg>; @param onNote(text) tells what was left out */
  T.GraphView = function (svgEl, onNote) {
    const defs = svg("defs");
    const marker = svg("marker");
    marker.setAttribute("id", "graph-arrow");
    marker.setAttribute("viewBox", "0 0 10 10");
    marker.setAttribute("refX", "9");
    marker.setAttribute("refY", "5");
    marker.setAttribute("markerWidth", "7");
    marker.setAttribute("markerHeight", "7");
    marker.setAttribute("orient", "auto-start-reverse");
    const tip = svg("path", "graph-arrowhead");
    tip.setAttribute("d", "M 0 0 L 10 5 L 0 10 z");
    marker.appendChild(tip);
    defs.appendChild(marker);
    const world = svg("g", "graph-world");
    const edgeLayer = svg("g", "graph-edges");
    const nodeLayer = svg("g", "graph-nodes");
    world.append(edgeLayer, nodeLayer);
    svgEl.replaceChildren(defs, world);

    let nodes = new Map(); // name -> {el, segs, label, counts, group}
    let layoutKey = null;
    let size = { w: 1, h: 1 };
    const view = { x: 0, y: 0, k: 1 };

    function applyView() {
      world.setAttribute("transform", "translate(" + view.x.toFixed(1) + "," + view.y.toFixed(1) + ") scale("
        + view.k.toFixed(4) + ")");
    }

    function fit() {
      const r = svgEl.getBoundingClientRect();
      const w = Math.max(1, r.width);
      const h = Math.max(1, r.height);
      const k = Math.min(1.5, (w - 20) / size.w, (h - 20) / size.h);
      view.k = Math.max(0.02, k);
      view.x = (w - size.w * view.k) / 2;
      view.y = (h - size.h * view.k) / 2;
      applyView();
    }

    /** Zooms by factor around the point (px, py) of the svg. */
    function zoomAt(factor, px, py) {
      const k = Math.max(0.02, Math.min(8, view.k * factor));
      view.x = px - ((px - view.x) * k) / view.k;
      view.y = py - ((py - view.y) * k) / view.k;
      view.k = k;
      applyView();
    }

    function zoomCenter(factor) {
      const r = svgEl.getBoundingClientRect();
      zoomAt(factor, r.width / 2, r.height / 2);
    }

    svgEl.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      const r = svgEl.getBoundingClientRect();
      zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });

    let drag = null;
    svgEl.addEventListener("pointerdown", function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y };
      svgEl.setPointerCapture(ev.pointerId);
      svgEl.classList.add("dragging");
    });
    svgEl.addEventListener("pointermove", function (ev) {
      if (!drag) {
        return;
      }
      view.x = drag.vx + ev.clientX - drag.x;
      view.y = drag.vy + ev.clientY - drag.y;
      applyView();
    });
    function endDrag() {
      drag = null;
      svgEl.classList.remove("dragging");
    }
    svgEl.addEventListener("pointerup", endDrag);
    svgEl.addEventListener("pointercancel", endDrag);

    function colour(n) {
      const c = n.counts;
      const denom = Math.max(c.total, c.memory + c.released + c.erred + c.waiting, 1);
      let x = BAR_X;
      SEGMENTS.forEach(function (s) {
        const w = (BAR_W * c[s]) / denom;
        const seg = n.segs[s];
        seg.setAttribute("x", x.toFixed(2));
        seg.setAttribute("width", w.toFixed(2));
        seg.setAttribute("data-count", String(c[s]));
        x += w;
      });
      const done = c.memory + c.released;
      n.count.textContent = T.fmtInt(done) + " / " + T.fmtInt(c.total) + (c.erred ? " · " + T.fmtInt(c.erred) + " erred" : "");
      n.el.setAttribute("data-memory", String(c.memory));
      n.el.setAttribute("data-released", String(c.released));
      n.el.setAttribute("data-erred", String(c.erred));
      n.el.setAttribute("data-waiting", String(c.waiting));
      n.el.setAttribute("data-total", String(c.total));
      n.el.classList.toggle("graph-node-erred", c.erred > 0);
      n.el.classList.toggle("graph-node-done", c.total > 0 && done + c.erred >= c.total);
    }

    function showTip(n, ev) {
      const g = n.group;
      T.showTooltip(n.name, [
        ["tasks", T.fmtInt(g.total)],
        ["in memory", T.fmtInt(g.memory)],
        ["released", T.fmtInt(g.released)],
        ["erred", T.fmtInt(g.erred)],
        ["processing", T.fmtInt(g.processing)],
        ["waiting", T.fmtInt(g.waiting)],
      ], ev.clientX, ev.clientY);
    }

    function makeNode(g, pos) {
      const name = String(g.name);
      const el = svg("g", "graph-node");
      el.setAttribute("data-group", name);
      el.setAttribute("transform", "translate(" + (pos.x - NODE_W / 2).toFixed(1) + "," + (pos.y - NODE_H / 2).toFixed(1) + ")");
      const box = svg("rect", "graph-box");
      box.setAttribute("width", String(NODE_W));
      box.setAttribute("height", String(NODE_H));
      box.setAttribute("rx", "5");
      const label = svg("text", "graph-label");
      label.setAttribute("x", String(BAR_X));
      label.setAttribute("y", "18");
      label.textContent = shortName(name);
      const segs = {};
      SEGMENTS.forEach(function (s) {
        const r = svg("rect", "graph-seg seg-" + s);
        r.setAttribute("y", "25");
        r.setAttribute("height", "10");
        r.setAttribute("fill", T.COLORS[s]);
        segs[s] = r;
      });
      const track = svg("rect", "graph-track");
      track.setAttribute("x", String(BAR_X));
      track.setAttribute("y", "25");
      track.setAttribute("width", String(BAR_W));
      track.setAttribute("height", "10");
      const count = svg("text", "graph-count");
      count.setAttribute("x", String(BAR_X));
      count.setAttribute("y", "49");
      el.append(box, label, track);
      SEGMENTS.forEach(function (s) {
        el.appendChild(segs[s]);
      });
      el.appendChild(count);
      const n = { name: name, el: el, segs: segs, count: count, group: g, counts: counts(g) };
      el.addEventListener("pointermove", function (ev) {
        if (!drag) {
          showTip(n, ev);
        }
      });
      el.addEventListener("pointerleave", T.hideTooltip);
      colour(n);
      return n;
    }

    /**
     * Draws a graph: lays it out again only if its drawn groups or edges changed, else recolours.
     * @param groups [Group] in the graph's order; @param edges [{from, to}]
     * @param extra {droppedGroups, edgesTruncated} what the dashboard left out already
     */
    function draw(groups, edges, extra) {
      const drawn = chooseGroups(groups);
      const names = new Set(drawn.map(function (g) {
        return String(g.name);
      }));
      const drawnEdges = [];
      let skippedEdges = 0;
      edges.forEach(function (e) {
        const f = String(e.from);
        const t = String(e.to);
        if (names.has(f) && names.has(t) && f !== t) {
          if (drawnEdges.length < MAX_DRAWN_EDGES) {
            drawnEdges.push([f, t]);
          } else {
            skippedEdges++;
          }
        }
      });
      const key = JSON.stringify([Array.from(names), drawnEdges]);
      if (key === layoutKey) {
        groups.forEach(update);
      } else {
        layoutKey = key;
        layout(drawn, drawnEdges);
      }
      const notes = [];
      const hidden = groups.length - drawn.length + T.num(extra.droppedGroups);
      if (hidden > 0) {
        notes.push(T.fmtInt(hidden) + " smaller groups not drawn (at most " + MAX_DRAWN_GROUPS + ")");
      }
      if (skippedEdges > 0) {
        notes.push(T.fmtInt(skippedEdges) + " edges not drawn (at most " + MAX_DRAWN_EDGES + ")");
      }
      if (extra.edgesTruncated) {
        notes.push("the graph has more edges between its groups than the scheduler sends (10,000)");
      }
      onNote(notes.join("; "));
    }

    // the layout runs in a worker (graphlayout.js): the page stays responsive however long it takes
    const worker = new Worker("assets/graphlayout.js");
    let jobId = 0;
    let job = null; // the layout asked for last: {id, drawn, edges}
    /** The latest counts of groups whose boxes a pending layout will draw. */
    const latest = new Map();

    function layout(drawn, drawnEdges) {
      job = { id: ++jobId, drawn: drawn, edges: drawnEdges };
      drawn.forEach(function (x) {
        latest.set(String(x.name), x);
      });
      svgEl.classList.add("graph-laying-out");
      worker.postMessage({ id: job.id, width: NODE_W, height: NODE_H, edges: drawnEdges,
        nodes: drawn.map(function (x) {
          return String(x.name);
        }) });
    }

    worker.onmessage = function (ev) {
      const r = ev.data;
      if (!job || r.id !== job.id) {
        return; // an older layout, overtaken by a newer one
      }
      const done = job;
      job = null;
      svgEl.classList.remove("graph-laying-out");
      if (r.error) {
        onNote("could not lay the graph out: " + r.error);
        return;
      }
      size = { w: Math.max(1, r.width || NODE_W), h: Math.max(1, r.height || NODE_H) };
      const fresh = new Map();
      nodeLayer.replaceChildren();
      done.drawn.forEach(function (x) {
        const name = String(x.name);
        const n = makeNode(latest.get(name) || x, r.nodes[name]);
        fresh.set(n.name, n);
        nodeLayer.appendChild(n.el);
      });
      latest.clear();
      nodes = fresh;
      edgeLayer.replaceChildren();
      done.edges.forEach(function (e, i) {
        const pts = r.edges[i] || [];
        if (pts.length < 2) {
          return;
        }
        const p = svg("path", "graph-edge");
        p.setAttribute("d", "M" + pts.map(function (q) {
          return q.x.toFixed(1) + " " + q.y.toFixed(1);
        }).join(" L"));
        p.setAttribute("marker-end", "url(#graph-arrow)");
        p.setAttribute("data-from", e[0]);
        p.setAttribute("data-to", e[1]);
        edgeLayer.appendChild(p);
      });
      fit();
    };

    /** New counts of one group; false if it is not drawn. */
    function update(g) {
      if (job && latest.has(String(g.name))) {
        latest.set(String(g.name), g); // its box comes with the pending layout
      }
      const n = nodes.get(String(g.name));
      if (!n) {
        return false;
      }
      n.group = g;
      n.counts = counts(g);
      colour(n);
      return true;
    }

    function clear() {
      layoutKey = null;
      job = null;
      latest.clear();
      svgEl.classList.remove("graph-laying-out");
      nodes = new Map();
      nodeLayer.replaceChildren();
      edgeLayer.replaceChildren();
      onNote("");
    }

    return { draw: draw, update: update, clear: clear, fit: fit, zoomCenter: zoomCenter };
  };
})();
