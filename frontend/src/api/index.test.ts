import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/app/Directory', () => ({
  Search: vi.fn(),
  Detail: vi.fn(),
  SetNote: vi.fn(),
  Propose: vi.fn(),
  Withdraw: vi.fn(),
  Restore: vi.fn(),
  Status: vi.fn(),
  RemoveDemo: vi.fn(),
  Reference: vi.fn(),
}));
vi.mock('../../wailsjs/go/app/Imports', () => ({ ChooseFiles: vi.fn(), Import: vi.fn(), Export: vi.fn(), ExportTo: vi.fn() }));
vi.mock('../../wailsjs/go/app/Shell', () => ({ Info: vi.fn(), Ready: vi.fn() }));
vi.mock('../../wailsjs/runtime/runtime', () => ({ ClipboardSetText: vi.fn(), BrowserOpenURL: vi.fn() }));

import * as DirectoryGo from '../../wailsjs/go/app/Directory';
import * as ImportsGo from '../../wailsjs/go/app/Imports';
import { ClipboardSetText } from '../../wailsjs/runtime/runtime';
import { ApiError, copyText, detail, importFiles, propose, search, toApiError } from './index';

beforeEach(() => vi.clearAllMocks());

describe('toApiError', () => {
  it('keeps Go’s {code, message}', () => {
    const e = toApiError({ code: 'invalid', message: '« Paris » n’est pas une commune des Hauts-de-Seine.' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('« Paris » n’est pas une commune des Hauts-de-Seine.');
  });
  it('reads {code, message} sent as a JSON string', () => {
    expect(toApiError('{"code":"not_found","message":"Aucun service."}')).toMatchObject({ code: 'not_found', message: 'Aucun service.' });
  });
  it('turns a bare string into an internal error with that text', () => {
    expect(toApiError('disque plein')).toMatchObject({ code: 'internal', message: 'disque plein' });
  });
  it('says in French that the backend is missing when the binding throws', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const e = toApiError(new TypeError("Cannot read properties of undefined (reading 'app')"));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/^Passerelle ne répond pas/);
  });
  it('never leaves an empty message', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(toApiError({ code: 'x', message: '' }).message).not.toBe('');
    expect(toApiError(undefined).message).toMatch(/erreur inattendue/);
  });
});

describe('wrapped calls', () => {
  it('reject with ApiError', async () => {
    vi.mocked(DirectoryGo.Propose).mockRejectedValue({ code: 'invalid', message: 'La proposition ne peut pas être enregistrée : nom : obligatoire.' });
    await expect(propose({} as never)).rejects.toMatchObject({ name: 'ApiError', code: 'invalid' });
  });

  it('reject with ApiError when the binding throws synchronously', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.mocked(DirectoryGo.Detail).mockImplementation(() => {
      throw new TypeError('window.go is undefined');
    });
    await expect(detail('x')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('turn Go’s null slices and maps into empty ones', async () => {
    vi.mocked(DirectoryGo.Search).mockResolvedValue({
      total: 1,
      remote: 0,
      hits: [{ service_uuid: 'u', why: null, thematiques: null, modes_accueil: null }],
      facets: { categories: null, open_days: null },
    } as never);
    const r = await search({} as never);
    expect(r.hits[0]).toMatchObject({ why: [], thematiques: [], modes_accueil: [] });
    expect(r.facets).toMatchObject({ categories: {}, themes: {}, open_days: {}, can_give: 0 });
    vi.mocked(ImportsGo.Import).mockResolvedValue({ imported: 0, updated: 0, unchanged: 0, rejected: null } as never);
    expect((await importFiles(['a'], 'auto')).rejected).toEqual([]);
    expect(ImportsGo.Import).toHaveBeenCalledWith(['a'], 'auto');
  });
});

describe('copyText', () => {
  it('uses the desktop clipboard', async () => {
    vi.mocked(ClipboardSetText).mockResolvedValue(true);
    expect(await copyText('rapport')).toBe(true);
    expect(ClipboardSetText).toHaveBeenCalledWith('rapport');
  });
});
