// The official's waiting list refreshes itself by short polling of a server-rendered fragment
// (same markup and translations as the page; no client-side templating).
import { send } from "./http.js";

const POLL_MS = 3000;
const box = document.getElementById("waiting");

async function refresh() {
  try {
    const response = await send(box.dataset.url, { accept: "text/html" });
    if (response.ok) {
      const html = await response.text();
      // Keep focus stable for keyboard users: only swap when something changed.
      if (html.trim() !== box.innerHTML.trim()) box.innerHTML = html;
    }
  } catch (error) {
    // Offline for a moment: the next tick tries again.
  }
  setTimeout(refresh, POLL_MS);
}

if (box) setTimeout(refresh, POLL_MS);
