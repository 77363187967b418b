import { api, token } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import type { Page } from '../page.js';

/** Bytes of the log's end shown (Storm's logviewer sends its last 51,200 bytes by default). */
const TAIL_BYTES = 51_200;

/**
 * The end of a worker's log, re-read every poll, from the link the API gave (a
 * supervisor's logviewer). When the logviewer is absent or the browser may not read it,
 * the page says so and offers the plain link.
 */
export function logPage(url: string, title: string): Page {
  const pre = h('pre', { class: 'log', tabindex: 0, 'aria-label': `${title} log` });
  const note = h('p', { class: 'muted small', role: 'status' });
  const follow = h('input', { type: 'checkbox', id: 'follow', checked: true });
  let target: URL | undefined;
  try {
    target = new URL(url, location.href);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') target = undefined;
  } catch {
    target = undefined;
  }
  return {
    title,
    crumbs: [{ href: location.hash, text: title }],
    el: h(
      'div',
      {},
      h('h1', {}, title),
      h('p', { class: 'small' }, target ? h('a', { href: target.href, target: '_blank', rel: 'noopener noreferrer' }, 'open the raw log') : 'not a web link: ', target ? '' : url, ' ', h('label', { for: 'follow' }, follow, ' follow the end')),
      note,
      pre,
    ),
    async refresh() {
      if (target === undefined) {
        note.textContent = 'This log link is not an http(s) address.';
        return;
      }
      const text = await readTail(target);
      if (text === undefined) return;
      replaceChildren(pre, text);
      note.textContent = `last ${TAIL_BYTES.toLocaleString('en-US')} bytes at most`;
      if (follow.checked) pre.scrollTop = pre.scrollHeight;
    },
  };

  async function readTail(at: URL): Promise<string | undefined> {
    // The token goes only where the cluster's own supervisors (or this server) listen: a crafted link must not collect it.
    const trusted = at.origin === location.origin || (await supervisorHosts()).has(at.hostname);
    const headers: Record<string, string> = trusted && token.get() !== '' ? { authorization: `Bearer ${token.get()}` } : {};
    let res: Response;
    try {
      res = await fetch(at, { headers, cache: 'no-store' });
    } catch {
      note.textContent = 'The browser could not read this log from here (no logviewer at that address, or it does not allow this page to read it). Use the raw link above, or `topo logs`.';
      return undefined;
    }
    if (!res.ok) {
      note.textContent = `The logviewer answered ${res.status}${res.status === 401 ? ': enter the token on the topology page' : ''}.`;
      return undefined;
    }
    const body = await res.text();
    return (res.headers.get('content-type') ?? '').includes('json') ? logText(JSON.parse(body)) : body;
  }
}

async function supervisorHosts(): Promise<Set<string>> {
  const list = await api.supervisors().catch(() => ({ supervisors: [] }));
  return new Set((list.supervisors ?? []).map((s) => s.host ?? '').filter((host) => host !== ''));
}

/** The text of a JSON log answer, whichever of the usual field names it uses. */
function logText(body: unknown): string {
  if (typeof body === 'string') return body;
  const b = body as Record<string, unknown>;
  for (const key of ['content', 'data', 'log', 'text']) if (typeof b[key] === 'string') return b[key] as string;
  if (Array.isArray(b.lines)) return b.lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  return JSON.stringify(body, null, 2);
}
