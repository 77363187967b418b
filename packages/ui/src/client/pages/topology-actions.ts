import { api, ApiError, token } from '../api.js';
import { h } from '../dom.js';

/** Which of Storm's actions a status allows (Storm UI's rules). */
const ALLOWED: Record<string, (status: string) => boolean> = {
  activate: (s) => s === 'INACTIVE',
  deactivate: (s) => s === 'ACTIVE',
  rebalance: (s) => s === 'ACTIVE' || s === 'INACTIVE',
  kill: (s) => s !== 'KILLED',
};

/**
 * Activate, deactivate, rebalance and kill, sent with the token the user typed (kept in
 * sessionStorage: this tab only, gone when it closes). Built once per page, so a poll
 * never clears what is being typed; `setStatus` enables the buttons the status allows.
 */
export class TopologyActions {
  readonly el: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly result = h('p', { class: 'action-result', role: 'status', id: 'action-result' });
  private readonly wait = h('input', { type: 'number', min: 0, step: 1, id: 'action-wait', inputmode: 'numeric', placeholder: 'timeout', 'aria-describedby': 'wait-hint' });
  private readonly workers = h('input', { type: 'number', min: 1, step: 1, id: 'action-workers', inputmode: 'numeric', placeholder: 'same' });

  constructor(
    private readonly topologyId: string,
    private readonly name: () => string,
    private readonly afterAction: () => void,
  ) {
    const tokenInput = h('input', { type: 'password', id: 'token', autocomplete: 'off', value: token.get(), placeholder: 'none set' });
    const saveToken = () => {
      token.set(tokenInput.value.trim());
      this.say(tokenInput.value.trim() === '' ? 'token cleared' : 'token kept for this tab');
    };
    for (const action of ['activate', 'deactivate', 'rebalance', 'kill']) {
      const button = h('button', { type: 'button', class: action === 'kill' ? 'danger' : undefined, 'data-action': action, 'data-key': `action:${action}`, onclick: () => void this.run(action) }, action[0].toUpperCase() + action.slice(1));
      this.buttons.set(action, button);
    }
    this.el = h(
      'section',
      { class: 'actions', 'aria-labelledby': 'actions-title' },
      h('h2', { id: 'actions-title' }, 'Actions'),
      h('div', { class: 'action-row' }, ...this.buttons.values()),
      h(
        'form',
        {
          class: 'action-row',
          // Enter in the token field keeps it, as the button does; nothing is ever submitted anywhere.
          onsubmit: (e) => {
            e.preventDefault();
            saveToken();
          },
        },
        h('label', { for: 'action-wait' }, 'Wait (s)'),
        this.wait,
        h('label', { for: 'action-workers' }, 'Workers (rebalance)'),
        this.workers,
        h('label', { for: 'token' }, 'Token'),
        // A username field the browser's password manager expects beside a password; hidden, never filled.
        h('input', { type: 'text', autocomplete: 'username', hidden: true, 'aria-hidden': 'true', tabindex: -1, value: 'topo' }),
        tokenInput,
        h('button', { type: 'submit', 'data-key': 'token-save' }, 'Use token'),
      ),
      h('p', { id: 'wait-hint', class: 'muted small' }, 'Kill and rebalance deactivate the spouts for the wait (empty: the message timeout) first. The token is the one nimbus was started with.'),
      this.result,
    );
  }

  setStatus(status: string | undefined): void {
    for (const [action, button] of this.buttons) button.disabled = status === undefined || !ALLOWED[action](status);
  }

  private async run(action: string): Promise<void> {
    const wait = this.wait.value.trim();
    if (wait !== '' && !/^\d+$/.test(wait)) return this.say('the wait is whole seconds', true);
    const workers = this.workers.value.trim();
    if (action === 'rebalance' && workers !== '' && !/^[1-9]\d*$/.test(workers)) return this.say('workers is a whole number, at least 1', true);
    if (action === 'kill' && !window.confirm(`Kill ${this.name()}? Its spouts stop now and its workers after the wait.`)) return;
    const path = (action === 'kill' || action === 'rebalance') && wait !== '' ? `${action}/${wait}` : action;
    const body = action === 'rebalance' && workers !== '' ? { rebalanceOptions: { numWorkers: Number(workers) } } : undefined;
    this.say(`${action}: sending…`);
    try {
      const answer = await api.action(this.topologyId, path, body);
      this.say(`${action}: ${answer.status ?? 'done'}`);
    } catch (error) {
      const why = error instanceof ApiError && error.status === 401 ? `${error.message} (enter the token below and press "Use token")` : error instanceof Error ? error.message : String(error);
      this.say(`${action} refused: ${why}`, true);
    }
    this.afterAction();
  }

  private say(text: string, failed = false): void {
    this.result.textContent = text;
    this.result.classList.toggle('failed', failed);
  }
}
