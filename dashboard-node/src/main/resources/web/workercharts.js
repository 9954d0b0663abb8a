// Tasklane dashboard: the worker page's small charts (one worker's figures over the last minutes).
// Plain canvas; numbers only (no user text is drawn).
"use strict";

(function (T) {
  const SPAN_MS = 300000; // five minutes
  const GAP_MS = 2500; // points further apart than this are not joined
  const HEIGHT = 120;
  const PAD = { left: 58, right: 8, top: 8, bottom: 18 };
  const FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";

  /**
   * The charts: each has lines (field, label, colour, dashed) drawn against one y axis of the
   * given format, whose top is at least the largest value shown (and `floor(point)`, if any);
   * `whole`: the axis shows whole numbers only (counts, bytes).
   */
  T.WORKER_CHARTS = Object.freeze([
    { id: "cpu", title: "CPU", fmt: T.fmtPercent, floor: function (p) {
      return 100 * Math.max(1, T.num(p.nthreads));
    }, lines: [{ field: "cpu", label: "CPU (% of a core)", color: "#1f4e99" }] },
    { id: "memory", title: "Memory", fmt: T.fmtBytes, whole: true, lines: [
      { field: "memory", label: "resident", color: "#2c8c5a" },
      { field: "memoryLimit", label: "limit", color: "#8a94a3", dashed: true }] },
    { id: "tasks", title: "Tasks", fmt: T.fmtInt, whole: true, floor: function (p) {
      return Math.max(1, T.num(p.nthreads));
    }, lines: [
      { field: "executing", label: "executing", color: "#1f4e99" },
      { field: "queued", label: "queued", color: "#d98a00" },
      { field: "nthreads", label: "threads", color: "#8a94a3", dashed: true }] },
    { id: "held", title: "Results held", fmt: T.fmtBytes, whole: true, lines: [
      { field: "heldBytes", label: "bytes", color: "#2c8c5a" }] },
    { id: "network", title: "Network (host)", fmt: T.fmtRate, whole: true, lines: [
      { field: "netIn", label: "in", color: "#1f4e99" },
      { field: "netOut", label: "out", color: "#e31a1c" }] },
    { id: "disk", title: "Disk (host)", fmt: T.fmtRate, whole: true, lines: [
      { field: "diskRead", label: "read", color: "#1f4e99" },
      { field: "diskWrite", label: "write", color: "#e31a1c" }] },
  ]);

  /** A grid of charts in `container`; draw(points, now) redraws them all. */
  T.WorkerCharts = function (container) {
    this.charts = T.WORKER_CHARTS.map(function (spec) {
      const box = T.el("figure", "chart");
      box.setAttribute("data-chart", spec.id);
      const head = T.el("figcaption", "chart-head");
      head.appendChild(T.el("span", "chart-title", spec.title));
      const legend = T.el("span", "chart-legend");
      const values = spec.lines.map(function (l) {
        const item = T.el("span", "legend-item");
        const sw = T.el("span", "line-swatch" + (l.dashed ? " line-swatch-dashed" : ""));
        sw.style.borderTopColor = l.color;
        const v = T.el("span", "legend-value", "–");
        item.append(sw, T.el("span", "legend-label", l.label), v);
        legend.appendChild(item);
        return v;
      });
      head.appendChild(legend);
      const canvas = T.el("canvas", "chart-canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", spec.title + " over the last five minutes");
      box.append(head, canvas);
      container.appendChild(box);
      return { spec: spec, box: box, canvas: canvas, values: values };
    });
  };

  T.WorkerCharts.prototype.draw = function (points, now) {
    this.charts.forEach(function (c) {
      drawChart(c, points, now);
    });
  };

  function drawChart(c, points, now) {
    const spec = c.spec;
    const width = Math.max(160, c.box.clientWidth || 300);
    const ctx = T.sizeCanvas(c.canvas, width, HEIGHT);
    const from = now - SPAN_MS;
    const shown = points.filter(function (p) {
      return p.time >= from && p.time <= now + 1000;
    });
    let top = 0;
    shown.forEach(function (p) {
      spec.lines.forEach(function (l) {
        top = Math.max(top, T.num(p[l.field]));
      });
      if (spec.floor) {
        top = Math.max(top, spec.floor(p));
      }
    });
    top = top > 0 ? top * 1.05 : 1;
    const plotW = width - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const x = function (t) {
      return PAD.left + ((t - from) / SPAN_MS) * plotW;
    };
    const y = function (v) {
      return PAD.top + plotH - (Math.max(0, v) / top) * plotH;
    };
    ctx.clearRect(0, 0, width, HEIGHT);
    ctx.font = FONT;
    ctx.fillStyle = "#6b7685";
    ctx.strokeStyle = "#e3e8ef";
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    [0, 0.5, 1].forEach(function (f) {
      const yy = Math.round(PAD.top + plotH * (1 - f)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, yy);
      ctx.lineTo(PAD.left + plotW, yy);
      ctx.stroke();
      const v = (top / 1.05) * f;
      if (spec.whole && f > 0 && (v < 1 || (f < 1 && v < 10 && v !== Math.round(v)))) {
        return; // no "0.5 B", no "0.476" tasks
      }
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ctx.fillText(spec.fmt(spec.whole ? Math.round(v) : v), PAD.left - 6, yy);
    });
    ctx.textBaseline = "top";
    [0, 60000, 120000, 180000, 240000].forEach(function (ago) {
      ctx.textAlign = ago === 0 ? "right" : "center"; // "now" sits at the right edge
      ctx.fillText(ago === 0 ? "now" : "-" + ago / 60000 + " min", x(now - ago), PAD.top + plotH + 4);
    });
    spec.lines.forEach(function (l, i) {
      ctx.strokeStyle = l.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(l.dashed ? [4, 3] : []);
      ctx.beginPath();
      let prev = null;
      shown.forEach(function (p) {
        const px = x(p.time);
        const py = y(T.num(p[l.field]));
        if (prev === null || p.time - prev > GAP_MS) {
          ctx.moveTo(px, py);
        } else {
          ctx.lineTo(px, py);
        }
        prev = p.time;
      });
      ctx.stroke();
      const last = shown.length ? shown[shown.length - 1] : null;
      c.values[i].textContent = last ? spec.fmt(T.num(last[l.field])) : "–";
    });
    c.canvas.setAttribute("data-points", String(shown.length));
    c.canvas.setAttribute("data-last", shown.length ? String(T.num(shown[shown.length - 1][spec.lines[0].field])) : "");
  }
})(window.Tasklane);
