// Find and replace across the transcript: a name misheard a dozen times is fixed once.

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The pattern for `find`: whole words only unless `whole` is false; any case unless `matchCase`. */
export function pattern(find, whole, matchCase) {
  const body = escape(find);
  const source = whole ? `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])` : body;
  return new RegExp(source, "gu" + (matchCase ? "" : "i"));
}

/** Replace every match in every line; returns how many were replaced, in how many lines. */
export function replaceAll(transcript, find, replacement, whole, matchCase) {
  const re = pattern(find, whole, matchCase);
  let count = 0, lines = 0;
  for (const line of transcript.lines) {
    let here = 0;
    const text = line.text.replace(re, () => { here++; return replacement; });
    if (here) {
      count += here;
      lines++;
      transcript.setText(line.id, text.replace(/\s+/g, " ").trim());
    }
  }
  return {count, lines};
}

/** The next match after line `fromIndex`, character `fromAt`: {line, at, length} or null. */
export function findNext(transcript, find, whole, matchCase, fromIndex, fromAt) {
  const re = pattern(find, whole, matchCase);
  const n = transcript.lines.length;
  for (let k = 0; k <= n; k++) {
    const i = (Math.max(fromIndex, 0) + k) % n;
    const line = transcript.lines[i];
    re.lastIndex = 0;
    for (const m of line.text.matchAll(re)) {
      if (k > 0 || m.index >= fromAt) { return {line, at: m.index, length: m[0].length}; }
    }
  }
  return null;
}
