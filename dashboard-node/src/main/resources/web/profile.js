// Tasklane dashboard: the profile page. Asks api/v1/profile.json every few seconds for the merged
// call tree of the chosen task group, worker and window (user frames, or whole stacks), and draws
// it as a flame graph (flamegraph.js). The filters start from the page's query string (profile?group=G
// &worker=W&minutes=N&all=true) and keep it up to date. User text (group, worker and frame names)
// reaches the DOM only as text.
"use strict";

(function () {
  const T = window.Tasklane;
  const EVERY_MS = 3000;
  const $ = function (id) {
    return document.getElementById(id);
  };
  const groupSel = $("profile-group");
  const workerSel = $("profile-worker");
  const minutesSel = $("profile-minutes");
  const allBox = $("profile-all");
  const params = new URLSearchParams(location.search);
  let wanted = { group: params.get("group") || "", worker: params.get("worker") || "" };
  if (["1", "5", "15"].indexOf(params.get("minutes")) >= 0) {
    minutesSel.value = params.get("minutes");
  }
  allBox.checked = params.get("all") === "true";
  let zoomPath = [];
  let loading = false;
  let timer = null;
  let live = false;

  const graph = T.flameGraph($("flamegraph"), {
    zoomed: function (path) {
      zoomPath = path;
      crumbs();
    },
  });

  function crumbs() {
    const box = $("profile-crumbs");
    box.replaceChildren();
    if (!zoomPath.length) {
      return;
    }
    const all = T.el("button", null, "all");
    all.type = "button";
    all.addEventListener("click", function () {
      zoomPath = [];
      graph.zoomTo([]);
      crumbs();
    });
    box.appendChild(all);
    zoomPath.forEach(function (name, i) {
      box.appendChild(document.createTextNode(" › "));
      const b = T.el("button", null, name);
      b.type = "button";
      b.addEventListener("click", function () {
        zoomPath = zoomPath.slice(0, i + 1);
        graph.zoomTo(zoomPath);
        crumbs();
      });
      box.appendChild(b);
    });
  }

  /** Fills a select with "all" plus names, keeping (or adding) the wanted one. */
  function fill(select, names, allLabel, want) {
    const list = (names || []).slice().sort(T.naturalCompare);
    if (want && list.indexOf(want) < 0) {
      list.unshift(want);
    }
    select.replaceChildren(T.el("option", null, allLabel));
    select.firstChild.value = "";
    list.forEach(function (n) {
      const o = T.el("option", null, n);
      o.value = n;
      select.appendChild(o);
    });
    select.value = want;
  }

  function query() {
    const q = new URLSearchParams();
    if (wanted.group) {
      q.set("group", wanted.group);
    }
    if (wanted.worker) {
      q.set("worker", wanted.worker);
    }
    q.set("minutes", minutesSel.value);
    if (allBox.checked) {
      q.set("all", "true");
    }
    return q;
  }

  function load() {
    if (loading) {
      return;
    }
    loading = true;
    const q = query();
    history.replaceState(null, "", "profile?" + q.toString()); // relative: stays under any prefix
    T.getJson("api/v1/profile.json?" + q.toString())
      .then(function (a) {
        $("profile-error").hidden = true;
        fill(groupSel, a.groups, "all groups", wanted.group);
        fill(workerSel, a.workers, "all workers", wanted.worker);
        const samples = T.num(a.samples);
        $("profile-samples").textContent = T.fmtInt(samples) + " samples";
        const notes = [];
        if (a.periodMillis > 0 && samples > 0) {
          notes.push("about " + T.fmtDuration(samples * a.periodMillis) + " of thread time at one sample per "
            + a.periodMillis + " ms");
        }
        if (T.num(a.unattributedSamples) > 0) {
          notes.push(T.fmtInt(a.unattributedSamples) + " on task threads between tasks");
        }
        if (a.folded) {
          notes.push("the rarest frames folded into (other)");
        }
        $("profile-note").textContent = notes.join(" · ");
        $("profile-empty").hidden = samples > 0;
        graph.setData(a.root);
      })
      .catch(function (e) {
        const err = $("profile-error");
        err.textContent = "Could not load the profile: " + e.message;
        err.hidden = false;
      })
      .finally(function () {
        loading = false;
      });
  }

  function schedule() {
    clearInterval(timer);
    timer = setInterval(function () {
      if (live && !document.hidden) {
        load();
      }
    }, EVERY_MS);
  }

  groupSel.addEventListener("change", function () {
    wanted.group = groupSel.value;
    load();
  });
  workerSel.addEventListener("change", function () {
    wanted.worker = workerSel.value;
    load();
  });
  minutesSel.addEventListener("change", load);
  allBox.addEventListener("change", function () {
    zoomPath = []; // the two views have different roots
    graph.zoomTo([]);
    crumbs();
    load();
  });
  $("profile-filters").addEventListener("submit", function (ev) {
    ev.preventDefault();
  });
  window.addEventListener("resize", function () {
    graph.redraw();
  });

  // the live feed only says whether the dashboard is live (the same indicator as every page)
  T.live({
    state: function (isLive) {
      const was = live;
      live = isLive;
      if (live && !was) {
        load();
      }
    },
  });
  load();
  schedule();
})();
