// Progressive enhancement: start the GOV.UK and MoJ components. Every page works without this.
import { initAll } from '/assets/govuk-frontend.min.js';
initAll();

// A table box that scrolls sideways (on a phone) becomes a region named by its caption that the keyboard can reach and scroll.
function reachableScrollBoxes() {
  const named = new Map();
  for (const box of document.querySelectorAll('.reachable-table-scroll')) {
    if (box.scrollWidth > box.clientWidth) {
      const caption = box.querySelector('caption');
      // Each region's name is unique on the page: two tables with one caption are told apart by their order.
      const name = (caption && caption.textContent.trim().replace(/\s+/g, ' ')) || 'Table';
      const seen = (named.get(name) || 0) + 1;
      named.set(name, seen);
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', seen === 1 ? name : `${name} (${seen})`);
    } else {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  }
}
reachableScrollBoxes();
window.addEventListener('resize', reachableScrollBoxes);
