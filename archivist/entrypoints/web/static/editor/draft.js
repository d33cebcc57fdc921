// An unsaved draft survives the tab closing: kept in localStorage under the recording and the
// revision it was made from, offered back when the editor opens on that revision again.

const PREFIX = "archivist.draft.";

export const draftKey = (recording, revision) => `${PREFIX}${recording}.${revision}`;

export function keep(key, transcript, checked) {
  try {
    localStorage.setItem(key, JSON.stringify({
      at: new Date().toISOString(), checked: [...checked],
      segments: transcript.lines.map((l) => ({start: l.start, end: l.end, text: l.text, words: l.words}))}));
    return true;
  } catch (error) {   // storage full or refused: the page says so, the text stays on screen
    return false;
  }
}

export function read(key) {
  try {
    const found = JSON.parse(localStorage.getItem(key) || "null");
    return found && Array.isArray(found.segments) ? found : null;
  } catch (error) {
    return null;
  }
}

export function drop(key) {
  try { localStorage.removeItem(key); } catch (error) { /* nothing kept, nothing to drop */ }
}
