// Transcript review: a line's time button plays the speaker's own recording from that moment
// (captions of the whole transcript, timed to that file); saving a correction posts it to the
// API and shows the new version in place; a highlighted line (the machine was unsure of it) is
// confirmed in place too, and the count of lines still to confirm follows. Without this
// script the forms still post.

import { send } from "./http.js";

const config = JSON.parse(document.getElementById("review-config").textContent);
const player = document.getElementById("player");
const captions = document.getElementById("captions");
const who = document.getElementById("player-who");
const strings = config.strings;
let current = null; // the recording loaded (its key: a member has several after a restart)

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

// A line plays from the recording it was transcribed from (data-recording, set by the server).
function load(key) {
  const source = config.players[key] || Object.values(config.players)[0];
  if (!player || !source) return null;
  const id = config.players[key] ? key : Object.keys(config.players)[0];
  if (current !== id) {
    current = id;
    player.src = source.src;
    if (captions) captions.src = source.captions;
    player.dataset.recording = id;
    player.dataset.member = source.member;
    if (who) who.textContent = source.name;
  }
  return source;
}

async function playFrom(segment) {
  const source = load(segment.dataset.recording);
  if (!source) {
    if (who) who.textContent = strings.noRecording;
    return;
  }
  const seconds = Math.max(0, Number(segment.dataset.start) / 1000 - source.offset);
  if (player.readyState < 1) {
    await new Promise((resolve) => player.addEventListener("loadedmetadata", resolve, { once: true }));
  }
  player.currentTime = seconds;
  try {
    await player.play();
  } catch (error) {
    if (who) who.textContent = error.message; // e.g. autoplay refused: the controls still work
  }
}

function highlight() {
  const source = config.players[current];
  if (!source) return;
  const at = (player.currentTime + source.offset) * 1000;
  for (const segment of document.querySelectorAll(".segment")) {
    const on = Number(segment.dataset.start) <= at && at < Number(segment.dataset.end);
    segment.classList.toggle("playing", on);
  }
}

async function save(form) {
  const message = form.querySelector(".seg-msg");
  const version = form.querySelector('input[name="version"]');
  message.dataset.kind = "";
  message.textContent = strings.saving;
  const response = await send(config.api + "/segments/" + form.closest(".segment").id.slice(4), {
    method: "POST", json: { text: form.elements.text.value, version: Number(version.value) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    message.dataset.kind = "error";
    message.textContent = say(strings.failed, { detail: body.detail || response.statusText });
    return;
  }
  version.value = body.version;
  form.elements.text.value = body.text;
  form.elements.text.defaultValue = body.text;  // what the server holds now
  message.dataset.kind = "done";
  message.textContent = say(strings.saved, { version: body.version });
  const segment = form.closest(".segment");
  segment.querySelector(".seg-confirm input[name=version]")?.setAttribute("value", body.version);
  if (!body.awaiting_confirmation) resolved(segment);
}

// A highlighted line confirmed or corrected: no longer awaiting, and one fewer to go.
function resolved(segment) {
  if (!segment.classList.contains("awaiting")) return;
  segment.classList.remove("awaiting");
  segment.querySelector(".seg-confirm")?.remove();
  const head = segment.querySelector(".segment-head");
  if (head && !head.querySelector(".seg-confirmed")) {
    const tag = document.createElement("span");
    tag.className = "tag ok seg-confirmed";
    tag.textContent = say(strings.checked, { name: config.me });
    head.append(tag);
  }
  const left = document.querySelectorAll(".segment.awaiting");
  const summary = document.getElementById("uncertain-summary");
  if (summary) {
    summary.dataset.awaiting = String(left.length);
    summary.classList.toggle("open", left.length > 0);
    summary.textContent = left.length ? say(strings.remaining, { count: left.length }) : strings.allDone;
  }
  if (!left.length) document.getElementById("approval-blocked")?.remove();
}

async function confirmLine(form) {
  const message = form.querySelector(".seg-confirm-msg");
  const segment = form.closest(".segment");
  // Text changed but not saved: what the official confirms is their correction, so save it
  // (a correction resolves the line too) rather than confirm the machine's words.
  const edit = segment.querySelector(".seg-form");
  if (edit && edit.elements.text.value.trim() !== edit.elements.text.defaultValue.trim()) {
    await save(edit);
    return;
  }
  const response = await send(config.api + "/segments/" + segment.id.slice(4) + "/confirm", {
    method: "POST", json: { version: Number(form.elements.version.value) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    message.dataset.kind = "error";
    message.textContent = say(strings.failed, { detail: body.detail || response.statusText });
    return;
  }
  resolved(segment);
}

for (const segment of document.querySelectorAll(".segment")) {
  segment.querySelector(".seg-play")?.addEventListener("click", () => playFrom(segment));
  const confirmForm = segment.querySelector(".seg-confirm");
  confirmForm?.addEventListener("submit", (event) => {
    event.preventDefault();
    confirmLine(confirmForm).catch((error) => {
      const message = confirmForm.querySelector(".seg-confirm-msg");
      message.dataset.kind = "error";
      message.textContent = say(strings.failed, { detail: error.message });
    });
  });
  const form = segment.querySelector(".seg-form");
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    save(form).catch((error) => {
      const message = form.querySelector(".seg-msg");
      message.dataset.kind = "error";
      message.textContent = say(strings.failed, { detail: error.message });
    });
  });
}
// A link from search or a case file (…/transcript?t=<seconds>#seg-<id>) lands on its line,
// ready to play from there; browsers refuse autoplay without a gesture, so we only seek.
function segmentAt(seconds) {
  const byId = location.hash.startsWith("#seg-") && document.getElementById(location.hash.slice(1));
  if (byId) return byId;
  const at = seconds * 1000;
  return [...document.querySelectorAll(".segment")].find(
    (s) => Number(s.dataset.start) <= at && at < Number(s.dataset.end));
}

async function seekFromLink() {
  const seconds = Number(new URLSearchParams(location.search).get("t"));
  const target = Number.isFinite(seconds) && seconds > 0 ? segmentAt(seconds) : null;
  if (!target) return false;
  const source = load(target.dataset.recording);
  target.classList.add("playing");
  target.scrollIntoView({ block: "center" });
  target.querySelector(".seg-play")?.focus();
  if (!source) return true;
  if (player.readyState < 1) {
    await new Promise((resolve) => player.addEventListener("loadedmetadata", resolve, { once: true }));
  }
  player.currentTime = Math.max(0, seconds - source.offset);
  return true;
}

if (player) {
  player.addEventListener("timeupdate", highlight);
  seekFromLink().then((sought) => {
    if (sought) return;
    const first = document.querySelector(".segment");
    load(first ? first.dataset.recording : Object.keys(config.players)[0]);
  });
}
