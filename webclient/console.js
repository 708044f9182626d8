// The official's console: joining acknowledges the recording notice; then video beside the
// case panel, the participant list with admit / mute / remove, and ending the hearing.
import { loadConfig, translator } from "./i18n.js";
import { HearingConnection, LevelMeter } from "./media.js";
import * as api from "./signalling.js";
import { Stage, renderMembers, renderRecording, setStatus, showLocal } from "./ui.js";

function main() {
  const config = loadConfig();
  const t = translator(config.strings);
  const hearingId = config.hearingId;
  const status = document.getElementById("status");
  const stage = new Stage(document.getElementById("stage"), t);
  const indicator = document.getElementById("rec-indicator");
  const members = document.getElementById("members");
  const meter = new LevelMeter();
  let connection = null;

  const guard = (action) => async (...args) => {
    try { await action(...args); } catch (error) { setStatus(status, error.message, "error"); }
  };
  const actions = {
    admit: guard((m) => api.admit(hearingId, m.id)),
    admitWaiting: guard((p) => api.admitParticipant(hearingId, p.id)),
    mute: guard((m) => api.mute(hearingId, m.id, !m.muted)),
    remove: guard((m) => api.remove(hearingId, m.id)),
  };
  const onRoom = ({ state }) => {
    renderRecording(indicator, state.hearing.recording, t);
    renderMembers(members, state, t, actions);
    stage.applySlots(state.slots, state.members);
    if (state.hearing.status !== "open") {
      connection?.stop();
      stage.clear();
      document.getElementById("controls").hidden = true;
      setStatus(status, t("ended"), "done");
    }
  };

  const join = document.getElementById("join");
  if (!join) return; // the hearing is over: the page says so
  join.addEventListener("click", guard(async () => {
    join.disabled = true;
    const receiveOnly = document.getElementById("observer")?.checked ?? false;
    connection = new HearingConnection({
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
        level: meter.level(), frames: await connection.framesDecoded(),
        connection: connection.pc?.connectionState ?? "none",
      })));
    }
    setStatus(status, t("connecting"));
    try {
      await connection.start();
    } catch (error) {
      join.disabled = false;
      throw error;
    }
    if (connection.local) showLocal(document.getElementById("local"), connection.local);
    document.getElementById("join-panel").hidden = true;
    document.getElementById("controls").hidden = false;
    api.openEvents(hearingId, null, onRoom);
  }));

  document.getElementById("end").addEventListener("click", guard(async () => {
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
