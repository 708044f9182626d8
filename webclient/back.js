// "Go back" on an error page reached without a referring page of this site: the browser's
// own history, offered only when there is a page to go back to.
for (const button of document.querySelectorAll("[data-history-back]")) {
  if (window.history.length > 1) {
    button.hidden = false;
    button.addEventListener("click", () => window.history.back());
  }
}
