import type { ComponentStats, Visualization } from '../rest-types.js';
import { replaceChildren, svg } from '../dom.js';
import { decimal, rate, toNumber } from '../format.js';
import { componentHref } from '../route.js';
import { capacityColour } from './capacity-colour.js';
import { edgeCounts, edgeKey, RateTracker, uptimeSecs, visualizationEdges } from './edge-rates.js';
import { DEFAULT_BOX, layoutGraph, type GraphEdge, type PlacedNode } from './graph-layout.js';

/** Errors younger than this are marked, as Storm's UI paints them red for 30 minutes. */
const RECENT_ERROR_SECS = 1800;

/** What the graph shows of a component besides the visualization: its row of the component table. */
export interface NodeFacts extends ComponentStats {
  capacity?: unknown;
  completeLatency?: unknown;
  /** Workers (host:port) hosting this component whose spouts are held back. */
  backpressureIn?: string[];
}

/**
 * The topology drawn live: components as nodes (spouts as arrows, bolts coloured by
 * capacity), one edge per subscription labelled with tuples/s, backpressure and recent
 * errors marked. Each node is a link to its component page, reachable with Tab.
 */
export class TopologyGraph {
  readonly el = svg('svg', { class: 'graph', role: 'group', 'aria-label': 'Topology graph' });
  private readonly rates = new RateTracker();

  constructor(private readonly topologyId: string, private readonly window: string) {}

  update(vis: Visualization, facts: ReadonlyMap<string, NodeFacts>, nowMs = Date.now()): void {
    const nodes = Object.entries(vis).map(([id, n]) => ({ id, type: n[':type'] === 'spout' ? ('spout' as const) : ('bolt' as const) }));
    const edges = visualizationEdges(vis).filter((e) => vis[e.from] !== undefined);
    const layout = layoutGraph(nodes, edges);
    // Live rates follow the all-time counts, which only grow; the window's counts shrink as buckets age out.
    const counts = edgeCounts(vis, edges, ':all-time');
    this.rates.observe(nowMs, counts);
    const box = DEFAULT_BOX;
    this.el.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    this.el.setAttribute('width', String(layout.width));
    this.el.setAttribute('height', String(layout.height));

    const edgeEls = edges.map((e) => {
      const from = layout.nodes.get(e.from)!;
      const to = layout.nodes.get(e.to)!;
      const perSec = this.rates.rate(edgeKey(e)) ?? averageRate(counts.get(edgeKey(e)), uptimeSecs(vis, e.from));
      return drawEdge(e, from, to, perSec, box.nodeWidth, box.nodeHeight);
    });
    const nodeEls = [...layout.nodes.values()].map((n) => this.drawNode(n, vis, facts.get(n.id) ?? {}));
    replaceChildren(
      this.el,
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))),
      svg('g', { class: 'edges' }, ...edgeEls),
      svg('g', { class: 'nodes' }, ...nodeEls),
    );
  }

  private drawNode(n: PlacedNode, vis: Visualization, facts: NodeFacts): SVGElement {
    const { nodeWidth: w, nodeHeight: hgt } = DEFAULT_BOX;
    const capacity = toNumber(facts.capacity ?? vis[n.id][':capacity']);
    const recentError = (facts.lastError ?? '') !== '' && (facts.errorLapsedSecs ?? 0) < RECENT_ERROR_SECS;
    const backpressure = (facts.backpressureIn ?? []).length > 0;
    const shape =
      n.type === 'spout'
        ? svg('path', { d: `M${n.x},${n.y} h${w - 18} l18,${hgt / 2} l-18,${hgt / 2} h${-(w - 18)} z`, class: 'node-shape spout' })
        : svg('rect', { x: n.x, y: n.y, width: w, height: hgt, rx: 10, class: 'node-shape bolt', fill: capacityColour(capacity) });
    const detail =
      n.type === 'spout'
        ? `latency ${decimal(facts.completeLatency ?? vis[n.id][':latency'], 1)} ms`
        : `capacity ${decimal(capacity)}`;
    const marks = [backpressure ? 'backpressure' : '', recentError ? 'error' : ''].filter((m) => m !== '');
    const summary = [`${n.type} ${n.id}`, detail, ...marks.map((m) => (m === 'error' ? `last error: ${(facts.lastError ?? '').slice(0, 200)}` : `backpressure in worker ${(facts.backpressureIn ?? []).join(', ')}`))].join('\n');
    return svg(
      'a',
      {
        href: componentHref(this.topologyId, n.id, this.window),
        class: ['node', n.type, backpressure ? 'backpressure' : '', recentError ? 'has-error' : ''].filter((c) => c !== '').join(' '),
        'data-key': `node:${n.id}`,
        'data-component': n.id,
        'aria-label': summary.replace(/\n/g, '; '),
      },
      svg('title', {}, summary),
      shape,
      svg('text', { x: n.x + 12, y: n.y + 23, class: 'node-name' }, clip(n.id, 19)),
      svg('text', { x: n.x + 12, y: n.y + 42, class: 'node-detail' }, detail),
      backpressure ? svg('text', { x: n.x + w - 30, y: n.y + 16, class: 'mark mark-bp' }, 'BP') : null,
      recentError ? svg('g', { class: 'mark mark-error' }, svg('circle', { cx: n.x + w - 4, cy: n.y + 4, r: 10 }), svg('text', { x: n.x + w - 4, y: n.y + 8.5 }, '!')) : null,
    );
  }
}

function drawEdge(e: GraphEdge, from: PlacedNode, to: PlacedNode, perSec: number | undefined, w: number, hgt: number): SVGElement {
  const forward = to.layer > from.layer;
  const x1 = from.x + w;
  const y1 = from.y + hgt / 2;
  const x2 = forward ? to.x : to.x + w / 2;
  const y2 = forward ? to.y + hgt / 2 : to.y + hgt;
  const bend = forward ? Math.max(40, (x2 - x1) / 2) : 80;
  // A backward edge (a cycle) loops under the nodes rather than through them.
  const d = forward ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` : `M${x1},${y1} C${x1 + bend},${y1 + 90} ${x2},${y2 + 90} ${x2},${y2}`;
  const label = `${e.stream === 'default' ? '' : `${e.stream}: `}${rate(perSec)}`;
  const width = perSec === undefined || perSec <= 0 ? 1.5 : Math.min(7, 1.5 + Math.log10(1 + perSec));
  const mx = forward ? (x1 + x2) / 2 : (x1 + x2) / 2;
  const my = forward ? (y1 + y2) / 2 - 6 : Math.max(y1, y2) + 70;
  return svg(
    'g',
    { class: 'edge', 'data-from': e.from, 'data-to': e.to, 'data-stream': e.stream },
    svg('title', {}, `${e.from} → ${e.to}\nstream ${e.stream}, ${e.grouping ?? '?'} grouping\n${rate(perSec)}`),
    svg('path', { d, class: 'edge-line', 'stroke-width': width.toFixed(1), 'marker-end': 'url(#arrow)' }),
    svg('text', { x: mx, y: my, class: 'edge-label', 'text-anchor': 'middle' }, label),
  );
}

/** Before two reads span the rate tracker's interval: the average since the component started. */
function averageRate(total: number | undefined, uptime: number | undefined): number | undefined {
  return total === undefined || uptime === undefined || uptime <= 0 ? undefined : total / uptime;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
