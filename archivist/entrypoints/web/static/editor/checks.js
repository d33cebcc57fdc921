// "Passages to check": words a person should listen to before the captions are approved:
// words the model was unsure of, numbers, and capitalized words (names) the city's vocabulary
// does not know. Only the machine's own words are flagged: what a person typed is theirs.

import {capitalized} from "./wrap.js";

const bareOf = (word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").toLowerCase();

/** The line's words as typed, each with where it sits in the text and the machine's word. */
export function tokensOf(line) {
  const out = [];
  const found = line.text.matchAll(/\S+/g);
  for (const m of found) { out.push({text: m[0], at: m.index, machine: null}); }
  // Pair typed words with the machine's: in step while they agree, looking a few words ahead.
  let k = 0;
  for (const tok of out) {
    for (let ahead = k; ahead < Math.min(line.words.length, k + 4); ahead++) {
      if (line.words[ahead].word === tok.text) { tok.machine = line.words[ahead]; k = ahead + 1; break; }
    }
  }
  return out;
}

export class Checks {
  constructor(vocabulary, lowProbability) {
    this.known = new Set();
    for (const entry of vocabulary) { entry.split(/\s+/).forEach((w) => this.known.add(bareOf(w))); }
    this.low = lowProbability;
    this.items = [];
    this.checked = new Set();
    this.at = -1;
  }

  learn(words) { words.forEach((w) => this.known.add(bareOf(w))); }

  /** Find every passage to check in `lines`, keeping which were checked and where we are. */
  compute(lines) {
    const current = this.items[this.at];
    this.items = [];
    let sentenceStart = true;
    for (const line of lines) {
      tokensOf(line).forEach((tok, n) => {
        const reason = tok.machine ? this.reason(tok, sentenceStart) : "";
        if (reason) {
          const start = tok.machine.start;
          this.items.push({line: line.id, n, at: tok.at, word: tok.text, start, reason,
                           key: `${tok.text}@${Math.round(start * 10)}`});
        }
        sentenceStart = /[.?!]["”]?$/.test(tok.text) || tok.text === ">>";
      });
    }
    this.at = current ? this.items.findIndex((i) => i.key === current.key) : -1;
  }

  reason(tok, sentenceStart) {
    const word = tok.text;
    if (tok.machine.probability < this.low) {
      return `the model was unsure (${Math.round(tok.machine.probability * 100)} %)`;
    }
    if (/\p{Nd}/u.test(word)) { return "a number"; }
    if (/^\[.*\]$/.test(word) || sentenceStart || !capitalized(word)) { return ""; }
    return this.known.has(bareOf(word)) ? "" : "a name not in the city's vocabulary";
  }

  get left() { return this.items.filter((i) => !this.checked.has(i.key)).length; }

  get done() { return this.items.length - this.left; }

  /** Move to the next (step 1) or previous (-1) passage not yet checked; null when none. */
  move(step) {
    const n = this.items.length;
    for (let k = 1; k <= n; k++) {
      const i = ((this.at + step * k) % n + n) % n;
      if (!this.checked.has(this.items[i].key)) { this.at = i; return this.items[i]; }
    }
    return null;
  }

  /** Mark the current passage checked. */
  accept() {
    const item = this.items[this.at];
    if (item) { this.checked.add(item.key); }
    return item || null;
  }
}
