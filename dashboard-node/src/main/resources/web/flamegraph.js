// Tasklane dashboard: a flame graph drawn as SVG (icicle layout: the outermost frame on top, callees
// below, a frame's width its share of the samples). Draws a tree of {name, value, children}; zooms
// into a frame on click. Frame names reach the SVG only as text nodes (textContent), never as markup.
"use strict";

(function () {
  const T = window.Tasklane;
  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 18;
  const MIN_WIDTH = 0.5; // px: narrower frames are not drawn
  const CHAR = 6.6; // px per character of the 11 px label font, about
  const SPECIAL = /^\((other|tasklane|truncated|other groups)\)$/;

  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, String(attrs[k]));
    });
    return e;
  }

  /** A warm colour per frame name (the same on every load); gray for Tasklane's own pseudo-frames. */
  function frameColor(name) {
    if (SPECIAL.test(name)) {
      return "#c8c8c8";
    }
    const h = T.hash(name);
    return "hsl(" + (8 + (h % 42)) + ", " + (70 + ((h >>> 8) % 20)) + "%, " + (58 + ((h >>> 16) % 14)) + "%)";
  }

  /** "42.1 %" */
  function pct(part, whole) {
    return whole > 0 ? ((100 * part) / whole).toFixed(part * 1000 < whole ? 2 : 1) + " %" : "–";
  }

  /**
   * A flame graph in `container`. handlers.zoomed(path) is told when a click zooms (path: the frame
   * names from the root's child down to the zoomed frame; [] for the whole graph).
   */
  T.flameGraph = function (container, handlers) {
    let root = null;
    let zoom = []; // names from the root down to the zoomed frame

    /** The nodes from the root down along `path`, as far as they exist. */
    function chain(path) {
      const out = [root];
      let at = root;
      for (let i = 0; i < path.length; i++) {
        const next = (at.children || []).find(function (c) {
          return c.name === path[i];
        });
        if (!next) {
          break;
        }
        out.push(next);
        at = next;
      }
      return out;
    }

    function frame(g, node, x, y, w, total, parentValue, depth, path) {
      const grp = svgEl("g", { class: "fg-frame", "data-name": node.name, "data-depth": depth });
      grp.appendChild(svgEl("rect", { x: x.toFixed(2), y: y, width: Math.max(0.5, w - 0.5).toFixed(2), height: ROW - 1,
        fill: frameColor(node.name) }));
      const title = svgEl("title");
      title.textContent = node.name + " — " + T.fmtInt(node.value) + " samples, " + pct(node.value, total);
      grp.appendChild(title);
      const chars = Math.floor((w - 6) / CHAR);
      if (chars >= 3) {
        const label = svgEl("text", { x: (x + 3).toFixed(2), y: y + ROW - 5 });
        label.textContent = node.name.length <= chars ? node.name : node.name.slice(0, chars - 1) + "…";
        grp.appendChild(label);
      }
      grp.addEventListener("mousemove", function (ev) {
        T.showTooltip(node.name, [
          ["samples", T.fmtInt(node.value)],
          ["of all shown", pct(node.value, total)],
          ["of its caller", parentValue ? pct(node.value, parentValue) : "–"],
        ], ev.clientX, ev.clientY);
      });
      grp.addEventListener("mouseleave", T.hideTooltip);
      grp.addEventListener("click", function () {
        T.hideTooltip();
        zoom = path;
        draw();
        if (handlers && handlers.zoomed) {
          handlers.zoomed(zoom.slice());
        }
      });
      g.appendChild(grp);
    }

    function draw() {
      container.replaceChildren();
      if (!root || !(root.value > 0)) {
        return;
      }
      const width = Math.max(200, container.clientWidth || 800);
      const path = chain(zoom);
      zoom = path.slice(1).map(function (n) {
        return n.name;
      }); // frames that are gone from the data: zoomed out to what is left
      const focus = path[path.length - 1];
      const total = root.value;
      const rows = [];
      // the frames above the zoomed one, full width (dimmed): click one to zoom out to it
      const above = path.slice(1, path.length - 1);
      let maxDepth = above.length;
      function layout(node, x, w, depth, prefix, parentValue) {
        rows.push([node, x, w, depth, prefix, parentValue]);
        maxDepth = Math.max(maxDepth, depth);
        let cx = x;
        (node.children || []).forEach(function (c) {
          const cw = (w * c.value) / node.value;
          if (cw >= MIN_WIDTH) {
            layout(c, cx, cw, depth + 1, prefix.concat([c.name]), node.value);
          }
          cx += cw;
        });
      }
      if (focus === root) {
        let x = 0;
        (root.children || []).forEach(function (c) {
          const cw = (width * c.value) / root.value;
          if (cw >= MIN_WIDTH) {
            layout(c, x, cw, 0, [c.name], root.value);
          }
          x += cw;
        });
      } else {
        layout(focus, 0, width, above.length, zoom.slice(), path[path.length - 2].value);
      }
      const svg = svgEl("svg", { width: width, height: (maxDepth + 1) * ROW, role: "img",
        "aria-label": "Flame graph of " + T.fmtInt(total) + " samples" });
      const g = svgEl("g");
      above.forEach(function (n, i) {
        frame(g, n, 0, i * ROW, width, total, i === 0 ? root.value : above[i - 1].value, i, zoom.slice(0, i + 1));
        g.lastChild.setAttribute("class", "fg-frame fg-dim");
      });
      rows.forEach(function (r) {
        frame(g, r[0], r[1], r[3] * ROW, r[2], total, r[5], r[3], r[4]);
      });
      svg.appendChild(g);
      container.appendChild(svg);
    }

    return {
      /** Draws a new tree, keeping the zoom where that frame still exists. */
      setData: function (tree) {
        root = tree;
        draw();
      },
      zoomTo: function (path) {
        zoom = path.slice();
        draw();
      },
      redraw: draw,
    };
  };
})();
