// What axe-core does not check, run in the page by tests/e2e/test_accessibility_browser.py.
// This file is one expression: an object of checks, each returning what it found lacking.
({
  // Each focusable element focused in turn: the outline or box-shadow rings that appear on it
  // (or, for a control drawn by its neighbour such as a time's radio button, on the next element
  // or the label) must reach 3:1 against the background behind them (WCAG 2.4.7, 1.4.11).
  // [element, best ratio] of those that do not.
  focusIndicators() {
    const rgb = (text) => {
      const m = /rgba?\(([^)]*)\)/.exec(text || "");
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return a === 0 ? null : [r, g, b];
    };
    const linear = (v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    const ratio = (x, y) => {
      const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
      return (a + 0.05) / (b + 0.05);
    };
    const behind = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c) return c;
      }
      return [255, 255, 255];
    };
    const rings = (el) => {
      const s = getComputedStyle(el);
      const found = [];
      const box = el.getBoundingClientRect();
      if (s.opacity === "0" || box.width <= 1 || box.height <= 1) return found;  // not seen
      if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) found.push(s.outlineColor);
      if (s.boxShadow !== "none") for (const m of s.boxShadow.matchAll(/rgba?\([^)]*\)/g)) found.push(m[0]);
      return found;
    };
    const name = (el) => {
      const text = (el.textContent || "").trim().slice(0, 30);
      return el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "")
        + (el.classList[0] ? `.${el.classList[0]}` : "") + (el.name ? `[name=${el.name}]` : "")
        + (text ? ` "${text}"` : "");
    };
    const focusable = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), "
      + "select, textarea, summary, [tabindex]:not([tabindex^='-'])")]
      .filter((el) => !el.disabled && el.getClientRects().length && !el.closest("[inert]"));
    const problems = [];
    for (const el of focusable) {
      const near = [el, el.nextElementSibling, el.closest("label")].filter(Boolean);
      if (document.activeElement === el) el.blur();
      const before = near.map(rings);
      el.focus({ preventScroll: true });
      if (document.activeElement !== el) continue;
      let best = 0;
      near.forEach((e, i) => {
        for (const ring of rings(e)) {
          if (before[i].includes(ring) || !rgb(ring)) continue;
          best = Math.max(best, ratio(rgb(ring), behind(e.parentElement || e)));
        }
      });
      if (best < 3) problems.push([name(el), best.toFixed(2)]);
    }
    document.activeElement?.blur();
    return problems;
  },

  // In a table stacked for a phone (header row hidden, one cell a line), a cell that is only a
  // number needs its column's name (data-label) to mean anything.
  stackedNumbers() {
    return [...document.querySelectorAll("td")]
      .filter((td) => getComputedStyle(td).display === "block" && !td.dataset.label
        && /^[\s\d.,%:/-]+$/.test(td.textContent) && /\d/.test(td.textContent)
        && td.getClientRects().length && td.cellIndex > 0
        && td.closest("table").querySelectorAll("thead th").length > 1)
      .map((td) => {
        const heading = td.closest("section")?.querySelector("h2")?.textContent.trim() || "table";
        return `${heading}: td:nth-child(${td.cellIndex + 1}) "${td.textContent.trim()}"`;
      });
  },

  // After a refused form: "" when the focus is on the error summary (or the alert saying what
  // went wrong), else the name of the element that has it.
  focusOnError() {
    const at = document.activeElement;
    return at?.closest("[data-error-summary], [role=alert]") ? "" : (at?.tagName || "none").toLowerCase();
  },
})
