// The preview of a printed sheet: Go's layout tree (internal/sheet.Document, the very tree the PDF
// is drawn from) turned into HTML nodes, and the same pagination as internal/pdf/layout.go, so
// that the screen shows what the printer will: the same blocks in the same order with the same
// texts, on A4 pages, in the same type sizes. Nothing here reads the DOM: SheetPreview.svelte
// measures the blocks and calls paginate.
import type { SheetBlock, SheetBlockKind, SheetDocument, SheetPage, SheetRunning } from '../api';

/** Millimetres in a point, and the PDF's line height in font sizes (internal/pdf/layout.go). */
export const PT_TO_MM = 25.4 / 72;
export const LINE_SPACING = 1.2;
/** Millimetres in a CSS pixel (96 px to the inch). */
export const PX_TO_MM = 25.4 / 96;
/** What the running header takes from the content (layout.go's headerRoom). */
export const HEADER_ROOM = 6;
/** Between a field's label and its value column, and between a QR code and its caption (mm). */
export const LABEL_GUTTER = 4;
export const QR_GUTTER = 5;

const EPS = 0.01;

/** A QR code of the sheet: what a phone reads, and the caption printed beside it. */
export interface SheetNodeQR {
  content: string;
  caption: string;
  /** What the code leads to, in words: « appeler le 01 99 00 01 02 », « ouvrir https://… ». */
  says: string;
}

/** One block of the sheet as HTML: its element and what it shows. */
export interface SheetNode {
  /** Its place in the tree (« 4 », « 4.2 »): a stable key for the screen. */
  key: string;
  path: number[];
  kind: SheetBlockKind;
  /** The HTML element: headings by depth, fields as a one-entry description list. */
  tag: 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'p' | 'dl' | 'hr' | 'div';
  gap: number; // mm above, dropped at the top of a page
  size: number; // pt
  bold: boolean;
  muted: boolean;
  text: string;
  label: string;
  lines: string[];
  qrs: SheetNodeQR[];
  qrSize: number; // mm
  keep: boolean; // a group never cut across pages unless taller than one
  keepNext: boolean; // a heading never ends a page
  children: SheetNode[];
}

/** clampSize is layout.go's: a size the PDF accepts, 12 pt when none is given. */
export function clampSize(s: number | undefined): number {
  if (!s || s <= 0) return 12;
  return Math.min(Math.max(s, 4), 72);
}

/** lineHeight is the height of one line of text of a size, in mm. */
export function lineHeight(size: number): number {
  return size * PT_TO_MM * LINE_SPACING;
}

/** qrSays tells what a code leads to, for a screen reader and for the placeholder. */
export function qrSays(content: string): string {
  if (content.startsWith('tel:')) return `appeler le ${content.slice(4)}`;
  return `ouvrir ${content}`;
}

function headingTag(level: number): SheetNode['tag'] {
  return `h${Math.min(Math.max(level, 2), 6)}` as SheetNode['tag'];
}

/**
 * sheetNodes maps the document's blocks to HTML nodes, in order. Headings of the top level get
 * level (the preview sits under the screen's own headings), those inside a group level + 1.
 */
export function sheetNodes(blocks: SheetBlock[], level = 3, parent: number[] = []): SheetNode[] {
  return blocks.map((b, i) => {
    const path = [...parent, i];
    const kind = b.kind;
    const node: SheetNode = {
      key: path.join('.'),
      path,
      kind,
      tag: 'div',
      gap: Math.max(b.gap ?? 0, 0),
      size: clampSize(b.size),
      bold: !!b.bold,
      muted: !!b.muted,
      text: b.text ?? '',
      label: b.label ?? '',
      lines: b.lines ?? [],
      qrs: (b.qrs ?? []).map((q) => ({ content: q.content, caption: q.caption, says: qrSays(q.content) })),
      qrSize: Math.min(Math.max(b.qr_size ?? 0, 15), 60),
      keep: kind === 'group' && !!b.keep_together,
      keepNext: kind === 'heading',
      children: [],
    };
    switch (kind) {
      case 'heading':
        node.tag = headingTag(level);
        break;
      case 'paragraph':
        node.tag = 'p';
        break;
      case 'field':
        node.tag = 'dl';
        break;
      case 'rule':
        node.tag = 'hr';
        break;
      case 'group':
        node.children = sheetNodes(b.blocks ?? [], level + 1, path);
        break;
    }
    return node;
  });
}

/** leaves lists the nodes that show something, in reading order (groups only hold others). */
export function leaves(nodes: SheetNode[]): SheetNode[] {
  return nodes.flatMap((n) => (n.kind === 'group' ? leaves(n.children) : [n]));
}

/** nodeAt finds a node by its path. */
export function nodeAt(nodes: SheetNode[], path: number[]): SheetNode | undefined {
  let list = nodes;
  let n: SheetNode | undefined;
  for (const i of path) {
    n = list[i];
    if (!n) return undefined;
    list = n.children;
  }
  return n;
}

