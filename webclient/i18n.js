// Strings and settings the server embedded in the page (already in the reader's language).
export function loadConfig(id = "hearing-config") {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return JSON.parse(element.textContent);
}

export function translator(strings) {
  return (key) => strings[key] ?? key;
}
