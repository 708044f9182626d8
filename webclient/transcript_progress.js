// The transcription progress bar (console and transcript page): polls the status every 2 s
// until the transcript is done or failed. The <progress> carries the share kept so far; the
// status line says in words what is really happening (running, waiting for a worker,
// retrying), and the bar is dimmed while no worker moves it. On the transcript page
// (data-reload) a finished transcription reloads the page to show the lines. The console
// announces the hearing's end ("hearing:over"): the job was queued in that same commit, so the
// bar asks at once instead of saying "starts when the hearing ends" until its next tick.
import { send } from "./http.js";

const POLL_MS = 2000;
let wake = () => {};
document.addEventListener("hearing:over", () => wake());

async function poll(section) {
  const bar = section.querySelector("#transcription-bar");
  const text = section.querySelector("#transcription-text");
  const detail = section.querySelector("#transcription-detail");
  for (;;) {
    let status = null;
    try {
      const response = await send(section.dataset.statusUrl);
      if (response.status === 404) { section.hidden = true; return; }  // not this user's to see
      if (response.ok) status = await response.json();
    } catch (error) {
      status = null;  // a network blip: try again at the next tick
    }
    if (status) {
      bar.value = Math.round(status.progress * 100);
      bar.dataset.state = status.state;
      section.dataset.state = status.state;
      if (text.textContent !== status.label) text.textContent = status.label;
      detail.hidden = !status.detail;
      detail.textContent = status.detail || "";
      // Speakers whose recording could not be transcribed: their words are missing, said loudly.
      detail.className = status.untranscribed ? "alert" : "hint";
      if (status.finished) {
        if (section.dataset.reload !== undefined) location.reload();
        return;
      }
    }
    await new Promise((resolve) => {
      wake = resolve;
      setTimeout(resolve, POLL_MS);
    });
  }
}

const section = document.getElementById("transcription");
if (section) poll(section);
