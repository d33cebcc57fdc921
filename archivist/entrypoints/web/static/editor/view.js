// The lines as the person sees them: times, the text to edit, its reading rate and its rows.

import {rateLevel, readingRate, wrap} from "./wrap.js";

/** 1:02:03.4 or 2:03.4: a moment in the recording, to a tenth of a second. */
export function clock(seconds) {
  const tenths = Math.max(0, Math.round(seconds * 10));
  const s = Math.floor(tenths / 10), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
  const two = (n) => (n < 10 ? "0" : "") + n;
  const rest = two(s % 60) + "." + (tenths % 10);
  return h ? `${h}:${two(m)}:${rest}` : `${m}:${rest}`;
}

const FIRST = 120;   // lines shown at once: a few screens
const BATCH = 400;   // lines added per turn after that

const RATE_WORDS = {ok: "readable", near: "near the limit", over: "too fast"};

export class LinesView {
  constructor(list, profile) {
    this.list = list;
    this.profile = profile;
  }

  /** Show `lines`: the first screenfuls at once, the rest in batches that leave the page free. */
  render(lines) {
    clearTimeout(this.pending);
    this.lines = lines;
    this.shown = 0;
    this.list.replaceChildren();
    this.list.setAttribute("aria-busy", "true");
    this.more(FIRST);
  }

  more(count) {
    const fragment = document.createDocumentFragment();
    const until = Math.min(this.lines.length, this.shown + count);
    for (; this.shown < until; this.shown++) { fragment.appendChild(this.item(this.lines[this.shown], this.shown)); }
    this.list.appendChild(fragment);
    if (this.shown < this.lines.length) {
      this.pending = setTimeout(() => this.more(BATCH), 0);
    } else {
      this.list.setAttribute("aria-busy", "false");
    }
  }

  /** Every line in the page now (before a jump to a line not shown yet). */
  flush() {
    if (this.lines && this.shown < this.lines.length) {
      clearTimeout(this.pending);
      this.more(this.lines.length);
    }
  }

  item(line, i) {
    if (!this.blank) {
      this.blank = document.createElement("li");
      this.blank.className = "line";
      this.blank.innerHTML = '<div class="line-head"><button type="button" class="seek"></button>' +
        '<span class="until"></span><span class="rate"></span></div>' +
        '<textarea rows="2" spellcheck="true"></textarea><div class="rows"></div>';
    }
    const li = this.blank.cloneNode(true);
    li.dataset.id = line.id;
    const area = li.querySelector("textarea");
    area.value = line.text;
    area.id = `line-${line.id}`;
    this.update(li, line, i);
    return li;
  }

  element(id) {
    const found = this.list.querySelector(`li[data-id="${id}"]`);
    if (found || !this.lines || this.shown >= this.lines.length) { return found; }
    this.flush();
    return this.list.querySelector(`li[data-id="${id}"]`);
  }

  shownElement(id) { return this.list.querySelector(`li[data-id="${id}"]`); }

  textarea(id) { const li = this.element(id); return li && li.querySelector("textarea"); }

  /** Refresh a line's times, rate and rows (the text itself is the person's, left alone). */
  update(li, line, i) {
    const n = i + 1;
    const seek = li.querySelector(".seek");
    seek.textContent = clock(line.start);
    seek.setAttribute("aria-label", `Play line ${n} from ${clock(line.start)}`);
    li.querySelector(".until").textContent = "– " + clock(line.end);
    li.querySelector("textarea").setAttribute("aria-label", `Line ${n}, ${clock(line.start)} to ${clock(line.end)}`);
    const cps = readingRate(line.text, line.start, line.end);
    const level = rateLevel(cps, this.profile.max_cps);
    const rate = li.querySelector(".rate");
    rate.className = "rate " + level;
    rate.textContent = `${Number.isFinite(cps) ? cps.toFixed(1) : "∞"} cps ${RATE_WORDS[level]}`;
    const laid = wrap(line.text, this.profile.max_chars, this.profile.max_lines);
    const rows = li.querySelector(".rows");
    rows.classList.toggle("over", !laid.fits);
    rows.replaceChildren(...laid.rows.map((text) => {
      const row = document.createElement("span");
      row.className = "row";
      row.textContent = text;
      return row;
    }));
    const limit = `${this.profile.max_chars} characters × ${this.profile.max_lines} rows`;
    const note = document.createElement("span");
    note.className = "fit";
    note.textContent = laid.fits ? `fits ${limit}` : `over ${limit}: split the line`;
    rows.appendChild(note);
  }

  refresh(transcript, ids) {
    const wanted = new Set(ids);
    transcript.lines.forEach((line, i) => {
      if (!ids || wanted.has(line.id)) {
        const li = this.shownElement(line.id);   // lines not shown yet will show as they are
        if (li) { this.update(li, line, i); }
      }
    });
  }

  /** The line text inside the element, as typed (for lines rewritten by the script). */
  setText(id, text) {
    const li = this.shownElement(id);
    const area = li && li.querySelector("textarea");
    if (area && area.value !== text) { area.value = text; }
  }

  playing(id) {
    const old = this.list.querySelector("li.playing");
    if (old && old.dataset.id === String(id)) { return; }
    if (old) { old.classList.remove("playing"); }
    const li = this.shownElement(id);
    if (li) { li.classList.add("playing"); }
  }
}
