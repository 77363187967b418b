/** What `h` and `svg` accept as a child: nodes and text; null, undefined and false are left out. */
export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

function fill<E extends Element>(el: E, attrs: Attrs, children: Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  return el;
}

/** An HTML element: attributes (`onclick` and friends become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

/**
 * Replaces `el`'s children, keeping the keyboard focus where it was: the element with the
 * same `data-key` gets it back, so a poll never yanks a focused link or button away.
 */
export function replaceChildren(el: Element, ...children: Child[]): void {
  const active = document.activeElement;
  const key = active instanceof Element && el.contains(active) ? active.getAttribute('data-key') : null;
  el.replaceChildren(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
  if (key !== null) (el.querySelector(`[data-key="${CSS.escape(key)}"]`) as HTMLElement | SVGElement | null)?.focus();
}

/** A column of a table: its header and how a row fills its cell. */
export interface Column<R> {
  title: string;
  cell: (row: R) => Child;
  numeric?: boolean;
  /** Hover text on the header. */
  hint?: string;
}

/** A table with a caption; `rowClass` marks rows (an error, the selected window). */
export function table<R>(caption: string, columns: Column<R>[], rows: R[], options: { rowClass?: (row: R) => string | undefined; empty?: string; id?: string } = {}): HTMLElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined, title: c.hint }, c.title)));
  const body = rows.map((row) => h('tr', { class: options.rowClass?.(row) }, ...columns.map((c) => h('td', { class: c.numeric ? 'num' : undefined }, c.cell(row)))));
  if (rows.length === 0) body.push(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, options.empty ?? 'none')));
  return h('div', { class: 'table-wrap' }, h('table', { id: options.id }, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, ...body)));
}

/** A link inside the UI (hash route), with a key so that it keeps focus across refreshes. */
export function link(href: string, text: Child, key = href): HTMLAnchorElement {
  return h('a', { href, 'data-key': key }, text);
}
