// A button that prints the page (the print style shows only the slip for the citizen).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
