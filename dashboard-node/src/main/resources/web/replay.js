// Tasklane dashboard: a recorded run on the live pages. Under runs/ID/ (status, tasks, workers) the
// page replays the run: a bar under the header with the run's name, a time slider over the run,
// play/pause, 1x/10x/100x and the time shown; the page's feed is the run's stream from the slider's
// time (events?t=MILLIS&speed=S, the live stream's events) instead of the live one. Elsewhere this
// file does nothing (T.replay is null) and the pages are the live ones. Relative URLs only; user
// text (the run's name) as text only.
"use strict";

(function (T) {
  const match = /\/runs\/([^/]+)\/(status|tasks|workers)$/.exec(location.pathname);
  if (!match) {
    T.replay = null;
    return;
  }
  const R = { runId: decodeURIComponent(match[1]), page: match[2] };
  T.replay = R;

  // ---------- links out of the run, and the bar ----------
  // the runs page and the live pages are two levels up from runs/ID/PAGE
  document.querySelectorAll('.nav a[href="runs"], .nav a[href="graph"]').forEach(function (a) {
    a.setAttribute("href", "../../" + a.getAttribute("href")); // the graph page is the live one's
  });
  const nav = document.querySelector(".nav");
  if (nav) {
    const live = T.el("a", null, "Live");
    live.setAttribute("href", "../../status");
    live.setAttribute("title", "The live dashboard");
    nav.appendChild(live);
  }

  const bar = T.el("div", "replay-bar");
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Replay");
  const name = T.el("span", "replay-name", "run " + R.runId);
  const play = T.el("button", "replay-play", "▶");
  play.type = "button";
  play.id = "replay-play";
  play.title = "Play";
  const slider = document.createElement("input");
  slider.type = "range";
  slider.className = "replay-slider";
  slider.id = "replay-slider";
  slider.step = "1";
  slider.setAttribute("aria-label", "Time in the run");
  const time = T.el("span", "replay-time", "–");
  time.id = "replay-time";
  const speeds = T.el("span", "replay-speeds");
  const speedButtons = [1, 10, 100].map(function (s) {
    const b = T.el("button", "replay-speed", s + "x");
    b.type = "button";
    b.setAttribute("data-speed", String(s));
    b.setAttribute("aria-pressed", s === 1 ? "true" : "false");
    speeds.appendChild(b);
    return b;
  });
  bar.append(name, play, speeds, slider, time);
  const header = document.querySelector("header.topbar");
  if (header) {
    header.after(bar);
  } else {
    document.body.prepend(bar);
  }
  document.body.classList.add("replaying");

  /** Shows the run's name (the tasks page shows no time: it has every task of the run). */
  R.showRun = function (info, range) {
    name.textContent = (info && info.name ? String(info.name) : "run " + R.runId)
      + (info && info.partial ? " (partial: " + String(info.partialReason || "records missing") + ")" : "");
    name.title = "run " + R.runId;
    if (R.page === "tasks") {
      play.hidden = true;
      slider.hidden = true;
      speeds.hidden = true;
      time.textContent = T.fmtTime(range.lo) + " – " + T.fmtTime(range.hi) + " (" + T.fmtDuration(range.hi - range.lo)
        + ")";
    }
  };

  // ---------- the replay's clock ----------
  let start = 0;
  let end = 0;
  let base = Date.now(); // the run's time at wallBase (until the run is loaded: now)
  let wallBase = performance.now();
  let playing = false;
  let speed = 1;

  /** The run's time the page shows (epoch ms). */
  R.now = function () {
    return playing ? Math.min(end, base + (performance.now() - wallBase) * speed) : base;
  };

  function setClock(t) {
    base = t;
    wallBase = performance.now();
  }

  function showTime() {
    const t = R.now();
    if (document.activeElement !== slider) {
      slider.value = String(Math.round(t));
    }
    time.textContent = T.fmtTime(t) + " (+" + T.fmtDuration(Math.max(0, t - start)) + ")";
  }

  setInterval(function () {
    if (playing) {
      showTime();
    }
  }, 200);

  // ---------- the feed: the run's stream from a time, for T.live's handlers ----------
  /**
   * Replaces T.live under runs/ID/: the page gets the state at the end of the run first (paused),
   * then, while playing, the run's stream from the slider's time at the chosen speed.
   */
  R.feed = function (handlers) {
    const indicator = document.getElementById("connection");
    let source = null;
    let snapshotSeq = null;

    function render(text, live) {
      if (indicator) {
        indicator.textContent = text;
        indicator.classList.toggle("conn-live", live);
        indicator.classList.toggle("conn-down", !live);
        indicator.setAttribute("title", "A recorded run, replayed");
      }
    }

    function close() {
      if (source) {
        source.close();
        source = null;
      }
    }

    function connect(t) {
      close();
      snapshotSeq = null;
      const es = new EventSource("events?t=" + Math.round(t) + "&speed=" + speed);
      source = es;
      render("loading…", false);
      es.addEventListener("snapshot", function (ev) {
        const d = source === es ? T.parseEvent(ev) : null;
        if (!d) {
          return;
        }
        snapshotSeq = Number(d.seq);
        setClock(Number(d.now));
        if (handlers.snapshot) {
          handlers.snapshot(d);
        }
        render("replay " + speed + "x", true);
        showTime();
      });
      ["progress", "tasks", "workers", "resources", "status"].forEach(function (name) {
        es.addEventListener(name, function (ev) {
          const d = source === es ? T.parseEvent(ev) : null;
          if (!d || snapshotSeq === null || !(Number(d.seq) > snapshotSeq)) {
            return;
          }
          if (name === "status") {
            // the run's end: nothing comes after it (and EventSource must not start again)
            close();
            playing = false;
            setClock(end);
            setButton();
            render("end of the run", false);
            showTime();
            return;
          }
          if (handlers[name]) {
            handlers[name](d);
          }
        });
      });
      es.addEventListener("error", function () {
        if (source !== es) {
          return;
        }
        close(); // go on from where the page is, not from where this stream began
        if (playing) {
          setClock(R.now());
          playing = false;
          render("lost the stream; retrying…", false);
          setTimeout(function () {
            if (!source && !playing) {
              startPlaying();
            }
          }, 1000);
        }
      });
    }

    /** The state at t, paused. */
    function loadAt(t) {
      close();
      render("loading…", false);
      return getJson("api/v1/status.json?t=" + Math.round(t)).then(function (d) {
        setClock(Number(d.now));
        if (handlers.snapshot) {
          handlers.snapshot(d);
        }
        render(Number(d.now) >= end ? "end of the run" : "replay paused", false);
        showTime();
      }).catch(function (e) {
        render("could not load the run: " + e.message, false);
      });
    }

    function setButton() {
      play.textContent = playing ? "❚❚" : "▶";
      play.title = playing ? "Pause" : "Play";
      play.setAttribute("aria-pressed", playing ? "true" : "false");
    }

    function startPlaying() {
      if (R.now() >= end) {
        setClock(start); // from the start again
      }
      playing = true;
      setButton();
      connect(base);
    }

    play.addEventListener("click", function () {
      if (playing) {
        setClock(R.now());
        playing = false;
        close();
        setButton();
        render("replay paused", false);
        showTime();
      } else {
        startPlaying();
      }
    });
    speedButtons.forEach(function (b) {
      b.addEventListener("click", function () {
        const s = Number(b.getAttribute("data-speed"));
        setClock(R.now());
        speed = s;
        speedButtons.forEach(function (x) {
          x.setAttribute("aria-pressed", x === b ? "true" : "false");
        });
        if (playing) {
          connect(base);
        }
      });
    });
    slider.addEventListener("input", function () {
      const t = Number(slider.value);
      time.textContent = T.fmtTime(t) + " (+" + T.fmtDuration(Math.max(0, t - start)) + ")";
    });
    slider.addEventListener("change", function () {
      const t = Math.max(start, Math.min(end, Number(slider.value)));
      setClock(t);
      if (playing) {
        connect(t);
      } else {
        loadAt(t);
      }
      slider.blur();
    });

    // the run's span, then its end state
    render("loading…", false);
    Promise.all([getJson("run.json"), getJson("api/v1/status.json")]).then(function (both) {
      const info = both[0];
      const atEnd = both[1];
      end = Number(atEnd.now);
      start = Number(info.submittedMillis) > 0 ? Math.min(Number(info.submittedMillis), end) : end;
      slider.min = String(start);
      slider.max = String(end);
      R.showRun(info, { lo: start, hi: end });
      setClock(end);
      if (handlers.snapshot) {
        handlers.snapshot(atEnd);
      }
      render("end of the run", false);
      showTime();
    }).catch(function (e) {
      render("could not open the run: " + e.message, false);
    });
  };

  function getJson(url) {
    return T.getJson(url);
  }
})(window.Tasklane);
