/** A page of the UI: built once, then refreshed in place by the poll loop. */
export interface Page {
  title: string;
  /** Breadcrumb links above the page, after "Topo". */
  crumbs: { href: string; text: string }[];
  el: HTMLElement;
  /** Fetches and redraws; a rejection shows in the header and the next poll tries again. */
  refresh(): Promise<void>;
}
