// The citizen's hearing page: joins with the secret link, waits to be admitted, shows the
// official, and keeps the recording's true state current: recording, paused (a recording
// stopped: nothing flows until it runs again), and after the end what was recorded.
import { loadConfig, translator } from "./i18n.js";
import { HearingConnection, LevelMeter } from "./media.js";
import { joinByLink, openEvents } from "./signalling.js";
import { Stage, renderAlarm, renderRecording, renderRecordings, setStatus, showLocal } from "./ui.js";

function main() {
  const config = loadConfig();
  const t = translator(config.strings);
  const status = document.getElementById("status");
  const indicator = document.getElementById("rec-indicator");
  const alarm = document.getElementById("recording-alarm");
  const recordings = document.getElementById("recordings");
  if (!config.hearingId) {
    setTimeout(() => location.reload(), 10000); // the official has not opened it yet
    return;
  }
  const showRecording = (state) => {
    renderRecording(indicator, state, t);
    renderAlarm(alarm, state, t, false);
    renderRecordings(recordings, state, t);
  };
  if (config.state && config.state.hearing.status !== "open") {
    showRecording(config.state); // a reload after the end: what was recorded, nothing live
    setStatus(status, t("ended"), "done");
    if (config.state.hearing.status === "ended") showNextSteps();
    // Interrupted (the server stopped): the official opens a new hearing; this page joins it.
    if (config.state.hearing.status === "interrupted") setTimeout(() => location.reload(), 10000);
    return;
  }
  const stage = new Stage(document.getElementById("stage"), t);
  const meter = new LevelMeter();
  let admitted = false;
  let wasPaused = false;
  const connection = new HearingConnection({
    hearingId: config.hearingId,
    video: config.video,
    join: () => joinByLink(config.hearingId, config.token),
    onTrack: (mid, track) => {
      stage.addTrack(mid, track);
      if (track.kind === "audio") meter.watch(track);
    },
    onState: (state) => {
      if (state === "reconnecting") setStatus(status, t("reconnecting"), "warning");
      else if (state === "failed") setStatus(status, t("failed"), "error");
      else if (state === "connected") setStatus(status, admitted ? t("admitted") : t("waiting"));
    },
  });
  if (config.testProbe) {
    import("./probe.js").then(({ expose }) => expose(async () => ({
      level: meter.level(), frames: await connection.framesDecoded(), admitted,
      audioPackets: await connection.audioPackets(),
      connection: connection.pc?.connectionState ?? "none",
    })));
  }

  const controls = setUpControls(connection, t);
  const onRoom = ({ event, state }) => {
    const me = state.members.find((m) => m.id === state.you);
    // A removed citizen is no longer recorded (their files are closed): their badge says the
    // recording ended for them, whatever the hearing does after they left it.
    showRecording(me?.removed ? { ...state, hearing: { ...state.hearing, phase: "closed" } } : state);
    stage.applySlots(state.slots, state.members);
    const paused = state.hearing.phase === "paused";
    stage.setPaused(paused, t("pausedStage"));
    if (state.hearing.status !== "open" || me?.removed) {
      connection.stop();
      stage.clear();
      controls.hidden = true;
      document.getElementById("stage").hidden = true;
      document.getElementById("local").hidden = true;
      setStatus(status, me?.removed ? t("removed") : t("ended"), "done");
      showNextSteps();
      return;
    }
    admitted = Boolean(me?.admitted);
    if (event.type === "muted" && event.member === state.you && event.muted) {
      setStatus(status, t("mutedByOfficial"), "warning");
    } else if (wasPaused && !paused) {
      setStatus(status, t("resumed"), "done");
    } else if (connection.pc?.connectionState === "connected") {
      setStatus(status, admitted ? t("admitted") : t("waiting"));
    }
    wasPaused = paused;
  };
  if (config.state) showRecording(config.state);

  setStatus(status, t("connecting"));
  connection.start()
    .then(() => {
      showLocal(document.getElementById("local"), connection.local);
      openEvents(config.hearingId, config.token, onRoom);
    })
    .catch((error) => {
      setStatus(status, error.name === "NotAllowedError" || error.name === "NotFoundError"
        ? t("noCamera") : error.message, "error");
    });
}

// What happens after the hearing, and the way back to the booking (the page has no other).
function showNextSteps() {
  document.getElementById("after-end").hidden = false;
}

function setUpControls(connection, t) {
  const controls = document.getElementById("controls");
  const toggle = (id, on, off, apply) => {
    const button = document.getElementById(id);
    let active = false;
    button.addEventListener("click", async () => {
      active = !active;
      button.setAttribute("aria-pressed", String(active));
      button.textContent = active ? on : off;
      await apply(active);
    });
  };
  toggle("mic", t("unmute"), t("mute"), (off) => connection.setEnabled("audio", !off));
  toggle("camera", t("cameraOn"), t("cameraOff"), (off) => connection.setEnabled("video", !off));
  toggle("audio-only", t("withVideo"), t("audioOnly"), async (on) => {
    await connection.setAudioOnly(on);
    showLocal(document.getElementById("local"), connection.local);
  });
  document.getElementById("leave").addEventListener("click", () => {
    connection.stop();
    location.href = "/";
  });
  return controls;
}

main();
