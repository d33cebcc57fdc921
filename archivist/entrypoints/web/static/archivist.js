// Archivist's pages: job buttons, live queue progress, and the transcript beside the video.
// No dependencies; every change goes to the REST API with the page's CSRF token.
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // Feedback goes beside the button pressed (its `.feedback`), else in the page's #message.
  function say(text, bad, near) {
    var holder = near && near.closest("td, p, form, dd");
    var box = (holder && holder.querySelector(".feedback")) || document.getElementById("message");
    if (!box) { return; }
    box.textContent = text;
    box.classList.toggle("bad", !!bad);
  }

  function shown(state) { return state === "succeeded" ? "captioned" : state; }
  function active(state) { return state === "queued" || state === "running"; }

  function call(method, url, body) {
    var options = {method: method, credentials: "same-origin",
                   headers: {"Accept": "application/json", "X-CSRF-Token": csrf}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          var why = data && data.error ? data.error.message : response.status + " " + response.statusText;
          if (response.status === 401) { why = "Log in first: " + why; }
          throw new Error(why);
        }
        return data;
      });
    });
  }

  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + two(m) + ":" + two(s % 60) : m + ":" + two(s % 60);
  }

  function meeting(path) {
    var name = (path || "").split("/").pop();
    return name.indexOf(".") > 0 ? name.slice(0, name.lastIndexOf(".")) : name;
  }

  // Job buttons (queue rows and the job page)

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var id = button.closest("[data-id]").getAttribute("data-id");
    var action = button.getAttribute("data-action");
    var done = action === "now"
      ? call("POST", "/api/v1/jobs/" + id + "/priority", {priority: 9})
      : call("POST", "/api/v1/jobs/" + id + "/" + action);
    say("…", false, button);
    done.then(function (job) {
      say("Job " + job.id + ": " + (action === "now" ? "captioned next" : job.state), false, button);
      var holder = button.closest("[data-state]");
      if (holder) { holder.setAttribute("data-state", job.state); }
      poll(true);
      watchAll();
    }).catch(function (error) { say(error.message, true, button); });
  });

  // "Caption this now" for a file on the dashboard, and the queue's form

  function submit(body, near) {
    body.priority = 9;
    say("…", false, near);
    return call("POST", "/api/v1/jobs", body).then(function (job) {
      say("Job " + job.id + " " + job.state + (job.note ? ": " + job.note : ""), false, near);
      poll(true);
      return job;
    }).catch(function (error) { say(error.message, true, near); });
  }

  document.querySelectorAll("button.caption-now").forEach(function (button) {
    button.addEventListener("click", function () {
      var focused = document.activeElement === button;
      button.disabled = true;
      submit({path: button.getAttribute("data-path")}, button).then(function (job) {
        var row = button.closest("tr");
        if (!job) { button.disabled = false; if (focused) { button.focus(); } return; }
        row.setAttribute("data-job", job.id);
        var answer = row.querySelector(".feedback");
        answer.setAttribute("data-job", job.id);
        answer.setAttribute("data-state", job.state);
        paint(row, job);
        button.remove();
        if (focused) {   // the focus stays in the row, on the answer, not back at the page's top
          answer.tabIndex = -1;
          answer.focus();
        }
        watchAll();
      });
    });
  });

  // "Caption again": a captioned recording transcribed anew (e.g. after a better model)

  document.querySelectorAll("button.again").forEach(function (button) {
    button.addEventListener("click", function () {
      // Staff corrections are superseded by the machine's new revision: say so before, not after.
      var corrected = button.getAttribute("data-corrected");
      var asking = "Caption this recording again? Its captions are replaced when the new job finishes.";
      if (corrected) {
        asking += " The corrected captions (" + corrected + ") are replaced too: they stay in the history, to restore.";
      }
      if (!window.confirm(asking)) { return; }
      var chosen = document.querySelector("select.again-model");
      var asked = {path: button.getAttribute("data-path"), force: true};
      if (chosen && chosen.value) { asked.model = chosen.value; }
      submit(asked, button).then(function (job) {
        var latest = document.getElementById("latest");
        if (job && latest) {
          // The new job in place of the last one: its link, and none of the last one's times.
          var link = latest.querySelector("a");
          link.href = "/jobs/" + job.id;
          link.textContent = "job " + job.id;
          latest.replaceChildren(latest.querySelector(".state"), " ", latest.querySelector(".percent"), " ", link);
          latest.setAttribute("data-id", job.id);
          paint(latest, job);
          watchAll();
        }
      });
    });
  });

  // Rows and pages that follow one job (dashboard rows, the job and recording pages):
  // each active job is asked about every 2 s, for at most an hour, until it finishes.

  var watching = {};

  function paint(holder, job) {
    holder.setAttribute("data-state", job.state);
    var badge = holder.querySelector(".state");
    if (badge) { badge.textContent = shown(job.state); badge.className = "state " + shown(job.state); }
    var percent = holder.querySelector(".percent");
    if (percent) { percent.textContent = job.state === "running" ? Math.round(job.progress * 100) + " %" : ""; }
    // The answer beside a button that queued this job follows it (its status line says each
    // new state once), rather than saying "queued" beside a failed row.
    var told = holder.querySelector('.feedback[data-job="' + job.id + '"]');
    if (told && told.getAttribute("data-state") !== job.state) {
      told.setAttribute("data-state", job.state);
      told.textContent = "Job " + job.id + " " + shown(job.state) + (job.error ? ": " + job.error : "");
      told.classList.toggle("bad", job.state === "failed");
    }
  }

  function watch(holder, id) {
    if (watching[id]) { return; }
    var started = Date.now(), wait = 2000;
    watching[id] = true;
    var ask = function () {
      call("GET", "/api/v1/jobs/" + id).then(function (job) {
        wait = 2000;
        var was = holder.getAttribute("data-state");
        paint(holder, job);
        if (active(job.state) && Date.now() - started < 3600 * 1000) { setTimeout(ask, wait); return; }
        delete watching[id];
        if (was !== job.state && holder.hasAttribute("data-reload")) { location.reload(); }
      }).catch(function () {
        wait = Math.min(wait * 2, 30000);     // the server is busy or away: ask less often
        if (Date.now() - started < 3600 * 1000) { setTimeout(ask, wait); } else { delete watching[id]; }
      });
    };
    setTimeout(ask, 1000);
  }

  function watchAll() {
    document.querySelectorAll("[data-job], #job, #latest").forEach(function (holder) {
      var id = holder.getAttribute("data-job") || holder.getAttribute("data-id");
      if (id && active(holder.getAttribute("data-state"))) { watch(holder, id); }
    });
  }
  watchAll();

  // Publish a recording to Cablecast again (perhaps to the show staff choose)

  var publish = document.getElementById("publish");
  if (publish) {
    publish.addEventListener("submit", function (event) {
      event.preventDefault();
      var show = publish.querySelector("input[name=show_id]").value;
      var id = publish.getAttribute("data-recording");
      call("POST", "/api/v1/recordings/" + id + "/publish", show ? {show_id: parseInt(show, 10)} : {})
        .then(function (answer) { say(answer.note); setTimeout(function () { location.reload(); }, 4000); })
        .catch(function (error) { say(error.message, true); });
    });
  }

  var form = document.getElementById("submit-job");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {path: form.elements.path.value.trim()};
      if (form.elements.city.value) { body.city = form.elements.city.value; }
      submit(body, form.querySelector("button"));
    });
  }

  // The queue: short polling of the API keeps every row's progress and ETA current

  var table = document.getElementById("jobs");
  var template = document.getElementById("job-row");
  var timer = null;

  function fill(row, job) {
    row.setAttribute("data-id", job.id);
    row.setAttribute("data-state", job.state);
    var link = row.querySelector(".job-link");
    link.textContent = job.id;
    link.setAttribute("href", "/jobs/" + job.id);
    row.querySelector(".city").textContent = job.city || "";
    row.querySelector(".meeting").textContent = meeting(job.path);
    var state = row.querySelector(".state");
    state.textContent = job.state;
    state.className = "state " + job.state;
    var percent = Math.round(job.progress * 1000) / 10;
    row.querySelector("progress").value = percent;
    row.querySelector(".percent").textContent = Math.round(percent) + " %";
    row.querySelector(".eta").textContent =
      job.state === "running" && job.eta_seconds ? clock(job.eta_seconds) + " left" : "";
    row.querySelector(".error").textContent = job.state === "failed" ? (job.error || "") : "";
    row.querySelector(".priority").textContent = job.priority;
  }

  function poll(now) {
    if (!table) { return; }
    clearTimeout(timer);
    var state = table.getAttribute("data-state"), city = table.getAttribute("data-city");
    var url = "/api/v1/jobs?limit=" + (table.getAttribute("data-limit") || 50) +
      "&offset=" + (table.getAttribute("data-offset") || 0) +
      (state ? "&state=" + encodeURIComponent(state) : "") + (city ? "&city=" + encodeURIComponent(city) : "");
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("the job list is unavailable (" + response.status + ")"); }
        return response.json();
      })
      .then(function (data) {
        var body = table.tBodies[0];
        var rows = {};
        body.querySelectorAll("tr.job").forEach(function (row) { rows[row.getAttribute("data-id")] = row; });
        data.jobs.forEach(function (job, index) {
          var row = rows[job.id] || template.content.firstElementChild.cloneNode(true);
          fill(row, job);
          if (body.children[index] !== row) { body.insertBefore(row, body.children[index] || null); }
          delete rows[job.id];
        });
        Object.keys(rows).forEach(function (id) { rows[id].remove(); });
        var none = document.getElementById("no-jobs");
        if (none && data.jobs.length) { none.remove(); }
      })
      .catch(function (error) { say(error.message, true); })
      .then(function () { timer = setTimeout(poll, document.hidden ? 10000 : 2000); });
    return now;
  }
  if (table) { timer = setTimeout(poll, 1000); }

  // The transcript page: click a line to play from it; the line being spoken is highlighted

  var player = document.getElementById("player");
  if (player) {
    var lines = Array.prototype.slice.call(document.querySelectorAll("#transcript li"));
    var copy = document.getElementById("copy-moment");
    var current = null;
    var highlight = function (t) {
      var found = null;
      for (var i = 0; i < lines.length; i++) {
        if (parseFloat(lines[i].getAttribute("data-start")) <= t + 0.05) { found = lines[i]; } else { break; }
      }
      if (found === current) { return; }
      if (current) { current.classList.remove("current"); current.removeAttribute("aria-current"); }
      current = found;
      if (current) {
        current.classList.add("current");
        current.setAttribute("aria-current", "true");
        current.scrollIntoView({block: "nearest"});
      }
    };
    var seek = function (t, play) {
      var go = function () {
        player.currentTime = t;
        highlight(t);
        if (play) { player.play().catch(function () { /* the person presses play */ }); }
      };
      if (player.readyState >= 1) { go(); } else { player.addEventListener("loadedmetadata", go, {once: true}); }
    };
    // Each line is a button: a click, Enter or Space plays from it.
    lines.forEach(function (line) {
      var start = parseFloat(line.getAttribute("data-start"));
      line.querySelector("button").addEventListener("click", function () { seek(start, true); });
    });
    if (copy) {
      copy.addEventListener("click", function () {
        var link = location.origin + location.pathname + "?t=" + Math.floor(player.currentTime);
        var field = document.getElementById("moment-link"), told = document.getElementById("copied");
        var shown = function (text) { told.textContent = text; };
        field.value = link;
        field.hidden = false;
        field.select();
        // The clipboard needs a secure page (HTTPS); on a plain-HTTP LAN the link stays selected.
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(link).then(function () { shown("Link copied"); },
                                                   function () { shown("Copy the selected link"); });
        } else {
          shown(document.execCommand && document.execCommand("copy") ? "Link copied" : "Copy the selected link");
        }
      });
    }
    player.addEventListener("timeupdate", function () { highlight(player.currentTime); });
    var start = parseFloat(player.getAttribute("data-start") || "0");
    if (start > 0) { seek(start, false); }
  }
})();
