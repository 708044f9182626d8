// Waiting room: device check with getUserMedia, then short polling of the room's state.
// Polling (every 3 s) instead of a websocket: it survives weak mobile networks, proxies and
// sleeping phones without reconnection logic, and a few seconds of delay are fine here.
import { request, send } from "./http.js";

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

async function checkDevices(room) {
  const preview = document.getElementById("preview");
  const ok = document.getElementById("device-ok");
  const failed = document.getElementById("device-error");
  failed.hidden = true;
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    preview.srcObject = stream;
    preview.hidden = false;
    const hasBoth = stream.getVideoTracks().length > 0 && stream.getAudioTracks().length > 0;
    if (!hasBoth) throw new Error("missing track");
    await post(room.dataset.checkUrl, room.dataset.token);
    ok.hidden = false;
    // Release the devices: the hearing page opens them again; phones keep the light on otherwise.
    setTimeout(() => stream.getTracks().forEach((t) => t.stop()), 1500);
  } catch (error) {
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

const room = document.getElementById("room");
if (room) {
  showState(room, room.dataset.state);
  document.getElementById("check-devices").addEventListener("click", () => checkDevices(room));
  setTimeout(() => poll(room), POLL_MS);
}
