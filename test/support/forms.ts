// Reads a form off a page as a browser would submit it: hidden fields,
// filled inputs, checked radios and boxes, selected options, textareas. The
// walks use it so a form that forgets its hidden version fails the test.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? whole),
  );

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) found[m[1].toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  return found;
}

/** The fields the first form posting to `action` would send, or undefined when the page has no such form. */
export function formFields(html: string, action: string): Record<string, string | string[]> | undefined {
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    if (attributes(form[1]).action !== action) continue;
    const fields: Record<string, string | string[]> = {};
    const add = (name: string, value: string) => {
      const had = fields[name];
      fields[name] = had === undefined ? value : [had, value].flat();
    };
    const inner = form[2];
    for (const m of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(m[1]);
      if (!a.name || ['submit', 'button', 'file'].includes(a.type ?? '')) continue;
      if ((a.type === 'radio' || a.type === 'checkbox') && !('checked' in a)) continue;
      add(a.name, a.value ?? (a.type === 'checkbox' ? 'on' : ''));
    }
    for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const a = attributes(m[1]);
      if (a.name) add(a.name, decode(m[2].replace(/^\n/, '')));
    }
    for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const a = attributes(m[1]);
      if (!a.name) continue;
      const options = [...m[2].matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o): Record<string, string> => ({ ...attributes(o[1]), text: decode(o[2].trim()) }));
      const chosen = options.filter((o) => 'selected' in o);
      for (const o of chosen.length ? chosen : options.slice(0, 1)) add(a.name, o.value ?? o.text);
    }
    return fields;
  }
  return undefined;
}
