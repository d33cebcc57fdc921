// Saving a revision, what it changed, the city's new words, approval and the history.

import {call, why} from "./api.js";
import {clock} from "./view.js";

const $ = (id) => document.getElementById(id);

function element(tag, text, attributes = {}) {
  const made = document.createElement(tag);
  if (text !== undefined) { made.textContent = text; }
  Object.entries(attributes).forEach(([name, value]) => made.setAttribute(name, value));
  return made;
}

const when = (at) => (at ? new Date(at).toLocaleString() : "");

export class Review {
  constructor(editing) {
    this.e = editing;   // {setup, base, say, checks, open, editor, draft, showChecks}
    this.saving = false;
    $("save").addEventListener("submit", (event) => { event.preventDefault(); this.save(); });
    $("approve").addEventListener("click", () => this.approve());
  }

  /** A revision was opened: show whose it is, its review state and the history. */
  opened(body) {
    $("revision").textContent = body.revision ?? "machine";
    $("revision-by").textContent = body.author ? `by ${body.author} ${when(body.created_at)}` : "";
    this.state(body.review);
    this.history();
  }

  state(review) {
    const box = $("review-state");
    const state = (review && review.state) || "unknown";
    box.textContent = state.replace("_", " ") +
      (review && review.approved_by ? ` by ${review.approved_by} ${when(review.approved_at)}` : "");
    box.className = "state " + ({approved: "succeeded", in_review: "running"}[state] || "unknown");
  }

  async save(over) {
    // One save at a time: a second Ctrl+S from the same revision would be refused as stale
    // and read as someone else's save.
    if (this.saving) { return; }
    this.saving = true;
    try {
      await this.send(over);
    } finally {
      this.saving = false;
    }
  }

  async send(over) {
    const {editor, say} = this.e;
    const problem = editor.transcript.problem();
    if (problem) { say(`Not saved: ${problem}.`, true); return; }
    const base = over ?? editor.transcript.revision;
    const body = {segments: editor.transcript.segments()};
    const note = $("save").elements.note.value.trim();
    if (note) { body.note = note; }
    say("Saving…");
    const answer = await call("PUT", `${this.e.base}/transcript`, body, {"If-Match": `"${base}"`});
    if (answer.status === 409) { this.conflict(answer.body); return; }
    if (!answer.ok) { say(`Not saved (your text is kept here): ${why(answer)}`, true); return; }
    $("conflict").hidden = true;
    // What was typed while the save was on its way stays, on top of the saved revision.
    const since = JSON.stringify(editor.transcript.segments()) !== JSON.stringify(body.segments)
      ? editor.transcript.lines.map((l) => ({start: l.start, end: l.end, text: l.text, words: l.words}))
      : null;
    this.e.draft.drop(editor.key);
    const checked = this.e.checks.checked;
    this.e.open(answer.body, since);
    this.e.checks.checked = checked;
    this.e.showChecks();
    $("save").elements.note.value = "";
    say(`Saved as revision ${answer.body.revision}` +
        (since ? "; what you typed since is not saved yet." : "."));
    this.opened(answer.body);
    this.applied(answer.body.applied);
    this.suggest(answer.body.suggested_vocabulary || []);
    this.report();
  }

  /** Someone saved since this edit began: say who and what, keep the person's text. */
  conflict(body) {
    const box = $("conflict");
    box.replaceChildren(element("p", `Not saved: the transcript changed since you opened it ` +
      `(now revision ${body.current_revision}). Your text is still here and kept as a draft.`));
    const list = element("ul");
    for (const c of body.changed || []) {
      list.appendChild(element("li", `revision ${c.revision} by ${c.author} ${when(c.created_at)}` +
        (c.note ? `: ${c.note}` : "")));
    }
    box.appendChild(list);
    const again = element("button", `Save my text as the next revision after ${body.current_revision}`,
                          {type: "button"});
    again.addEventListener("click", () => this.save(body.current_revision));
    box.appendChild(again);
    box.hidden = false;
    this.e.draft.keep(this.e.editor.key, this.e.editor.transcript, this.e.checks.checked);
    this.e.say("Not saved: someone else saved first. Your text is kept.", true);
  }

  applied(applied) {
    const box = $("applied");
    if (!applied) { box.hidden = true; return; }
    box.replaceChildren(element("h2", "Applied"));
    const list = element("ul");
    for (const [what, label] of [["captions", "Caption files"], ["search", "Search"], ["cablecast", "Cablecast"]]) {
      const state = applied[what] || "pending";
      list.appendChild(element("li", `${label}: ${state.replace("_", " ")}`, {"data-applied": what, "data-state": state}));
    }
    (applied.problems || []).forEach((p) => list.appendChild(element("li", p, {class: "error"})));
    box.appendChild(list);
    box.hidden = false;
  }

