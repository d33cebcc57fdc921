// The live page: words appear as the session sends them; a row ends a line. The server ends
// each event stream after a few seconds and the browser asks again from where it got to.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var box = document.getElementById("live-transcript");
  if (!status || !box) { return; }
  var city = status.getAttribute("data-city");
  var line = null;
  var session = null;
  var starting = false;   // "Starting: ..." is shown until the first words arrive
  // Whether a session runs, as the page was told: the page opens on the last session's events
  // replayed, and its `ended` is no news when none runs (the page already says why).
  var running = status.getAttribute("data-running") === "true";

  function newLine() {
    line = document.createElement("p");
    line.className = "live-line";
    box.appendChild(line);
    while (box.children.length > 500) { box.removeChild(box.firstChild); }
  }

  // The status is a live region (a screen reader says it when it changes): written only when
  // it says something new, not at each of the event stream's answers.
  function say(text) {
    if (status.textContent !== text) { status.textContent = text; }
  }

  // 19:42:10: a moment today (seconds since the epoch) in the station's time, as the page
  // first says it (the server's), not the viewer's: a resident in another zone read the
  // sentence change its time once the event stream answered.
  var offset = Number(status.getAttribute("data-utc-offset") || 0);
  function timeOfDay(epoch) {
    var at = new Date((epoch + offset) * 1000);
    return [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()].map(function (n) {
      return (n < 10 ? "0" : "") + n;
    }).join(":");
  }

  // 19:42: a moment today, as the label of the last session's words says when it ended.
  function hourAndMinute(epoch) {
    return timeOfDay(epoch).slice(0, 5);
  }

  // The words on the page are the last session's, not a running one's: say so above them
  // (the page says so itself when it opens on them), and when it ended if the page saw it end.
  function labelEarlier(at) {
    if (document.getElementById("live-earlier")) { return; }
    var label = document.createElement("h2");
    label.id = "live-earlier";
    label.className = "live-earlier";
    label.setAttribute("data-session", session || "");
    label.textContent = "From the last session" + (at ? ", ended " + hourAndMinute(at) : "");
    box.parentNode.insertBefore(label, box);
  }

  function unlabelEarlier() {
    var label = document.getElementById("live-earlier");
    if (label) { label.remove(); }
  }

  function on(kind, handle) {
    source.addEventListener(kind, function (e) { handle(JSON.parse(e.data), e); });
  }

  var source = new EventSource("/live/" + encodeURIComponent(city) + "/events");
  on("began", function (data, e) {
    var name = (e.lastEventId || "").split(":")[0];
    if (session !== null && name !== session) { box.textContent = ""; }
    // A new meeting, live: the notice that the last one's recording replaces it is not this one's.
    var replaced = document.querySelector(".live-replaced");
    if (replaced && replaced.getAttribute("data-session") !== name) { replaced.remove(); }
    // A session other than the one labelled the last: its words are this meeting's.
    var earlier = document.getElementById("live-earlier");
    if (earlier && earlier.getAttribute("data-session") !== name) { unlabelEarlier(); }
    session = name;
    newLine();
  });
  on("word", function (data) {
    if (starting) {   // words are flowing: the session is live, whatever the last status said
      starting = false;
      message.textContent = "";
      say("Live now");
    }
    if (!line) { newLine(); }
    line.appendChild(document.createTextNode((line.textContent ? " " : "") + data.word));
    box.scrollTop = box.scrollHeight;
  });
  on("row", function () { newLine(); });
  on("gap", function (data) {
    var note = document.createElement("p");
    note.className = "live-gap";
    note.textContent = "(the live source was lost for " + Math.round(data.end - data.start) + " s)";
    box.appendChild(note);
    newLine();
  });
  on("ended", function (data) {
    if (running) {
      say("Not live (the session has ended)");
      labelEarlier(data.at);
    }
    running = false;
  });
  on("status", function (data) {
    say(data.state === "loading" ? "Starting… (loading the model)" :
      data.state === "waiting" ? "Waiting for the source: captions begin with its sound" :
      // After its first sound the source dropped: no captions can come until it is back.
      data.running && data.source_up === false && !data.waiting ?
        "Live, but the meeting's sound stopped reaching us" +
        (data.source_quiet_since ? " at " + timeOfDay(data.source_quiet_since) : "") +
        "; captions resume when it returns" :
      data.running ? "Live now" :
      // Why it fails, or that no worker runs it, comes only to staff (or with web.health_detail).
      data.state === "failing" && data.problem ?
        "Not live: the session could not start (" + data.problem + "); trying again" :
      data.state === "failing" ?
        "Not live: the station is having trouble starting the live captions; it keeps trying" :
      data.state === "starting" ? "Starting…" + (data.problem ? " but " + data.problem : "") :
      (data.state === "stopped" ? "Not live (the last session has ended)" : "No live session yet"));
    running = data.running;
    // A session that died without its `ended` (killed) leaves its words as the last session's;
    // one that runs and is the page's own has none labelled earlier.
    if (!data.running && session) { labelEarlier(null); }
    if (data.running && data.session && data.session === session) { unlabelEarlier(); }
    var live = data.running || data.wanted;
    if (startButton) { startButton.disabled = live; }
    if (stopButton) { stopButton.disabled = !live; }
  });

  // Staff: start or stop the city's session (the worker with --beat runs it).
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var message = document.getElementById("live-message");
  var startButton = document.getElementById("live-start");
  var stopButton = document.getElementById("live-stop");
  function ask(what) {
    fetch("/api/v1/live/" + encodeURIComponent(city) + "/" + what, {
      method: "POST", credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRF-Token": csrf}
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          throw new Error(data && data.error ? data.error.message : response.status + " " + response.statusText);
        }
        starting = what === "start";
        message.textContent = starting ? "Starting: captions appear here within a minute." :
          "Asked to stop: the session ends within seconds.";
      });
    }).catch(function (error) { message.textContent = error.message; });
  }
  if (startButton) { startButton.addEventListener("click", function () { ask("start"); }); }
  if (stopButton) { stopButton.addEventListener("click", function () { ask("stop"); }); }
}());