/** The geometry of a page, in mm: where the content goes and how tall it may be. */
export interface PageBox {
  width: number;
  height: number;
  contentTop: number;
  contentLeft: number;
  contentWidth: number;
  contentHeight: number;
  labelWidth: number;
  headerBaseline: number;
  footerBaseline: number;
}

/** pageBox is layout.go's geometry: sane paper and margins, room for the header when there is one. */
export function pageBox(p: SheetPage, header: SheetRunning): PageBox {
  let { width, height } = p;
  if (!(width >= 50 && height >= 50 && width <= 1000 && height <= 2000)) [width, height] = [210, 297];
  const m = (v: number) => Math.min(Math.max(v || 0, 0), 40);
  const [top, right, bottom, left] = [m(p.margin_top), m(p.margin_right), m(p.margin_bottom), m(p.margin_left)];
  const room = (header.text ?? '').trim() ? HEADER_ROOM : 0;
  const contentWidth = width - left - right;
  return {
    width,
    height,
    contentTop: top + room,
    contentLeft: left,
    contentWidth,
    contentHeight: height - bottom - top - room,
    labelWidth: Math.min(Math.max(p.label_width || 0, 0), contentWidth / 2),
    headerBaseline: top - 2,
    footerBaseline: height - bottom + 9,
  };
}

/** pageNumbers writes « Page 1 sur 2 » from the footer's pattern; "" when it has none. */
export function pageNumbers(footer: SheetRunning, page: number, pages: number): string {
  return (footer.page_numbers ?? '').replaceAll('{page}', String(page)).replaceAll('{pages}', String(pages));
}

/** The measured height of every leaf, in mm, by key. */
export type Heights = Record<string, number>;

/** One leaf placed on a page, with the space above it (its gap, or none at the top of a page). */
export interface Placed {
  node: SheetNode;
  space: number; // mm
}

/**
 * paginate places the leaves on pages as internal/pdf/layout.go does: a group kept together moves
 * whole to the next page when it does not fit (unless taller than a page, then it flows), a
 * heading never ends a page, and a gap is dropped at the top of a page. A leaf is never cut.
 */
export function paginate(nodes: SheetNode[], heights: Heights, pageHeight: number): Placed[][] {
  const pages: Placed[][] = [[]];
  let y = 0; // from the content's top
  let end = 0; // where the last leaf of the page ends
  const atTop = () => y <= EPS;
  const fits = (h: number) => y + h <= pageHeight + EPS;
  const newPage = () => {
    pages.push([]);
    y = 0;
    end = 0;
  };
  const own = (n: SheetNode) => heights[n.key] ?? 0;
  const height = (n: SheetNode, top: boolean): number =>
    (top ? 0 : n.gap) + (n.kind === 'group' ? n.children.reduce((h, c, i) => h + height(c, top && i === 0), 0) : own(n));
  const lead = (n: SheetNode, top: boolean): number => {
    const g = top ? 0 : n.gap;
    if (n.kind !== 'group') return g + Math.min(own(n), n.kind === 'heading' || n.kind === 'paragraph' || n.kind === 'field' ? lineHeight(n.size) : own(n));
    return n.children.length ? g + lead(n.children[0], top) : g;
  };
  const addGap = (g: number) => {
    if (!atTop()) y += g;
  };
  const emitLeaf = (n: SheetNode) => {
    pages[pages.length - 1].push({ node: n, space: y - end });
    y += own(n);
    end = y;
  };
  const emit = (n: SheetNode) => {
    addGap(n.gap);
    if (n.kind === 'group') n.children.forEach(emit);
    else emitLeaf(n);
  };
  const place = (n: SheetNode) => {
    if (fits(height(n, atTop()))) {
      emit(n);
      return;
    }
    if ((n.keep || n.kind !== 'group') && height(n, true) <= pageHeight + EPS) {
      newPage();
      emit(n);
      return;
    }
    // Taller than a page, or free to be cut: its parts flow.
    addGap(n.gap);
    if (n.kind === 'group') sequence(n.children);
    else {
      if (!fits(own(n)) && !atTop()) newPage();
      emitLeaf(n);
    }
  };
  const sequence = (list: SheetNode[]) => {
    list.forEach((c, i) => {
      if (c.keepNext && i + 1 < list.length && !atTop()) {
        const next = lead(list[i + 1], false);
        if (!fits(height(c, false) + next) && height(c, true) + next <= pageHeight) newPage();
      }
      place(c);
    });
  };
  sequence(nodes);
  return pages;
}

/** documentNodes is sheetNodes of a whole document. */
export function documentNodes(doc: Pick<SheetDocument, 'blocks'>, level = 3): SheetNode[] {
  return sheetNodes(doc.blocks, level);
}