  /** Names typed in place of misheard words, offered to the city's vocabulary in one click. */
  suggest(words) {
    const box = $("suggestions");
    if (!words.length || !this.e.setup.city) { box.hidden = true; return; }
    box.replaceChildren(element("h2", `New words for ${this.e.setup.city}`),
                        element("p", words.join(", ")));
    const add = element("button", `Add ${words.length === 1 ? "it" : "them"} to ${this.e.setup.city}'s vocabulary`,
                        {type: "button", id: "learn"});
    add.addEventListener("click", async () => {
      const answer = await call("POST", `/api/v1/cities/${encodeURIComponent(this.e.setup.city)}/vocabulary`, {add: words});
      if (!answer.ok) { this.e.say(`Not added: ${why(answer)}`, true); return; }
      this.e.checks.learn(words);
      this.e.checks.compute(this.e.editor.transcript.lines);
      this.e.showChecks();
      const added = `Added to ${this.e.setup.city}'s vocabulary: ${words.join(", ")}.`;
      const said = element("p", added, {tabindex: "-1"});
      box.replaceChildren(said);
      said.focus();   // where the button was, not the page's top; the status line says it
      this.e.say(added);
    });
    box.appendChild(add);
    box.hidden = false;
  }

  async approve() {
    const {editor, say} = this.e;
    if (editor.dirty) { say("Save your changes first: approval is of a saved revision.", true); return; }
    const answer = await call("POST", `${this.e.base}/approve`, {}, {"If-Match": `"${editor.transcript.revision}"`});
    if (!answer.ok) { say(`Not approved: ${why(answer)}`, true); return; }
    this.state(answer.body.review);
    say(`Revision ${answer.body.review.revision ?? editor.transcript.revision} approved.`);
    this.history();
  }

  async history() {
    const list = $("history");
    const answer = await call("GET", `${this.e.base}/transcript/revisions`);
    if (!answer.ok) { list.replaceChildren(element("li", `The history is unavailable: ${why(answer)}`)); return; }
    list.replaceChildren(...answer.body.revisions.map((r) => {
      const item = element("li", `${r.revision} · ${r.author} · ${when(r.created_at)}` +
        (r.note ? ` · ${r.note}` : "") + (r.restored_from ? ` · restored from ${r.restored_from}` : ""));
      const show = element("button", "View", {type: "button", "aria-label": `View revision ${r.revision}`});
      show.addEventListener("click", () => this.view(r.revision, show));
      item.append(" ", show);
      if (r.revision !== answer.body.current_revision) {
        const back = element("button", "Restore", {type: "button", "aria-label": `Restore revision ${r.revision}`});
        back.addEventListener("click", () => this.restore(r.revision));
        item.append(" ", back);
      }
      return item;
    }));
  }

  async view(revision, opener) {
    const box = $("revision-view");
    const answer = await call("GET", `${this.e.base}/transcript?revision=${revision}`);
    if (!answer.ok) { this.e.say(why(answer), true); return; }
    const lines = element("ol", undefined, {class: "revision-lines"});
    answer.body.segments.forEach((s) => lines.appendChild(element("li", `${clock(s.start)} ${s.text}`)));
    const close = element("button", "Close", {type: "button"});
    close.addEventListener("click", () => {
      box.hidden = true;
      if (opener && opener.isConnected) { opener.focus(); }   // back where the person was
    });
    box.replaceChildren(element("h3", `Revision ${revision} (read only)`), lines, close);
    box.hidden = false;
    close.focus();
  }

  async restore(revision) {
    const {editor, say} = this.e;
    if (editor.dirty && !window.confirm("Restoring drops your unsaved changes. Restore anyway?")) { return; }
    const answer = await call("POST", `${this.e.base}/transcript/restore`, {revision},
                              {"If-Match": `"${editor.transcript.revision}"`});
    if (answer.status === 409) { this.conflict(answer.body); return; }
    if (!answer.ok) { say(`Not restored: ${why(answer)}`, true); return; }
    this.e.draft.drop(editor.key);
    this.e.open(answer.body);
    this.opened(answer.body);
    this.applied(answer.body.applied);
    this.report();
    say(`Revision ${revision} restored as revision ${answer.body.revision}.`);
  }

  /** The caption report again, as the save left it. */
  async report() {
    const response = await fetch(`/recordings/${this.e.setup.recording}/edit/report`, {credentials: "same-origin"});
    if (response.ok) { $("report").innerHTML = await response.text(); }
  }
}
