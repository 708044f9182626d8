// Test mode only (the server runs with ICE_LOOPBACK_ONLY): browser tests read the page's media
// state through window.hearingProbe. Pages import this module only when their config says
// `testProbe`, so production pages carry no global hook.
export function expose(read) {
  window.hearingProbe = read;
}
