// The caption editor: the video beside the lines, with the tools, the checks and the keys.
// Saving, approving and the revision history live in review.js.

import {call, why} from "./api.js";
import {Checks} from "./checks.js";
import * as draft from "./draft.js";
import {findNext, replaceAll} from "./find.js";
import {Transcript} from "./model.js";
import {Review} from "./review.js";
import {LinesView, clock} from "./view.js";

const setup = JSON.parse(document.getElementById("editor-setup").textContent);
const $ = (id) => document.getElementById(id);
const player = $("player");
const base = `/api/v1/recordings/${setup.recording}`;
const view = new LinesView($("lines"), setup.profile);
const checks = new Checks(setup.vocabulary, setup.low_probability);
const editor = {transcript: null, current: null, dirty: false, key: null};
let later = null;

function say(text, bad) {
  const box = $("message");
  box.textContent = text;
  box.className = "message" + (bad ? " bad" : "");
}

function showChecks() {
  $("check-count").textContent = `${checks.done} checked, ${checks.left} left of ${checks.items.length}`;
}

function soon() {
  // Typing is not slowed by the checks and the draft: they follow a moment later.
  clearTimeout(later);
  later = setTimeout(() => {
    checks.compute(editor.transcript.lines);
    showChecks();
    if (editor.dirty && !draft.keep(editor.key, editor.transcript, checks.checked)) {
      say("This browser would not keep a draft: save soon.", true);
    }
  }, 400);
}

function markDirty(dirty) {
  editor.dirty = dirty;
  $("dirty").hidden = !dirty;
}

/** Start editing `body` (a revision as the API gives it); `since`: lines typed while it was
 * being saved, laid over it. The person typing keeps their place. */
function open(body, since) {
  const area = document.activeElement;
  const typing = area && area.matches("#lines textarea")
    ? {line: [...$("lines").querySelectorAll("textarea")].indexOf(area), at: area.selectionStart,
       length: area.selectionEnd - area.selectionStart}
    : null;
  reopen(body, since);
  const line = typing && editor.transcript.lines[typing.line];
  if (line) { focusLine(line.id, typing.at, typing.length); }
}

function reopen(body, since) {
  editor.transcript = new Transcript(body, setup.profile);
  editor.key = draft.draftKey(setup.recording, editor.transcript.revision ?? "machine");
  editor.transcript.onChange((what, ids) => {
    if (what === "all") { view.render(editor.transcript.lines); } else { view.refresh(editor.transcript, ids); }
    markDirty(true);
    soon();
  });
  view.render(editor.transcript.lines);
  markDirty(false);
  checks.checked = new Set();
  checks.compute(editor.transcript.lines);
  showChecks();
  const kept = draft.read(editor.key);
  $("draft-offer").hidden = !kept;
  if (kept) { $("draft-offer").querySelector(".draft-at").textContent = new Date(kept.at).toLocaleString(); }
  if (since) { editor.transcript.load(since); }
}

function restoreDraft() {
  const kept = draft.read(editor.key);
  $("draft-offer").hidden = true;
  if (!kept) { return; }
  editor.transcript.load(kept.segments);
  checks.checked = new Set(kept.checked || []);
  checks.compute(editor.transcript.lines);
  showChecks();
  say("The draft is back: save it to keep it.");
}

// Which line the tools act on: the one last focused.

function focusLine(id, at, length) {
  const area = view.textarea(id);
  if (!area) { return; }
  area.focus();
  if (at !== undefined) { area.setSelectionRange(at, at + (length || 0)); }
  editor.current = id;
}

function seek(t, play) {
  const go = () => {
    player.currentTime = Math.max(0, t);
    if (play) { player.play().catch(() => { /* the person presses play */ }); }
  };
  if (player.readyState >= 1) { go(); } else { player.addEventListener("loadedmetadata", go, {once: true}); }
}

function tool(name, text) {
  const t = editor.transcript;
  if (name === "play") { return player.paused ? player.play().catch(() => {}) : player.pause(); }
  const id = editor.current;
  if (id === null || !t.byId(id)) { say("Click in a line first: the tools act on it.", true); return; }
  const area = view.textarea(id);
  if (name === "split") {
    const second = t.split(id, area.selectionStart);
    if (second === null) { say("Put the cursor between two words to split there.", true); } else { focusLine(second, 0); }
  } else if (name === "merge") {
    const joined = t.merge(id);
    if (joined === null) { say("The last line has nothing after it to merge with.", true); } else { focusLine(joined); }
  } else if (name.startsWith("start") || name.startsWith("end")) {
    const edge = name.startsWith("start") ? "start" : "end";
    if (t.nudge(id, edge, name.endsWith("+") ? 1 : -1)) {
      const l = t.byId(id);
      say(`Line ${t.index(id) + 1}: ${clock(l.start)} – ${clock(l.end)}`);
    }
  } else if (name === "insert") {
    const at = area.selectionStart, value = area.value;
    const before = at > 0 && !/\s$/.test(value.slice(0, at)) ? " " : "";
    const after = text.endsWith(" ") || /^\s/.test(value.slice(at)) || at === value.length ? "" : " ";
    area.value = value.slice(0, at) + before + text + after + value.slice(area.selectionEnd);
    const caret = at + before.length + text.length + after.length;
    t.setText(id, area.value);
    focusLine(id, caret);
  }
}

function gotoCheck(item) {
  if (!item) { $("check-now").textContent = "Nothing left to check."; return; }
  const line = editor.transcript.byId(item.line);
  focusLine(item.line, item.at, item.word.length);
  seek(Math.max(line.start, item.start - 0.5), false);
  $("check-now").textContent = `“${item.word}” at ${clock(item.start)}: ${item.reason}`;
}

