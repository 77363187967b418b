import { WINDOWS } from '../rest-types.js';
import { h } from '../dom.js';

/** Storm's four stats windows as links styled as a toggle group; the selected one is marked for assistive tech too. */
export function windowSelector(selected: string, href: (window: string) => string): HTMLElement {
  return h(
    'nav',
    { class: 'windows', 'aria-label': 'Stats window' },
    ...WINDOWS.map((w) => h('a', { href: href(w.window), class: 'window', 'aria-current': w.window === selected ? 'true' : undefined, 'data-key': `window:${w.window}`, 'data-window': w.window }, w.label)),
  );
}
