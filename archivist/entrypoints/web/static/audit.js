// The audit page: entries from GET /api/v1/audit with the form's filters, older ones on demand.

const form = document.getElementById("audit-filters");
const body = document.querySelector("#audit tbody");
const older = document.getElementById("older");
const message = document.getElementById("message");
const PAGE = 50;
let before = null;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) { td.className = className; }
  return td;
}

function target(entry) {
  const td = cell(entry.target || "");
  const recording = /^recording:(\d+)$/.exec(entry.target || "");
  if (recording) {
    const link = document.createElement("a");
    link.href = `/recordings/${recording[1]}`;
    link.textContent = entry.target;
    td.replaceChildren(link);
  }
  return td;
}

function query() {
  const wanted = new URLSearchParams();
  for (const name of ["actor", "action", "recording"]) {
    const value = form.elements[name].value.trim();
    if (value) { wanted.set(name, value); }
  }
  // Dates as days in the station's time: from the start of one to the end of the other.
  if (form.elements.since.value) { wanted.set("since", new Date(form.elements.since.value + "T00:00:00").toISOString()); }
  if (form.elements.until.value) { wanted.set("until", new Date(form.elements.until.value + "T23:59:59.999").toISOString()); }
  wanted.set("limit", PAGE);
  if (before !== null) { wanted.set("before", before); }
  return wanted;
}

async function load(more) {
  if (!more) { before = null; body.replaceChildren(); }
  message.textContent = "Loading…";
  let answer;
  try {
    const response = await fetch(`/api/v1/audit?${query()}`, {credentials: "same-origin", headers: {Accept: "application/json"}});
    answer = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error((answer && answer.error && answer.error.message) || `the audit log answered ${response.status}`);
    }
  } catch (error) {
    message.textContent = `The audit log is unavailable: ${error.message}`;
    message.className = "message bad";
    return;
  }
  for (const entry of answer.entries) {
    const row = document.createElement("tr");
    row.dataset.id = entry.id;
    row.append(cell(new Date(entry.at).toLocaleString()), cell(entry.actor), cell(entry.action),
               target(entry), cell(entry.address || ""),
               cell(entry.detail && Object.keys(entry.detail).length ? JSON.stringify(entry.detail) : "", "detail"));
    body.appendChild(row);
  }
  before = answer.next_before ?? null;
  older.hidden = before === null;
  message.className = "message";
  message.textContent = body.children.length ? `${body.children.length} entries shown.` : "No entries match.";
}

older.addEventListener("click", () => load(true));
load(false);
