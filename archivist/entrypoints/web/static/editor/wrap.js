// How a line wraps into CEA-608 rows: a mirror of domain/captions/breaks.py (the cost of a
// break between two words) and segmentation.py's line layout, so the editor shows the rows
// the captions will have. tests/browser/test_editor_wrap.py checks that the two agree.

const SENTENCE_END = 0, CLAUSE_END = 2, BEFORE_CONJUNCTION = 3, BEFORE_PREPOSITION = 4, PLAIN = 7;
const AFTER_FUNCTION_WORD = 10, AFTER_ARTICLE = 15, INSIDE_NAME = 25, INSIDE_NUMBER = 30;
const INSIDE_WORD = 40, LONE_WORD_LINE = 6, IMBALANCE = 0.15;

const words = (text) => new Set(text.split(" "));
const CONJUNCTIONS = words("and but or nor so yet because although though while whereas if unless until since when whenever where whether that which who whom whose than");
const PREPOSITIONS = words("of in on at to for with from by about into onto over under after before between through during without within among against toward towards upon across along around behind beyond per via near like");
const ARTICLES = words("a an the this these those my our your his her its their");
const TITLES = words("mr. mrs. ms. dr. st. mt. ft. hon. rev. sen. rep. gov. gen. sgt. lt. capt. prof. no. vs.");
const NUMBER_WORDS = words("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion");
const UNITS = words("hundred thousand million billion trillion percent % dollars dollar cents cent a.m. p.m. am pm o'clock feet foot acres acre miles mile square years year months days hours minutes units votes");
const NUMBER_LEADERS = words("$ # no. number item items section resolution ordinance bill file page chapter article case agenda account district ward route highway exit room suite lot unit parcel");
const PRONOUN_I = words("I I'm I'll I've I'd");
const STRIP = ".,;:!?\"'()[]“”‘’«»";

function strip(word, chars) {
  let a = 0, b = word.length;
  while (a < b && chars.includes(word[a])) { a++; }
  while (b > a && chars.includes(word[b - 1])) { b--; }
  return word.slice(a, b);
}

const FIRST_LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const bare = (word) => strip(word, STRIP).toLowerCase();
const isUpper = (c) => c !== c.toLowerCase() && c === c.toUpperCase();

export function capitalized(word) {
  const first = FIRST_LETTER.exec(word);
  return first !== null && isUpper(first[0]) && !PRONOUN_I.has(strip(word, STRIP));
}

export function numeric(word) {
  return DIGIT.test(word) || NUMBER_WORDS.has(bare(word));
}

const ENDS_SENTENCE = [".", "?", "!", ".\"", "?\"", "!\"", ".”", "?”", "!”"];
const ENDS_CLAUSE = [",", ";", ":", "—", "--"];

/** The cost of breaking between `left` and `right` (0 = ideal): breaks.quality. */
export function quality(left, right, glued = false) {
  if (glued) { return INSIDE_WORD; }
  const lower = strip(left.toLowerCase(), "\"'“”‘’()");
  if (TITLES.has(lower)) { return INSIDE_NAME; }
  if (ENDS_SENTENCE.some((end) => left.endsWith(end))) { return SENTENCE_END; }
  if (ENDS_CLAUSE.some((end) => left.endsWith(end)) || right.startsWith("—") || right.startsWith("--")) {
    return CLAUSE_END;
  }
  const bareLeft = bare(left), bareRight = bare(right);
  if (numeric(left) && (numeric(right) || UNITS.has(bareRight))) { return INSIDE_NUMBER; }
  if (numeric(right) && (NUMBER_LEADERS.has(bareLeft) || capitalized(left))) { return INSIDE_NUMBER; }
  if (capitalized(left) && capitalized(right) && !STRIP.includes(left.slice(-1))) { return INSIDE_NAME; }
  if (ARTICLES.has(bareLeft)) { return AFTER_ARTICLE; }
  if (PREPOSITIONS.has(bareLeft) || CONJUNCTIONS.has(bareLeft)) { return AFTER_FUNCTION_WORD; }
  if (CONJUNCTIONS.has(bareRight)) { return BEFORE_CONJUNCTION; }
  if (PREPOSITIONS.has(bareRight)) { return BEFORE_PREPOSITION; }
  return PLAIN;
}

