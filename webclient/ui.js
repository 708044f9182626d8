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

export function renderRecording(element, recording, t) {
  element.dataset.recording = String(recording);
  element.querySelector(".rec-text").textContent = recording ? t("recording") : t("notRecording");
}

// Remote media: one tile per video slot (labelled with whom it shows), one hidden <audio>
// per audio slot. Slots without anyone behind them are hidden.
export class Stage {
  constructor(container, t) {
    this.container = container;
    this.t = t;
    this.tiles = new Map(); // mid -> {figure, media, kind}
    this.empty = el("p", { class: "stage-empty" }, t("nobody"));
    container.append(this.empty);
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

// The console's participant list; `actions` maps an action name to a handler(member).
export function renderMembers(list, state, t, actions) {
  list.replaceChildren();
  for (const member of state.members.filter((m) => !m.removed)) {
    const you = member.id === state.you;
    const where = !member.admitted ? t("waitingRoom")
      : member.connection === "connected" ? t("inRoom") : t("offline");
    const buttons = [];
    if (!you && !member.admitted && member.role !== "official") {
      buttons.push(el("button", { type: "button", class: "button primary",
                                  onclick: () => actions.admit(member) }, t("admit")));
    }
    if (!you && member.admitted) {
      buttons.push(el("button", { type: "button", class: "button",
                                  onclick: () => actions.mute(member) },
                      member.muted ? t("unmuteOther") : t("muteOther")));
      buttons.push(el("button", { type: "button", class: "button danger",
                                  onclick: () => actions.remove(member) }, t("remove")));
    }
    list.append(el("li", { class: "member", "data-member": member.id,
                           "data-admitted": String(member.admitted) },
      el("span", { class: "member-name" }, you ? `${member.name} (${t("you")})` : member.name),
      el("span", { class: "member-role" }, t(`role.${member.role}`)),
      el("span", { class: "member-where" }, where),
      member.recording ? el("span", { class: "member-rec" }, t("recording")) : "",
      el("span", { class: "member-actions" }, ...buttons)));
  }
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
