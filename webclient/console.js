// The official's console: joining acknowledges the recording notice; then video beside the
// case panel, the participant list with admit / mute / remove, and ending the hearing.
// The room's state (recording phase, each member's recorder, the files recorded) shows from
// the start, joined or not, and after the end; a reload of an open hearing offers a one-tap
// rejoin. When a recording stops, the hearing pauses and an alarm says so (role="alert").
import { loadConfig, translator } from "./i18n.js";
import { HearingConnection, LevelMeter } from "./media.js";
import * as api from "./signalling.js";
import {
  Stage, renderAlarm, renderMembers, renderRecording, renderRecordings, setStatus, showLocal,
  tickRecorders,
} from "./ui.js";

function main() {
  const config = loadConfig();
  const t = translator(config.strings);
  const hearingId = config.hearingId;
  const status = document.getElementById("status");
  const stage = new Stage(document.getElementById("stage"), t);
  const indicator = document.getElementById("rec-indicator");
  const alarm = document.getElementById("recording-alarm");
  const members = document.getElementById("members");
  const recordings = document.getElementById("recordings");
  const meter = new LevelMeter();
  let connection = null;
  let wasPaused = false;
  let last = null;

  const guard = (action) => async (...args) => {
    try { await action(...args); } catch (error) { setStatus(status, error.message, "error"); }
  };
  const actions = {
    admit: guard((m) => api.admit(hearingId, m.id)),
    admitWaiting: guard((p) => api.admitParticipant(hearingId, p.id)),
    mute: guard((m) => api.mute(hearingId, m.id, !m.muted)),
    // Removal is for good: the first tap asks, a second tap on the same person removes them.
    remove: guard(async (m) => {
      if (actions.confirmingRemoval !== m.id) {
        actions.confirmingRemoval = m.id;
        if (last) renderMembers(members, last, t, actions, Boolean(connection));
        return;
      }
      actions.confirmingRemoval = null;
      await api.remove(hearingId, m.id);
    }),
    confirmingRemoval: null,
  };
  const onRoom = ({ state }) => {
    // The recorders' running times count from when this state arrived, however often the
    // list is drawn again from it (a removal's confirmation, joining).
    state.receivedAt = Date.now();
    last = state;
    const open = state.hearing.status === "open";
    renderRecording(indicator, state, t);
    renderAlarm(alarm, state, t, true);
    renderMembers(members, state, t, actions, Boolean(connection));
    renderRecordings(recordings, state, t);
    stage.applySlots(state.slots, state.members);
    stage.setPaused(state.hearing.phase === "paused", t("pausedStage"));
    const paused = state.hearing.phase === "paused";
    if (wasPaused && !paused && open) setStatus(status, t("resumed"), "done");
    wasPaused = paused;
    if (!open) {
      connection?.stop();
      connection = null;
      stage.clear();
      for (const id of ["controls", "end-panel", "join-panel", "add-party", "stage", "local"]) {
        const element = document.getElementById(id);
        if (element) element.hidden = true;
      }
      setStatus(status, t("endedOfficial"), "done");
      document.dispatchEvent(new Event("hearing:over"));
    }
  };
  if (config.state) onRoom({ event: { type: "hello" }, state: config.state });
  setInterval(() => tickRecorders(members, t), 1000);
  // The state without joining: who is there, what is recorded, what was.
  api.openEvents(hearingId, null, onRoom);

  const join = document.getElementById("join");
  if (!join) return; // the hearing is over: the page says so
  join.addEventListener("click", guard(async () => {
    join.disabled = true;
    const receiveOnly = join.dataset.observer === "true"
      || (document.getElementById("observer")?.checked ?? false);
    const joining = new HearingConnection({
      hearingId, receiveOnly, video: config.video,
      join: () => api.joinAsStaff(hearingId, receiveOnly),
      onTrack: (mid, track) => {
        stage.addTrack(mid, track);
        if (track.kind === "audio") meter.watch(track);
      },
      onState: (state) => setStatus(status, t(state === "connected" ? "connected" : state),
                                    state === "failed" ? "error" : "info"),
    });
    if (config.testProbe) {
      import("./probe.js").then(({ expose }) => expose(async () => ({
        level: meter.level(), frames: await joining.framesDecoded(),
        audioPackets: await joining.audioPackets(),
        connection: joining.pc?.connectionState ?? "none",
      })));
    }
    setStatus(status, t("connecting"));
    try {
      await joining.start();
    } catch (error) {
      join.disabled = false;
      throw error;
    }
    connection = joining;
    if (connection.local) showLocal(document.getElementById("local"), connection.local);
    document.getElementById("join-panel").hidden = true;
    document.getElementById("controls").hidden = false;
    document.getElementById("stage").hidden = false;
    document.getElementById("local").hidden = false;
    if (last) renderMembers(members, last, t, actions, true);
  }));

  document.getElementById("end")?.addEventListener("click", guard(async () => {
    const confirmBox = document.getElementById("end-confirm");
    if (confirmBox.hidden) { confirmBox.hidden = false; return; }
    await api.endHearing(hearingId);
  }));
  document.getElementById("mic").addEventListener("click", (event) => {
    const off = event.currentTarget.getAttribute("aria-pressed") !== "true";
    event.currentTarget.setAttribute("aria-pressed", String(off));
    event.currentTarget.textContent = off ? t("unmute") : t("mute");
    connection?.setEnabled("audio", !off);
  });
  document.getElementById("audio-only").addEventListener("click", guard(async (event) => {
    const on = event.currentTarget.getAttribute("aria-pressed") !== "true";
    event.currentTarget.setAttribute("aria-pressed", String(on));
    event.currentTarget.textContent = on ? t("withVideo") : t("audioOnly");
    await connection?.setAudioOnly(on);
    if (connection?.local) showLocal(document.getElementById("local"), connection.local);
  }));
}

main();
