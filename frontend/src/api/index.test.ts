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
  ReportError: vi.fn(),
}));
vi.mock('../../wailsjs/go/app/Sync', () => ({ Status: vi.fn(), Enroll: vi.fn(), SyncNow: vi.fn() }));
vi.mock('../../wailsjs/go/app/Imports', () => ({ ChooseFiles: vi.fn(), Import: vi.fn(), Export: vi.fn(), ExportTo: vi.fn() }));
vi.mock('../../wailsjs/go/app/Shell', () => ({ Info: vi.fn(), Ready: vi.fn() }));
vi.mock('../../wailsjs/go/app/Usagers', () => ({ List: vi.fn(), Get: vi.fn(), Create: vi.fn(), Update: vi.fn(), Delete: vi.fn(), Consent: vi.fn() }));
vi.mock('../../wailsjs/go/app/Interviews', () => ({
  Start: vi.fn(), Get: vi.fn(), Answer: vi.fn(), Complete: vi.fn(), SetNextContact: vi.fn(), Needs: vi.fn(), Suggestions: vi.fn(),
  Select: vi.fn(), Grids: vi.fn(), ImportGrid: vi.fn(),
}));
vi.mock('../../wailsjs/go/app/Referrals', () => ({
  Prepare: vi.fn(), Sheet: vi.fn(), MarkGiven: vi.fn(), SavePDF: vi.fn(), OpenPDF: vi.fn(), InitiativePDF: vi.fn(), SetStatus: vi.fn(),
  SetFollowUp: vi.fn(), Due: vi.fn(), OfUsager: vi.fn(), RecentSheets: vi.fn(), Vocabulary: vi.fn(),
}));
vi.mock('../../wailsjs/go/app/Settings', () => ({ Get: vi.fn(), Save: vi.fn() }));
vi.mock('../../wailsjs/runtime/runtime', () => ({ ClipboardSetText: vi.fn(), BrowserOpenURL: vi.fn() }));

import * as DirectoryGo from '../../wailsjs/go/app/Directory';
import * as ImportsGo from '../../wailsjs/go/app/Imports';
import * as SyncGo from '../../wailsjs/go/app/Sync';
import * as InterviewsGo from '../../wailsjs/go/app/Interviews';
import * as ReferralsGo from '../../wailsjs/go/app/Referrals';
import * as UsagersGo from '../../wailsjs/go/app/Usagers';
import { ClipboardSetText } from '../../wailsjs/runtime/runtime';
import {
  ApiError, copyText, createUsager, detail, dueReferrals, enroll, getInterview, getSheet, reportError, syncNow, syncStatus, getUsager, importFiles, importGrid, listUsagers, needs, propose, referralVocabulary, saveAnswer, search,
  setReferralStatus, suggestions, toApiError,
} from './index';

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

describe('usager files and interviews', () => {
  it('turn Go’s nulls into empty lists and maps', async () => {
    vi.mocked(UsagersGo.List).mockResolvedValue(null as never);
    expect(await listUsagers('')).toEqual([]);
    vi.mocked(UsagersGo.Get).mockResolvedValue({ uuid: 'u', usager: { display_name: 'A', birth_year: null }, interviews: null, journey: [{ domain: 'liens', points: null }], retention_until: '' } as never);
    const f = await getUsager('u');
    expect(f.interviews).toEqual([]);
    expect(f.journey[0]).toMatchObject({ points: [], first: null, latest: null });
    vi.mocked(InterviewsGo.Needs).mockResolvedValue([{ domain: 'liens', thematiques: null, categories: null, publics: null, words: null }] as never);
    expect((await needs('i'))[0]).toMatchObject({ thematiques: [], categories: [], words: [], self_assessment: null, worker_rating: null });
    vi.mocked(InterviewsGo.Suggestions).mockResolvedValue([{ hit: { why: null, thematiques: null, modes_accueil: null }, domains: null }] as never);
    expect((await suggestions('i'))[0]).toMatchObject({ domains: [], hit: { why: [] } });
    vi.mocked(InterviewsGo.ImportGrid).mockResolvedValue(null as never);
    expect(await importGrid()).toBeNull();
  });

  it('send an answer with the worker’s rating and the health flag, and read the fresh view', async () => {
    vi.mocked(InterviewsGo.Answer).mockResolvedValue({
      uuid: 'i', interview: { status: 'en-cours' }, grid: { domains: [{ id: 'liens', questions: [{ id: 'q', options: null }], thematiques: null }] },
      answers: null, previous: null, visible: null, progress: null, history: null,
    } as never);
    const v = await saveAnswer('i', 'liens-auto', { number: 2 }, 4, false);
    expect(InterviewsGo.Answer).toHaveBeenCalledWith('i', 'liens-auto', { number: 2 }, 4, false);
    expect(v).toMatchObject({ answers: {}, previous: {}, visible: {}, progress: [], history: [], previous_at: null });
    expect(v.grid.domains[0].questions[0].options).toEqual([]);
  });

  it('reject a file without consent with Go’s French message', async () => {
    vi.mocked(UsagersGo.Create).mockRejectedValue({ code: 'invalid', message: 'Un dossier ne peut être ouvert qu’avec l’accord de la personne : lisez-lui le texte de consentement et cochez son accord.' });
    await expect(createUsager({ display_name: 'A', birth_year: null, commune: '92050', household: '', contact: '', notes: '', consent: false })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('accord de la personne'),
    });
  });
});

