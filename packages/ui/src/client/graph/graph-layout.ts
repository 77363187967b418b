// Where the topology graph's nodes go: columns by depth from the spouts (data flows left
// to right), rows ordered to keep edges short. Plain data in and out, so it is tested
// without a browser.

export interface GraphNode {
  id: string;
  type: 'spout' | 'bolt';
}

export interface GraphEdge {
  from: string;
  to: string;
  stream: string;
  grouping?: string;
}

export interface PlacedNode extends GraphNode {
  /** Column: 0 for sources, else one more than the deepest upstream node (cycles broken where found). */
  layer: number;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface GraphLayout {
  nodes: Map<string, PlacedNode>;
  width: number;
  height: number;
}

export interface LayoutBox {
  nodeWidth: number;
  nodeHeight: number;
  columnGap: number;
  rowGap: number;
  margin: number;
}

export const DEFAULT_BOX: LayoutBox = { nodeWidth: 168, nodeHeight: 56, columnGap: 110, rowGap: 34, margin: 16 };

export function layoutGraph(nodes: GraphNode[], edges: GraphEdge[], box: LayoutBox = DEFAULT_BOX): GraphLayout {
  const ids = nodes.map((n) => n.id).sort();
  const known = new Set(ids);
  const inputs = new Map(ids.map((id) => [id, new Set<string>()]));
  const outputs = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const e of edges) {
    if (!known.has(e.from) || !known.has(e.to) || e.from === e.to) continue;
    inputs.get(e.to)!.add(e.from);
    outputs.get(e.from)!.add(e.to);
  }
  const layer = new Map<string, number>();
  // Kahn's order; when only cycles remain, the node with the fewest unplaced inputs (then spouts, then by name) goes next, which breaks the cycle there.
  const type = new Map(nodes.map((n) => [n.id, n.type]));
  while (layer.size < ids.length) {
    const remaining = ids.filter((id) => !layer.has(id));
    const unplacedInputs = (id: string) => [...inputs.get(id)!].filter((u) => !layer.has(u)).length;
    const ready = remaining.filter((id) => unplacedInputs(id) === 0);
    const next = ready.length > 0 ? ready : [remaining.reduce((best, id) => (rank(id) < rank(best) ? id : best))];
    for (const id of next) layer.set(id, Math.max(-1, ...[...inputs.get(id)!].filter((u) => layer.has(u)).map((u) => layer.get(u)!)) + 1);
    function rank(id: string): number {
      return unplacedInputs(id) * 2 + (type.get(id) === 'spout' ? 0 : 1);
    }
  }

  const columns: string[][] = [];
  for (const id of ids) (columns[layer.get(id)!] ??= []).push(id);
  // Rows: each column sorted by the mean row of its inputs in the columns before it.
  const row = new Map<string, number>();
  columns.forEach((column, c) => {
    if (c > 0) {
      const centre = (id: string) => {
        const ups = [...inputs.get(id)!].filter((u) => row.has(u));
        return ups.length === 0 ? Number.POSITIVE_INFINITY : ups.reduce((s, u) => s + row.get(u)!, 0) / ups.length;
      };
      column.sort((a, b) => centre(a) - centre(b) || (a < b ? -1 : 1));
    }
    column.forEach((id, r) => row.set(id, r));
  });

  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const height = box.margin * 2 + tallest * box.nodeHeight + (tallest - 1) * box.rowGap;
  const width = box.margin * 2 + columns.length * box.nodeWidth + Math.max(0, columns.length - 1) * box.columnGap;
  const placed = new Map<string, PlacedNode>();
  columns.forEach((column, c) => {
    const columnHeight = column.length * box.nodeHeight + (column.length - 1) * box.rowGap;
    const top = (height - columnHeight) / 2;
    column.forEach((id, r) => {
      placed.set(id, { id, type: type.get(id)!, layer: c, x: box.margin + c * (box.nodeWidth + box.columnGap), y: top + r * (box.nodeHeight + box.rowGap) });
    });
  });
  return { nodes: placed, width, height };
}
