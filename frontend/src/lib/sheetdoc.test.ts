import { describe, expect, it } from 'vitest';
import type { SheetBlock, SheetDocument } from '../api';
// Go's golden layouts (internal/sheet/testdata): the preview is tested on the very trees the PDF
// is drawn from, so a change of the sheet shows up here too.
import full from '../../../internal/sheet/testdata/referral-full.golden.json';
import initiative from '../../../internal/sheet/testdata/initiative.golden.json';
import three from '../../../internal/sheet/testdata/referral-three.golden.json';
import { documentNodes, leaves, lineHeight, nodeAt, pageBox, pageNumbers, paginate, qrSays, type Heights, type SheetNode } from './sheetdoc';

const doc = (d: unknown) => d as SheetDocument;

/** Every text of a block tree, in reading order, as the PDF prints it. */
function textsOf(blocks: SheetBlock[]): string[] {
  return blocks.flatMap((b) => [
    ...(b.text ? [b.text] : []),
    ...(b.label ? [b.label] : []),
    ...(b.lines ?? []),
    ...(b.qrs ?? []).map((q) => q.caption),
    ...textsOf(b.blocks ?? []),
  ]);
}

function textsOfNodes(nodes: SheetNode[]): string[] {
  return leaves(nodes).flatMap((n) => [...(n.text ? [n.text] : []), ...(n.label ? [n.label] : []), ...n.lines, ...n.qrs.map((q) => q.caption)]);
}

describe('the document as HTML', () => {
  it.each([
    ['referral-full', full],
    ['referral-three', three],
    ['initiative', initiative],
  ])('%s: the same blocks, in the same order, with the same texts', (_, d) => {
    const nodes = documentNodes(doc(d));
    expect(textsOfNodes(nodes)).toEqual(textsOf(doc(d).blocks));
    expect(nodes.map((n) => n.kind)).toEqual(doc(d).blocks.map((b) => b.kind));
  });

  it('gives each kind its element, headings by depth', () => {
    const nodes = documentNodes(doc(full), 3);
    expect(nodes[0]).toMatchObject({ tag: 'h3', text: 'Votre fiche d’orientation', size: 22, bold: true, keepNext: true });
    expect(nodes[1]).toMatchObject({ tag: 'p', text: 'Le 23 novembre 2026', muted: true, gap: 0.5, size: 13 });
    const service = nodes[4];
    expect(service).toMatchObject({ kind: 'group', keep: true, gap: 5 });
    expect(service.children.map((c) => c.tag)).toEqual(['hr', 'h4', 'p', 'dl', 'dl', 'dl', 'dl', 'dl', 'dl', 'dl', 'dl', 'dl', 'dl', 'dl', 'div', 'p']);
    expect(service.children[1].text).toBe('Épicerie solidaire Le Panier du Cœur');
    const when = service.children.find((c) => c.label === 'Quand');
    expect(when?.lines).toEqual(['Le mardi et le jeudi, de 14 h à 18 h.', 'Le premier samedi du mois, de 10 h à 12 h.']);
    expect(nodeAt(nodes, [4, 1])).toBe(service.children[1]);
    expect(service.children[1].key).toBe('4.1');
  });

  it('keeps the QR codes with what they lead to', () => {
    const qr = leaves(documentNodes(doc(full))).find((n) => n.kind === 'qr');
    expect(qr?.qrSize).toBe(20);
    expect(qr?.qrs).toEqual([
      { content: 'https://panier-du-coeur.example.org/inscription', caption: 'Scannez pour faire la demande en ligne', says: 'ouvrir https://panier-du-coeur.example.org/inscription' },
      { content: 'tel:+33199000102', caption: 'Scannez pour appeler', says: 'appeler le +33199000102' },
    ]);
    expect(qrSays('tel:0102')).toBe('appeler le 0102');
  });

  it('ends with the worker’s block', () => {
    const last = leaves(documentNodes(doc(full))).at(-1);
    expect(last).toMatchObject({ tag: 'dl', label: 'Votre interlocuteur', lines: ['Claire Martin, EDAS Issy-les-Moulineaux', 'Tél. 01 41 23 45 67'] });
  });

  it('caps heading levels at h6 and gives a bare block a readable size', () => {
    const nodes = documentNodes({ blocks: [{ kind: 'group', blocks: [{ kind: 'heading', text: 'x' }] }, { kind: 'paragraph', text: 'y' }] as SheetBlock[] }, 6);
    expect(nodes[0].children[0].tag).toBe('h6');
    expect(nodes[1].size).toBe(12);
  });
});

