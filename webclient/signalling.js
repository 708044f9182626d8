// Talking to the server: join (get a single-use ticket), one offer/answer per connection
// (non-trickle ICE), staff controls, and the websocket of room events (reconnects itself).

import { HttpError, request } from "./http.js";

export { HttpError as SignallingError };

export const post = (url, body = {}, joinToken = null) =>
  request(url, { method: "POST", json: body, joinToken });

const base = (hearingId) => `/api/v1/hearings/${hearingId}`;

export const joinAsStaff = (hearingId, receiveOnly = false) =>
  post(`${base(hearingId)}/join`, { receive_only: receiveOnly });

export const joinByLink = (hearingId, token) => post(`${base(hearingId)}/join-by-link`, {}, token);

export const sendOffer = (hearingId, ticket, sdp, audioOnly) =>
  post(`${base(hearingId)}/offer`, { ticket, sdp, audio_only: audioOnly });

export const admit = (hearingId, memberId) => post(`${base(hearingId)}/members/${memberId}/admit`);
export const admitParticipant = (hearingId, participantId) =>
  post(`${base(hearingId)}/participants/${participantId}/admit`);
export const mute = (hearingId, memberId, muted) =>
  post(`${base(hearingId)}/members/${memberId}/mute`, { muted });
export const remove = (hearingId, memberId) => post(`${base(hearingId)}/members/${memberId}/remove`);
export const endHearing = (hearingId) => post(`${base(hearingId)}/end`);

// Room events: calls onMessage({event, state}) for each push; reconnects with backoff until
// the hearing is over or close() is called.
export function openEvents(hearingId, token, onMessage, onDown = () => {}) {
  let socket = null;
  let closed = false;
  let delay = 500;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = token ? `?t=${encodeURIComponent(token)}` : "";
  const connect = () => {
    socket = new WebSocket(`${scheme}://${location.host}${base(hearingId)}/events${query}`);
    socket.onopen = () => { delay = 500; };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      const me = data.state.members.find((m) => m.id === data.state.you);
      if (data.state.hearing.status !== "open" || me?.removed) closed = true;
      onMessage(data);
    };
    socket.onclose = (event) => {
      // 4409: the same person opened this hearing again elsewhere; that window keeps it.
      // 4401: signed out; 4403: not (or no longer) allowed. Trying again would not help.
      if (closed || [4401, 4403, 4409].includes(event.code)) return;
      onDown();
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 8000);
    };
  };
  connect();
  return { close() { closed = true; socket?.close(); } };
}
