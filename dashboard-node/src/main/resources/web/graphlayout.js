// Tasklane dashboard: the graph page's layout, in a Web Worker (graphview.js starts it), so that
// laying out a large graph never freezes the page. dagre is the vendored build from the jar
// (vendor/dagre, beside this file); the CSP allows a worker from the page's own origin.
// In: {id, nodes: [name], edges: [[from, to]], width, height}. Out: {id, width, height,
// nodes: {name: {x, y}}, edges: [[{x, y}, ...]] (in the order given)} or {id, error}.
"use strict";

importScripts("vendor/dagre/dagre.min.js");

self.onmessage = function (ev) {
  const job = ev.data;
  try {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 46, marginx: 10, marginy: 10 });
    g.setDefaultEdgeLabel(function () {
      return {};
    });
    job.nodes.forEach(function (name) {
      g.setNode(name, { width: job.width, height: job.height });
    });
    job.edges.forEach(function (e) {
      g.setEdge(e[0], e[1]);
    });
    dagre.layout(g);
    const nodes = {};
    job.nodes.forEach(function (name) {
      const n = g.node(name);
      nodes[name] = { x: n.x, y: n.y };
    });
    const edges = job.edges.map(function (e) {
      return (g.edge(e[0], e[1]).points || []).map(function (q) {
        return { x: q.x, y: q.y };
      });
    });
    self.postMessage({ id: job.id, width: g.graph().width, height: g.graph().height, nodes: nodes, edges: edges });
  } catch (e) {
    self.postMessage({ id: job.id, error: String(e && e.message ? e.message : e) });
  }
};