describe('the page', () => {
  it('is A4 with its margins, and room for a header when there is one', () => {
    const d = doc(full);
    expect(pageBox(d.page, d.header)).toMatchObject({ width: 210, height: 297, contentTop: 12, contentLeft: 18, contentWidth: 174, contentHeight: 267, labelWidth: 46, footerBaseline: 288 });
    const i = doc(initiative);
    expect(pageBox(i.page, i.header)).toMatchObject({ contentTop: 18, contentHeight: 261, headerBaseline: 10 });
  });
  it('falls back to A4 for a page that makes no sense', () => {
    expect(pageBox({ size: '', width: 0, height: 0, margin_top: -3, margin_right: 99, margin_bottom: 0, margin_left: 0, label_width: 500 }, { size: 11 })).toMatchObject({
      width: 210, height: 297, contentTop: 0, contentWidth: 170, labelWidth: 85,
    });
  });
  it('numbers the pages as the footer says', () => {
    expect(pageNumbers({ size: 11, page_numbers: 'Page {page} sur {pages}' }, 1, 2)).toBe('Page 1 sur 2');
    expect(pageNumbers({ size: 11 }, 1, 2)).toBe('');
  });
});

describe('paginate', () => {
  // A small document: a title, two services (kept together), the worker.
  const blocks: SheetBlock[] = [
    { kind: 'heading', text: 'Titre', size: 22 },
    { kind: 'paragraph', gap: 1, text: 'Date', size: 13 },
    { kind: 'group', gap: 5, keep_together: true, blocks: [{ kind: 'rule' }, { kind: 'heading', gap: 1.5, text: 'A', size: 18 }, { kind: 'field', gap: 1, label: 'Où', lines: ['x'] }] },
    { kind: 'group', gap: 5, keep_together: true, blocks: [{ kind: 'rule' }, { kind: 'heading', gap: 1.5, text: 'B', size: 18 }, { kind: 'field', gap: 1, label: 'Où', lines: ['y'] }] },
  ];
  const nodes = documentNodes({ blocks });
  const heights = (h: Record<string, number>): Heights => ({ '0': 10, '1': 5, '2.0': 1, '2.1': 8, '2.2': 30, '3.0': 1, '3.1': 8, '3.2': 30, ...h });
  const keys = (pages: ReturnType<typeof paginate>) => pages.map((p) => p.map((x) => x.node.key));

  it('puts everything on one page when it fits, with the gaps between blocks', () => {
    const pages = paginate(nodes, heights({}), 267);
    expect(keys(pages)).toEqual([['0', '1', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2']]);
    expect(pages[0].map((p) => p.space)).toEqual([0, 1, 5, 1.5, 1, 5, 1.5, 1]);
  });

  it('moves a service kept together to the next page, its gap dropped there', () => {
    // 10 + 1+5 + 5+1+1.5+8+1+30 = 62.5; the second service needs 46.5 more.
    const pages = paginate(nodes, heights({}), 100);
    expect(keys(pages)).toEqual([['0', '1', '2.0', '2.1', '2.2'], ['3.0', '3.1', '3.2']]);
    expect(pages[1][0].space).toBe(0);
  });

  it('lets a service taller than a page flow, as the PDF does', () => {
    const pages = paginate(nodes, heights({ '2.2': 90 }), 100);
    // The group (106.5 mm) cannot fit on any page: its parts flow. The heading stays, as in
    // layout.go: its next line (the field's first) would fit; the field, uncut here, moves.
    expect(keys(pages)).toEqual([['0', '1', '2.0', '2.1'], ['2.2'], ['3.0', '3.1', '3.2']]);
    expect(pages[2].map((p) => p.space)).toEqual([0, 1.5, 1]);
  });

  it('never leaves a heading at the bottom of a page', () => {
    const flat = documentNodes({ blocks: [
      { kind: 'paragraph', text: 'a', size: 12 },
      { kind: 'heading', gap: 2, text: 'H', size: 18 },
      { kind: 'paragraph', gap: 1, text: 'b', size: 12 },
    ] as SheetBlock[] });
    const pages = paginate(flat, { '0': 80, '1': 9, '2': 20 }, 95);
    expect(keys(pages)).toEqual([['0'], ['1', '2']]);
    expect(lineHeight(12)).toBeCloseTo(5.08, 2);
  });

  it('gives one empty page for an empty document', () => {
    expect(paginate([], {}, 267)).toEqual([[]]);
  });
});
