// A button that copies a link shown on the page ([data-copy] names the element holding it).
// The clipboard may be refused (an older browser, a page not served over HTTPS): the link's
// text is then selected so that the person copies it with the device's own Copy command.
function select(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

for (const button of document.querySelectorAll("[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      status.textContent = button.dataset.copied;
    } catch {
      select(source);
      status.textContent = button.dataset.select;
    }
  });
}