// Keys: everything the mouse does, the keyboard does too.

const KEYS = {
  KeyK: () => tool("play"), KeyM: () => tool("merge"), Enter: () => tool("split"),
  Comma: (shift) => tool(shift ? "end-" : "start-"), Period: (shift) => tool(shift ? "end+" : "start+"),
  Digit1: () => tool("insert", ">> "), Digit2: () => tool("insert", "[MUSIC]"),
  Digit3: () => tool("insert", "[INAUDIBLE]"), Digit4: () => tool("insert", "[APPLAUSE]"),
  KeyN: (shift) => gotoCheck(checks.move(shift ? -1 : 1)),
  KeyA: () => { checks.accept(); showChecks(); gotoCheck(checks.move(1)); },
  ArrowUp: () => moveLine(-1), ArrowDown: () => moveLine(1),
};

function moveLine(step) {
  const t = editor.transcript;
  const next = t.lines[t.index(editor.current) + step];
  if (next) { focusLine(next.id); }
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey && !event.altKey && event.key.toLowerCase() === "s") {
    event.preventDefault();
    $("save").requestSubmit();
    return;
  }
  const action = event.altKey && !event.ctrlKey && !event.metaKey ? KEYS[event.code] : null;
  if (action && editor.transcript) {
    event.preventDefault();
    action(event.shiftKey);
  }
});

// The lines: typing, focusing, playing a line.

$("lines").addEventListener("input", (event) => {
  const li = event.target.closest("li.line");
  if (li) { editor.transcript.setText(Number(li.dataset.id), event.target.value); }
});
$("lines").addEventListener("focusin", (event) => {
  const li = event.target.closest("li.line");
  if (li) { editor.current = Number(li.dataset.id); }
});
$("lines").addEventListener("click", (event) => {
  const button = event.target.closest("button.seek");
  if (!button) { return; }
  const id = Number(button.closest("li.line").dataset.id);
  editor.current = id;
  seek(editor.transcript.byId(id).start, true);
});
player.addEventListener("timeupdate", () => {
  const lines = editor.transcript ? editor.transcript.lines : [];
  let lo = 0, hi = lines.length - 1, found = null;
  while (lo <= hi) {   // the last line starting before now
    const mid = (lo + hi) >> 1;
    if (lines[mid].start <= player.currentTime + 0.05) { found = lines[mid]; lo = mid + 1; } else { hi = mid - 1; }
  }
  if (found) { view.playing(found.id); }
});

document.querySelector(".toolbar").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-tool]");
  if (button) { tool(button.dataset.tool, button.dataset.text); }
});
// The tools keep the line's cursor: pressing a tool button must not take focus from the line.
document.querySelector(".toolbar").addEventListener("mousedown", (event) => event.preventDefault());

$("check-next").addEventListener("click", () => gotoCheck(checks.move(1)));
$("check-prev").addEventListener("click", () => gotoCheck(checks.move(-1)));
$("check-accept").addEventListener("click", () => { checks.accept(); showChecks(); gotoCheck(checks.move(1)); });
$("draft-restore").addEventListener("click", restoreDraft);
$("draft-discard").addEventListener("click", () => { draft.drop(editor.key); $("draft-offer").hidden = true; });

// Find and replace

const find = $("find");
let found = {index: 0, at: 0};
$("find-next").addEventListener("click", () => {
  const f = find.elements;
  if (!f.find.value) { $("find-status").textContent = "Type what to find."; return; }
  const hit = findNext(editor.transcript, f.find.value, f.whole.checked, f.case.checked, found.index, found.at);
  if (!hit) { $("find-status").textContent = `“${f.find.value}” is not in the transcript.`; return; }
  found = {index: editor.transcript.index(hit.line.id), at: hit.at + hit.length};
  focusLine(hit.line.id, hit.at, hit.length);
  $("find-status").textContent = `Found in line ${found.index + 1}.`;
});
find.addEventListener("submit", (event) => {
  event.preventDefault();
  const f = find.elements;
  const done = replaceAll(editor.transcript, f.find.value, f.replace.value, f.whole.checked, f.case.checked);
  editor.transcript.lines.forEach((l) => view.setText(l.id, l.text));
  $("find-status").textContent = done.count
    ? `Replaced ${done.count} in ${done.lines} line${done.lines === 1 ? "" : "s"}.`
    : `“${f.find.value}” is not in the transcript.`;
});

window.addEventListener("beforeunload", (event) => {
  if (!editor.dirty) { return; }
  draft.keep(editor.key, editor.transcript, checks.checked);
  event.preventDefault();
});

const review = new Review({setup, base, say, checks, open, editor, draft, showChecks});

async function start() {
  let answer = await call("GET", `${base}/transcript`);
  for (let attempt = 1; answer.status === 503 && attempt < 3; attempt++) {
    // A busy server answers 503 rather than keep the page waiting: ask again shortly.
    say("The server is busy; reading the transcript again…");
    await new Promise((resume) => setTimeout(resume, 1500 * attempt));
    answer = await call("GET", `${base}/transcript`);
  }
  if (!answer.ok) { say(`The transcript could not be read: ${why(answer)}. Reload to try again.`, true); return; }
  say("");
  open(answer.body);
  review.opened(answer.body);
  if (setup.city) {
    // The names staff taught the city before: not flagged as unknown.
    const words = await call("GET", `/api/v1/cities/${encodeURIComponent(setup.city)}/vocabulary`);
    if (words.ok) {
      checks.learn(words.body.learned || []);
      checks.compute(editor.transcript.lines);
      showChecks();
    }
  }
}

start();
