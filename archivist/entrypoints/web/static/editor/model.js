// The transcript being edited: its lines (segments) and what can be done to them.
// Every change goes through here, so the draft, the checks and the view follow one truth.

import {quality, wrap} from "./wrap.js";

const STEP = 0.1;      // seconds a nudge moves a line's start or end
const SHORTEST = 0.1;  // seconds a line lasts at least

const round = (t) => Math.round(t * 1000) / 1000;
let nextId = 1;

/** Whisper's word pieces joined as the captions join them ("3" ",000" is "3,000"). */
export function joinedWords(words) {
  const out = [];
  for (const w of words || []) {
    const pieces = (w.word || "").split(/\s+/).filter(Boolean);
    if (!pieces.length) { continue; }
    if (out.length && !/^\s/.test(w.word)) {
      const last = out[out.length - 1];
      last.word += pieces.shift();
      last.end = Math.max(w.end, last.start);
      last.probability = Math.min(last.probability, w.probability ?? 1);
    }
    for (const piece of pieces) {
      out.push({word: piece, start: w.start, end: w.end, probability: w.probability ?? 1});
    }
  }
  return out;
}

function line(start, end, text, words) {
  return {id: nextId++, start: round(start), end: round(end), text, words: words || []};
}

/**
 * A segment as caption-sized lines: one that would not fit one caption (`maxChars` x
 * `maxLines`) is cut where a caption break costs least, each part timed by its words.
 */
export function captionSized(segment, maxChars, maxLines) {
  const text = segment.text.trim();
  const words = joinedWords(segment.words);
  const said = text.split(/\s+/).filter(Boolean);
  if (wrap(text, maxChars, maxLines).fits || said.length < 2 || words.length !== said.length) {
    return [line(segment.start, segment.end, text, words)];
  }
  const out = [];
  let from = 0;
  while (from < said.length) {
    // As many words as could fit (rows lose a space at each break), then fewer until they do.
    let to = from + 1, width = said[from].length;
    while (to < said.length && width + 1 + said[to].length <= maxChars * maxLines + maxLines - 1) {
      width += 1 + said[to].length;
      to++;
    }
    while (to - from > 1 && !wrap(said.slice(from, to).join(" "), maxChars, maxLines).fits) { to--; }
    if (to < said.length) {
      // The cheapest break in the second half of what fits, the later the better on a tie.
      let best = to, cost = Infinity;
      for (let k = to; k > from + (to - from) / 2; k--) {
        const c = quality(said[k - 1], said[k]);
        if (c < cost) { best = k; cost = c; }
      }
      to = best;
    }
    const start = from ? words[from].start : segment.start;
    const end = to < said.length ? Math.max(words[to - 1].end, start + SHORTEST) : segment.end;
    out.push(line(start, Math.min(Math.max(end, start + SHORTEST), segment.end),
                  said.slice(from, to).join(" "), words.slice(from, to)));
    from = to;
  }
  // A word timed with no length at the segment's end (the server times one typed after the
  // line's last heard word so) must not make a line of no time, which no save would take:
  // each line keeps SHORTEST, taken from the end of the line before it.
  for (let k = out.length - 1; k >= 0; k--) {
    const limit = k === out.length - 1 ? segment.end : out[k + 1].start;
    out[k].end = round(Math.min(out[k].end, limit));
    if (out[k].end - out[k].start < SHORTEST) {
      out[k].start = round(Math.max(segment.start, out[k].end - SHORTEST));
    }
  }
  return out;
}

export class Transcript {
  constructor(body, profile) {
    this.recording = body.recording ?? body.recording_id;
    this.revision = body.revision ?? null;
    this.duration = body.duration || 0;
    this.lines = (body.segments || []).flatMap(
      (s) => captionSized(s, profile.max_chars, profile.max_lines));
    this.listeners = [];
  }

  onChange(listener) { this.listeners.push(listener); }

  changed(what, ids) { this.listeners.forEach((listen) => listen(what, ids)); }

  index(id) { return this.lines.findIndex((l) => l.id === id); }

  byId(id) { return this.lines[this.index(id)]; }

  /** The segments a save sends: start, end and text of each line, in order. */
  segments() {
    return this.lines.map((l) => ({start: l.start, end: l.end, text: l.text.split(/\s+/).filter(Boolean).join(" ")}));
  }

  /** Replace every line with `segments` (a draft kept in the browser, or a revision). */
  load(segments) {
    this.lines = segments.map((s) => line(s.start, s.end, s.text, s.words));
    this.changed("all");
  }

  setText(id, text) {
    const l = this.byId(id);
    if (!l || l.text === text) { return; }
    l.text = text;
    this.changed("text", [id]);
  }

  /** Move a line's "start" or "end" by `steps` tenths of a second, keeping lines in order. */
  nudge(id, edge, steps) {
    const i = this.index(id);
    if (i < 0) { return false; }
    const l = this.lines[i], before = this.lines[i - 1], after = this.lines[i + 1];
    const limit = this.duration || Infinity;
    if (edge === "start") {
      const low = Math.max(0, before ? before.start : 0);
      const t = round(Math.min(Math.max(l.start + steps * STEP, low), l.end - SHORTEST));
      if (t === l.start) { return false; }
      l.start = t;
    } else {
      const high = Math.min(limit, after ? Math.max(after.end - SHORTEST, l.end) : limit);
      const t = round(Math.max(Math.min(l.end + steps * STEP, high), l.start + SHORTEST));
      if (t === l.end) { return false; }
      l.end = t;
    }
    this.changed("time", [id]);
    return true;
  }

  /** Split a line at character `at` of its text; the time splits where the next word begins. */
  split(id, at) {
    const i = this.index(id);
    const l = this.lines[i];
    if (!l) { return null; }
    const head = l.text.slice(0, at).trim(), tail = l.text.slice(at).trim();
    if (!head || !tail) { return null; }
    const headCount = head.split(/\s+/).length;
    const spoken = l.words.length === l.text.split(/\s+/).length ? l.words[headCount] : null;
    let t = spoken ? spoken.start : l.start + (l.end - l.start) * head.length / (head.length + tail.length);
    t = round(Math.min(Math.max(t, l.start + SHORTEST / 2), l.end - SHORTEST / 2));
    const first = line(l.start, t, head, l.words.slice(0, headCount));
    const second = line(t, l.end, tail, l.words.slice(headCount));
    this.lines.splice(i, 1, first, second);
    this.changed("all");
    return second.id;
  }

  /** Join a line with the one after it. */
  merge(id) {
    const i = this.index(id);
    const l = this.lines[i], next = this.lines[i + 1];
    if (!l || !next) { return null; }
    const joined = line(l.start, Math.max(l.end, next.end), (l.text + " " + next.text).trim(),
                        l.words.concat(next.words));
    this.lines.splice(i, 2, joined);
    this.changed("all");
    return joined.id;
  }

  /** What is wrong with the lines, for the person to fix before saving ("" when nothing). */
  problem() {
    for (let i = 0; i < this.lines.length; i++) {
      const l = this.lines[i];
      if (!l.text.trim()) { return `line ${i + 1} is empty: write something or merge it`; }
      if (!(l.start >= 0 && l.start < l.end)) { return `line ${i + 1} ends before it starts`; }
      if (i && l.start < this.lines[i - 1].start) { return `line ${i + 1} starts before line ${i}`; }
    }
    return "";
  }
}