/** The line's words as captions set them: a word wider than a row is cut into glued pieces. */
function tokens(text, maxChars) {
  const out = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let i = 0; i < word.length; i += maxChars) {
      out.push({text: word.slice(i, i + maxChars), glued: i > 0});
    }
  }
  return out;
}

/**
 * The rows `text` takes as one caption of at most `maxLines` rows of `maxChars`:
 * {rows, fits}. When it does not fit, `rows` fills rows greedily to show how far over it is.
 */
export function wrap(text, maxChars, maxLines) {
  const toks = tokens(text, maxChars);
  const n = toks.length;
  if (!n) { return {rows: [], fits: true}; }
  const chars = [0], spaces = [0];
  toks.forEach((tok, k) => {
    chars.push(chars[k] + tok.text.length);
    spaces.push(spaces[k] + (k && !tok.glued ? 1 : 0));
  });
  const width = (i, j) => chars[j] - chars[i] + spaces[j] - spaces[i + 1];
  const cost = [0].concat(toks.slice(1).map((tok, k) => quality(toks[k].text, tok.text, tok.glued)));
  const text_ = (i, j) => toks.slice(i, j).map((t, k) => (k === 0 || t.glued ? "" : " ") + t.text).join("");
  const rowsOf = (starts) => starts.map((a, k) => text_(a, k + 1 < starts.length ? starts[k + 1] : n));
  if (width(0, n) <= maxChars) { return {rows: rowsOf([0]), fits: true}; }
  // Rows lose one space at each break: wider than this, no layout can fit.
  const best = width(0, n) > maxChars * maxLines + maxLines - 1 ? null : layout(n, width, cost, maxChars, maxLines);
  if (best !== null) { return {rows: rowsOf(best[1]), fits: true}; }
  const starts = [0];
  for (let k = 1; k < n; k++) {
    if (width(starts[starts.length - 1], k + 1) > maxChars) { starts.push(k); }
  }
  return {rows: rowsOf(starts), fits: false};
}

/** The cheapest setting of n tokens in at most maxLines rows: [cost, row starts] or null. */
function layout(n, width, cost, maxChars, maxLines) {
  const lone = n > 2 ? LONE_WORD_LINE : 0;
  const memo = new Map();
  const rest = (k, lines) => {
    const key = k * 64 + lines;
    if (memo.has(key)) { return memo.get(key); }
    let found = null;
    if (width(k, n) <= maxChars) {
      found = [n - k === 1 ? lone : 0, [k]];
    } else if (lines > 1) {
      for (let m = k + 1; m < n; m++) {
        const w = width(k, m);
        if (w > maxChars) { break; }
        const after = rest(m, lines - 1);
        if (after === null) { continue; }
        const nextEnd = after[1].length > 1 ? after[1][1] : n;
        const c = after[0] + cost[m] + (m - k === 1 ? lone : 0) + IMBALANCE * Math.abs(w - width(m, nextEnd));
        if (found === null || c < found[0]) { found = [c, [k].concat(after[1])]; }
      }
    }
    memo.set(key, found);
    return found;
  };
  return rest(0, maxLines);
}

/** Characters a second the line asks of a reader, as the caption rules count them. */
export function readingRate(text, start, end) {
  const shown = text.split(/\s+/).filter(Boolean).join(" ").length;
  return end > start ? shown / (end - start) : Infinity;
}

/** "ok", "near" or "over" the profile's max_cps (amber from 85 % of it). */
export function rateLevel(cps, maxCps) {
  if (cps > maxCps) { return "over"; }
  return cps > 0.85 * maxCps ? "near" : "ok";
}
