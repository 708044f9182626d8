// The browser side of a hearing connection: camera and microphone, one RTCPeerConnection to
// the server's media hub, reconnecting after network drops, and an audio-only mode.
import { sendOffer } from "./signalling.js";

const EXTRA_SLOTS = 2; // besides the first: the server shows up to 3 other people
const GATHER_MS = 3000;
const DISCONNECT_GRACE_MS = 4000;

export async function localMedia(audioOnly, size = { width: 640, height: 480 }) {
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true },
    video: audioOnly ? false : { width: { ideal: size.width }, height: { ideal: size.height } },
  });
}

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GATHER_MS); // send what we have: host candidates suffice
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") { clearTimeout(timer); resolve(); }
    });
  });
}

export class HearingConnection {
  // join(): {hearing_id, member_id, ticket, ice_servers}; onTrack(mid, track); onState(state)
  constructor({ hearingId, join, onTrack, onState, receiveOnly = false, video }) {
    Object.assign(this, { hearingId, join, onTrack, onState, receiveOnly, video });
    this.pc = null;
    this.local = null;
    this.audioOnly = false;
    this.stopped = false;
    this.attempt = 0;
  }

  async start() {
    if (!this.receiveOnly) this.local = await localMedia(this.audioOnly, this.video);
    await this.connect();
  }

  async connect() {
    const joined = await this.join();
    this.memberId = joined.member_id;
    const pc = new RTCPeerConnection({ iceServers: joined.ice_servers, bundlePolicy: "max-bundle" });
    const previous = this.pc;
    this.pc = pc;
    previous?.close();
    const own = (kind) => this.local?.getTracks().find((t) => t.kind === kind);
    const kinds = this.audioOnly ? ["audio"] : ["audio", "video"];
    for (const kind of kinds) {
      const track = own(kind);
      if (track) pc.addTransceiver(track, { direction: "sendrecv" });
      else pc.addTransceiver(kind, { direction: "recvonly" });
    }
    for (let i = 0; i < EXTRA_SLOTS; i += 1) {
      for (const kind of kinds) pc.addTransceiver(kind, { direction: "recvonly" });
    }
    pc.ontrack = (event) => this.onTrack(event.transceiver.mid, event.track);
    pc.onconnectionstatechange = () => this.watch(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const answer = await sendOffer(this.hearingId, joined.ticket, pc.localDescription.sdp,
                                   this.audioOnly);
    await pc.setRemoteDescription(answer);
  }

  watch(pc) {
    if (pc !== this.pc || this.stopped) return;
    const state = pc.connectionState;
    this.onState(state);
    if (state === "connected") this.attempt = 0;
    if (state === "failed") this.reconnect();
    if (state === "disconnected") {
      setTimeout(() => { if (pc === this.pc && pc.connectionState !== "connected") this.reconnect(); },
                 DISCONNECT_GRACE_MS);
    }
  }

  // A network drop: a fresh offer on a new connection; the server keeps the hearing and the
  // recording running and swaps the connection.
  async reconnect() {
    if (this.stopped || this.reconnecting) return;
    this.reconnecting = true;
    this.onState("reconnecting");
    const wait = Math.min(1000 * 2 ** this.attempt, 10000);
    this.attempt += 1;
    await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      await this.connect();
    } catch (error) {
      this.onState("failed");
      if (error.status === 403 || error.status === 409) this.stop(); // removed or ended
    } finally {
      this.reconnecting = false;
    }
    if (!this.stopped && this.pc?.connectionState === "failed") this.reconnect();
  }

  async setAudioOnly(audioOnly) {
    if (audioOnly === this.audioOnly) return;
    this.audioOnly = audioOnly;
    if (this.receiveOnly) return this.connect();
    this.local?.getTracks().forEach((track) => track.stop());
    this.local = await localMedia(audioOnly, this.video);
    await this.connect();
  }

  setEnabled(kind, enabled) {
    this.local?.getTracks().filter((t) => t.kind === kind).forEach((t) => { t.enabled = enabled; });
  }

  stop() {
    this.stopped = true;
    this.pc?.close();
    this.local?.getTracks().forEach((track) => track.stop());
  }

  // Diagnostics (and the browser tests): audio packets received from the server.
  async audioPackets() {
    if (!this.pc) return 0;
    let packets = 0;
    (await this.pc.getStats()).forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "audio") packets += report.packetsReceived ?? 0;
    });
    return packets;
  }

  // Diagnostics (and the browser tests): frames decoded per inbound video stream.
  async framesDecoded() {
    if (!this.pc) return 0;
    let frames = 0;
    (await this.pc.getStats()).forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "video") frames += report.framesDecoded ?? 0;
    });
    return frames;
  }
}

// Loudness of a remote audio track (0..1 RMS), measured with WebAudio: getStats() audio levels
// stay 0 when nothing plays out (headless), an analyser does not.
export class LevelMeter {
  constructor() {
    this.context = null;
    this.analysers = new Map();
  }

  watch(track) {
    this.context ??= new AudioContext();
    const source = this.context.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    this.analysers.set(track.id, analyser);
  }

  level() {
    let loudest = 0;
    const samples = new Float32Array(1024);
    for (const analyser of this.analysers.values()) {
      analyser.getFloatTimeDomainData(samples);
      const rms = Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
      loudest = Math.max(loudest, rms);
    }
    return loudest;
  }
}