describe('referral sheets', () => {
  it('turn Go’s nulls into empty lists, down the sheet’s layout tree', async () => {
    vi.mocked(ReferralsGo.Due).mockResolvedValue(null as never);
    expect(await dueReferrals()).toEqual([]);
    vi.mocked(ReferralsGo.Sheet).mockResolvedValue({
      sheet_uuid: 's',
      referrals: [{ uuid: 'r', history: null }],
      document: { blocks: [{ kind: 'group', blocks: [{ kind: 'field', label: 'Où', lines: null }] }] },
    } as never);
    const v = await getSheet('s');
    expect(v.referrals[0].history).toEqual([]);
    expect(v.document.blocks[0].blocks?.[0]).toMatchObject({ lines: [], qrs: [], blocks: [] });
  });

  it('send an outcome with its reason, and read Go’s conflict in French', async () => {
    vi.mocked(ReferralsGo.SetStatus).mockRejectedValue({ code: 'conflict', message: 'Une orientation au statut « Annulée » ne peut plus changer de statut.' });
    await expect(setReferralStatus('r', 'non-recours', 'horaires')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('ne peut plus changer') });
    expect(ReferralsGo.SetStatus).toHaveBeenCalledWith('r', 'non-recours', 'horaires', '', '');
  });

  it('ask the vocabulary once, and again after a failure', async () => {
    vi.mocked(ReferralsGo.Vocabulary).mockRejectedValueOnce({ code: 'internal', message: 'x' });
    await expect(referralVocabulary()).rejects.toMatchObject({ code: 'internal' });
    vi.mocked(ReferralsGo.Vocabulary).mockResolvedValue({ statuses: null, reasons: [{ code: 'horaires', label: 'Horaires' }], transitions: { annulee: null } } as never);
    const v = await referralVocabulary();
    expect(v).toEqual({ statuses: [], reasons: [{ code: 'horaires', label: 'Horaires' }], transitions: { annulee: [] } });
    await referralVocabulary();
    expect(ReferralsGo.Vocabulary).toHaveBeenCalledTimes(2);
  });
});

describe('sync', () => {
  it('reads the status with empty lists and nulls for Go’s nils', async () => {
    vi.mocked(SyncGo.Status).mockResolvedValue({ enrolled: false, pending: 3, rejections: null } as never);
    expect(await syncStatus()).toMatchObject({ enrolled: false, pending: 3, rejections: [], progress: null, last_sync_at: null, next_attempt_at: null, last_report: null });
  });

  it('enrols with the address and code as typed, and passes Go’s French refusal on', async () => {
    vi.mocked(SyncGo.Enroll).mockRejectedValue({ code: 'not_found', message: 'Code d’inscription inconnu : vérifiez-le, ou demandez-en un nouveau à l’administrateur.' });
    await expect(enroll('https://synchro.exemple.fr', 'mx8c-6hsm-x796-ybs3')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('Code d’inscription inconnu') });
    expect(SyncGo.Enroll).toHaveBeenCalledWith('https://synchro.exemple.fr', 'mx8c-6hsm-x796-ybs3');
  });

  it('syncs now and reads the report', async () => {
    vi.mocked(SyncGo.SyncNow).mockResolvedValue({ pushed: 2, pulled: 5, rejected: null, error: '' } as never);
    expect(await syncNow()).toMatchObject({ pushed: 2, pulled: 5, rejected: [] });
  });

  it('sends a report of an error in a service', async () => {
    vi.mocked(DirectoryGo.ReportError).mockResolvedValue(undefined as never);
    await reportError('s1', 'Les horaires ont changé.');
    expect(DirectoryGo.ReportError).toHaveBeenCalledWith('s1', 'Les horaires ont changé.');
    vi.mocked(DirectoryGo.ReportError).mockRejectedValue({ code: 'invalid', message: 'Décrivez l’erreur remarquée sur cette fiche : le message est vide.' });
    await expect(reportError('s1', ' ')).rejects.toMatchObject({ code: 'invalid' });
  });

  it('keeps an interview’s conflicts by question, without empty lists', async () => {
    vi.mocked(InterviewsGo.Get).mockResolvedValue({
      uuid: 'i', interview: { status: 'en-cours' }, grid: { domains: [] },
      conflicts: { a: [{ question_id: 'a', value: { number: 2 }, device: 'd' }], b: null, c: [] },
    } as never);
    const v = await getInterview('i', false);
    expect(Object.keys(v.conflicts)).toEqual(['a']);
    expect(v.conflicts.a[0]).toMatchObject({ value: { number: 2 }, worker_rating: null });
    vi.mocked(InterviewsGo.Get).mockResolvedValue({ uuid: 'i', interview: { status: 'en-cours' }, grid: { domains: [] }, conflicts: null } as never);
    expect((await getInterview('i', false)).conflicts).toEqual({});
  });
});
