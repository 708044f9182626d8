// Waiting room: device check with getUserMedia, then short polling of the room's state.
// Polling (every 3 s) instead of a websocket: it survives weak mobile networks, proxies and
// sleeping phones without reconnection logic, and a few seconds of delay are fine here.
import { request, send } from "./http.js";
import { LevelMeter } from "./media.js";

const POLL_MS = 3000;
// States in which the hearing room can be entered (it waits there until the official admits).
const HEARING_OPEN = new Set(["waiting", "asked_to_wait", "admitted"]);

function showState(room, state) {
  const before = room.dataset.state;
  room.dataset.state = state;
  for (const line of room.querySelectorAll("[data-when]")) {
    line.hidden = line.dataset.when !== state;
  }
  const over = state === "admitted" || state === "closed";
  for (const section of room.querySelectorAll("[data-until-admitted]")) section.hidden = over;
  const hearing = room.querySelector("[data-hearing-link]");
  if (hearing) {
    hearing.hidden = !HEARING_OPEN.has(state);
    // Admitted just now (the official let them in from the console or the agenda): go into
    // the hearing room, as someone called in from a waiting room would. Focus moves first so
    // a screen reader announces where they are going.
    if (state === "admitted" && before !== "admitted") {
      const link = hearing.querySelector("a");
      link?.focus();
      if (link && before) location.assign(link.href);
    }
  }
}

const post = (url, token) => request(url, { method: "POST", joinToken: token });

// The preview and the microphone bar stay on for a while, so a citizen sees themselves and
// the bar move as they speak; then the devices are released (the hearing page opens them
// again; phones keep the camera light on otherwise) and the preview is hidden, not left black.
const PREVIEW_MS = 30000;
let running = null;

function stopPreview() {
  if (!running) return;
  running.stream.getTracks().forEach((t) => t.stop());
  cancelAnimationFrame(running.frame);
  clearTimeout(running.timer);
  running.meter.context?.close();
  running = null;
  document.getElementById("preview").hidden = true;
  document.getElementById("mic-level").hidden = true;
}

function showLevel(meter, bar) {
  // Speech is ~0.05-0.2 RMS: scaled so that normal speech fills most of the bar.
  bar.value = Math.min(1, meter.level() * 6);
  running.frame = requestAnimationFrame(() => showLevel(meter, bar));
}

async function checkDevices(room) {
  const preview = document.getElementById("preview");
  const ok = document.getElementById("device-ok");
  const failed = document.getElementById("device-error");
  failed.hidden = true;
  stopPreview();
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    preview.srcObject = stream;
    preview.hidden = false;
    const hasBoth = stream.getVideoTracks().length > 0 && stream.getAudioTracks().length > 0;
    if (!hasBoth) throw new Error("missing track");
    const meter = new LevelMeter();
    meter.watch(stream.getAudioTracks()[0]);
    running = { stream, meter, frame: 0, timer: setTimeout(stopPreview, PREVIEW_MS) };
    document.getElementById("mic-level").hidden = false;
    showLevel(meter, document.getElementById("mic-meter"));
    await post(room.dataset.checkUrl, room.dataset.token);
    ok.hidden = false;
  } catch (error) {
    stopPreview();
    failed.hidden = false;
  }
}

async function poll(room) {
  try {
    const response = await send(room.dataset.statusUrl, { joinToken: room.dataset.token });
    if (response.ok) {
      const body = await response.json();
      showState(room, body.state);
      if (body.state === "admitted" || body.state === "closed") return;
    }
  } catch (error) {
    // Network hiccup on a phone: try again at the next tick.
  }
  setTimeout(() => poll(room), POLL_MS);
}

window.addEventListener("pagehide", stopPreview);
const room = document.getElementById("room");
if (room) {
  showState(room, room.dataset.state);
  document.getElementById("check-devices").addEventListener("click", () => checkDevices(room));
  setTimeout(() => poll(room), POLL_MS);
}
