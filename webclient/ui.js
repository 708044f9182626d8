// Page rendering shared by the citizen page and the console: status line, recording
// indicator, the video stage and the participant list. Errors go into the page, never alert().

export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== false && value != null) element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children);
  return element;
}

export function setStatus(element, text, kind = "info") {
  element.textContent = text;
  element.dataset.kind = kind;
}

// `{name}` placeholders of a translated string.
export function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

export function clock(seconds) {
  const whole = Math.max(0, Math.round(seconds ?? 0));
  const pad = (n) => String(n).padStart(2, "0");
  const hours = Math.floor(whole / 3600);
  const rest = `${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
  return hours ? `${hours}:${rest}` : rest;
}

// The hearing's true recording state: not started, recording, paused (someone who sends is not
// recorded, so nothing flows), or closed. Set only when it changes, so a screen reader
// announces changes, not every push.
export function renderRecording(element, state, t) {
  const phase = state.hearing.phase;
  if (element.dataset.phase === phase && element.dataset.rendered) return;
  element.dataset.rendered = "1";
  element.dataset.phase = phase;
  element.dataset.recording = String(phase === "recording");
  element.querySelector(".rec-text").textContent = t(`phase.${phase}`);
}

// The alarm of a paused hearing (role="alert": announced when its text appears).
export function renderAlarm(alarm, state, t, official) {
  const paused = state.hearing.phase === "paused";
  const names = state.hearing.unrecorded.map((m) => m.name).join(", ");
  const text = paused ? (official ? format(t("alarmOfficial"), { names }) : t("alarmCitizen")) : "";
  const line = alarm.querySelector(".alarm-text");
  if (line.textContent !== text) line.textContent = text;
  alarm.hidden = !paused;
  const detail = alarm.querySelector(".alarm-detail");
  if (detail) {
    const problems = state.members.filter((m) => m.recorder?.problem)
      .map((m) => `${m.name}: ${m.recorder.problem}`).join("\n");
    detail.hidden = !paused || !problems;
    detail.querySelector("p").textContent = problems;
  }
  document.body.classList.toggle("hearing-paused", paused);
}

// What was recorded: each member's files, their length and whether they verified against
// their chain (stored with the file when it closed, checked again on every integrity check).
export function renderRecordings(section, state, t) {
  const files = state.recordings ?? [];
  const closed = state.hearing.status !== "open";
  section.hidden = !closed && files.length === 0;
  const body = section.querySelector(".recordings-body");
  if (files.length === 0) {
    body.replaceChildren(el("p", { class: "muted" }, t("noFiles")));
    return;
  }
  const verdict = (f) => (f.verified === true ? el("span", { class: "tag ok" }, t("verified"))
    : f.verified === false ? el("span", { class: "tag bad" }, t("notVerified"))
      : el("span", { class: "tag" }, t("unverified")));
  const rows = files.map((f) => el("tr", { "data-kind": f.kind, "data-member": f.member,
                                           "data-verified": String(f.verified) },
    el("td", {}, f.name),
    el("td", {}, t(`kind.${f.kind}`), f.state === "repaired" ? el("br") : "",
       f.state === "repaired" ? el("small", {}, t("repaired")) : ""),
    el("td", { class: "file-length", "data-label": t("fileLength") }, clock(f.seconds)),
    el("td", {}, verdict(f))));
  body.replaceChildren(el("table", { class: "files" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("fileWho")),
                       el("th", { scope: "col" }, t("fileKind")),
                       el("th", { scope: "col" }, t("fileLength")),
                       el("th", { scope: "col" }, t("fileCheck")))),
    el("tbody", {}, ...rows)));
}

// Remote media: one tile per video slot (labelled with whom it shows), one hidden <audio>
// per audio slot. Slots without anyone behind them are hidden.
export class Stage {
  constructor(container, t) {
    this.container = container;
    this.t = t;
    this.tiles = new Map(); // mid -> {figure, media, kind}
    this.empty = el("p", { class: "stage-empty" }, t("nobody"));
    this.pause = el("p", { class: "stage-paused", hidden: true });
    container.append(this.empty, this.pause);
  }

  // Nothing flows while paused: the last picture would freeze, so the stage says why.
  setPaused(paused, text) {
    this.container.dataset.paused = String(paused);
    this.pause.textContent = text;
    this.pause.hidden = !paused;
  }

  addTrack(mid, track) {
    const stream = new MediaStream([track]);
    if (track.kind === "audio") {
      const audio = el("audio", { autoplay: true });
      audio.srcObject = stream;
      this.container.append(audio);
      this.tiles.set(mid, { media: audio, kind: "audio" });
      return;
    }
    const video = el("video", { autoplay: true, playsinline: true, muted: true });
    video.srcObject = stream;
    const caption = el("figcaption");
    const figure = el("figure", { class: "tile", hidden: true }, video, caption);
    this.container.append(figure);
    this.tiles.set(mid, { figure, media: video, caption, kind: "video" });
  }

  applySlots(slots, members) {
    const names = new Map(members.map((m) => [m.id, m.name]));
    let shown = 0;
    for (const slot of slots) {
      const tile = this.tiles.get(slot.mid);
      if (!tile || tile.kind !== "video") continue;
      tile.figure.hidden = !slot.member;
      tile.caption.textContent = slot.member ? names.get(slot.member) ?? "" : "";
      if (slot.member) shown += 1;
    }
    this.empty.hidden = shown > 0;
  }

  clear() {
    for (const tile of this.tiles.values()) (tile.figure ?? tile.media).remove();
    this.tiles.clear();
  }
}

export function showLocal(video, stream) {
  video.srcObject = stream;
}

function recorderText(member, t) {
  const recorder = member.recorder ?? { state: "none" };
  if (recorder.state === "recording") {
    return format(t("recorder.recording"), { time: clock(recorder.seconds) });
  }
  return t(`recorder.${recorder.state}`);
}

// How long each member has been recorded, counted on between pushes of the room state.
export function tickRecorders(list, t) {
  for (const span of list.querySelectorAll(".member-rec[data-recorder=recording]")) {
    const seconds = (Date.now() - Number(span.dataset.since)) / 1000;
    span.textContent = format(t("recorder.recording"), { time: clock(seconds) });
  }
}

// The console's participant list; `actions` maps an action name to a handler(member). Live
// controls only while the hearing is open and the official is in it (`live`).
export function renderMembers(list, state, t, actions, live = true) {
  list.replaceChildren();
  const open = state.hearing.status === "open";
  for (const member of state.members.filter((m) => !m.removed)) {
    const you = member.id === state.you;
    const where = !open ? "" : !member.admitted ? t("waitingRoom")
      : member.connection === "connected" ? t("inRoom") : t("offline");
    const recorded = open && member.admitted && member.role !== "observer";
    const buttons = [];
    const acting = live && open && !you; // never on a closed hearing or before joining
    if (acting && !member.admitted && member.role !== "official") {
      buttons.push(el("button", { type: "button", class: "button primary",
                                  onclick: () => actions.admit(member) }, t("admit")));
    }
    if (acting && member.admitted) {
      buttons.push(el("button", { type: "button", class: "button",
                                  onclick: () => actions.mute(member) },
                      member.muted ? t("unmuteOther") : t("muteOther")));
      const confirming = actions.confirmingRemoval === member.id;
      buttons.push(el("button", { type: "button", class: "button danger", "data-action": "remove",
                                  "aria-pressed": String(confirming),
                                  onclick: () => actions.remove(member) },
                      confirming ? t("removeConfirm") : t("remove")));
    }
    list.append(el("li", { class: "member", "data-member": member.id,
                           "data-admitted": String(member.admitted) },
      el("span", { class: "member-name" }, you ? `${member.name} (${t("you")})` : member.name),
      el("span", { class: "member-role" }, t(`role.${member.role}`)),
      where ? el("span", { class: "member-where" }, where) : "",
      recorded ? el("span", { class: "member-rec", "data-recorder": member.recorder?.state ?? "none",
                              "data-since": String((state.receivedAt ?? Date.now())
                                                  - (member.recorder?.seconds ?? 0) * 1000) },
                    recorderText(member, t)) : "",
      buttons.length ? el("span", { class: "member-actions" }, ...buttons) : ""));
  }
  if (!live || !open) return;
  // Consented and waiting on the waiting-room page: admitting them here lets them in as
  // soon as their page connects (the same admission as from the agenda).
  for (const person of state.waiting ?? []) {
    list.append(el("li", { class: "member", "data-participant": person.id, "data-admitted": "false" },
      el("span", { class: "member-name" }, person.name),
      el("span", { class: "member-role" }, t(`role.${person.role}`)),
      el("span", { class: "member-where" }, t("waitingPage")),
      el("span", { class: "member-actions" },
        el("button", { type: "button", class: "button primary",
                       onclick: () => actions.admitWaiting(person) }, t("admit")))));
  }
}
