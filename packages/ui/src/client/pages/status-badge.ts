import { h } from '../dom.js';

/** A topology's status as a coloured word, with its problem (a crash loop, a failed start) beside it. */
export function statusBadge(status: string | undefined, problem?: string): HTMLElement {
  const word = status ?? 'UNKNOWN';
  const badge = h('span', { class: `status status-${word.toLowerCase().replace(/[^a-z]/g, '')}` }, word);
  return problem ? h('span', {}, badge, ' ', h('span', { class: 'problem' }, problem)) : badge;
}
