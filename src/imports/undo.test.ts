import { describe, expect, it } from 'vitest';
import { columnValues, type CustomerRow } from '../customers/customer-row.ts';
import { newCustomerRecord } from './plan.ts';
import { restoreOf } from './undo.ts';

const appliedAt = new Date('2024-05-01T10:00:00.000Z');
const later = new Date('2024-05-02T10:00:00.000Z');

/** A customer row as undo reads it (locked), after the import wrote `notes` and `last_name`. */
function currentRow(overrides: Record<string, unknown> = {}, groupIds: number[] = [], updatedAt = later) {
  const record = { ...newCustomerRecord('Ann@Example.com'), firstName: 'Ann', lastName: 'Imported', notes: 'Imported note' };
  return {
    id: 7, ...columnValues(record), password_state: 'none', groups: [], group_ids: groupIds,
    created_at: appliedAt, updated_at: updatedAt, version: 3, ...overrides,
  } as unknown as CustomerRow & { group_ids: number[] };
}

const change = (written: Record<string, unknown> | null, previous: Record<string, unknown> = { last_name: 'Before', notes: 'Old note', search_text: 'ann before' }) => ({
  customer_id: 7, action: 'updated' as const, applied_at: appliedAt, previous, written,
});

describe('restoreOf: which columns undo puts back', () => {
  it('puts back every column still holding what the import wrote, with a search text of the result', () => {
    const restore = restoreOf(change({ last_name: 'Imported', notes: 'Imported note' }), currentRow());
    expect(restore).toEqual({ customerId: 7, isGroupsRestored: false, columns: { last_name: 'Before', notes: 'Old note', search_text: 'ann before ann@example.com' } });
  });

  it('keeps a column changed since the import, and restores the others', () => {
    const restore = restoreOf(change({ last_name: 'Imported', notes: 'Imported note' }), currentRow({ notes: 'Staff note' }));
    expect(restore?.columns).toEqual({ last_name: 'Before', search_text: 'ann before ann@example.com' });
  });

  it('restores nothing when every imported column was changed since', () => {
    expect(restoreOf(change({ last_name: 'Imported', notes: 'Imported note' }), currentRow({ notes: 'Staff', last_name: 'Staff' }))).toBeUndefined();
  });

  it('derives the normalised e-mail when it puts an e-mail address back', () => {
    const restore = restoreOf(change({ email: 'Ann@Example.com' }, { email: 'Old.Address@Example.com' }), currentRow());
    expect(restore?.columns).toMatchObject({ email: 'Old.Address@Example.com', email_normalized: 'old.address@example.com' });
  });

  it('puts the groups back only while they are the set the import left', () => {
    const previous = { groups: [1] };
    expect(restoreOf(change({ groups: [2, 3] }, previous), currentRow({}, [3, 2]))).toEqual({ customerId: 7, columns: {}, isGroupsRestored: true });
    expect(restoreOf(change({ groups: [2, 3] }, previous), currentRow({}, [2]))).toBeUndefined();
  });

  it('for a change logged before `written` was kept: everything while untouched since, nothing otherwise', () => {
    expect(restoreOf(change(null), currentRow({}, [], appliedAt))?.columns).toMatchObject({ last_name: 'Before', notes: 'Old note' });
    expect(restoreOf(change(null), currentRow({}, [], later))).toBeUndefined();
  });
});
