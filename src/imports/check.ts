import { customerDisplayName } from '../customers/customer.service.ts';
import { normalizeGroupName } from '../customers/group.service.ts';
import type { SuggestedFixCode } from './cells.ts';
import type { CheckResult } from './import.schemas.ts';
import type { DuplicateRow } from './duplicate-rows.ts';
import type { PlannedRow } from './plan.ts';
import type { RowError } from './validate.ts';
import { addressLines } from '../addresses/address-format.ts';
import type { AddressPlan, AddressRowItem } from '../addresses/address-import.ts';

/** The address file rows a check shows (per customer, in file order). */
const addressRowSample = 100;

/**
 * Pure: collects the dry run's outcome over the whole file — counts, the first changes,
 * creations and rejections as samples, problems by kind, and the spreadsheet damage the user
 * can accept a fix for per column. Memory is bounded by the sample sizes, not the file.
 */

export type CheckLimits = { changes: number; creations: number; rejections: number; fixExamples: number };
const defaultLimits: CheckLimits = { changes: 50, creations: 20, rejections: 100, fixExamples: 3 };

export type CheckAccumulator = ReturnType<typeof createCheckAccumulator>;

export function createCheckAccumulator(knownGroups: ReadonlySet<string>, limits: CheckLimits = defaultLimits) {
  const result: CheckResult = {
    rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, groupsToCreate: [], changes: [], creations: [], rejections: [], problems: [], suggestedFixes: [],
    warned: 0, warnings: [], warningRows: [], passwordsDropped: 0, duplicates: 0, duplicateRows: [], addressesToAdd: 0,
    addressesToChange: 0, addressesUnchanged: 0, addressesToRemove: 0, addressRows: [], addressOnlyDuplicates: 0,
    consent: { subscribed: 0, unsubscribed: 0, resubscribed: 0, keptUnsubscribed: 0 }, deleted: 0, deletions: [], ignored: 0,
    companiesToCreate: 0, companiesToUpdate: 0, contactsToLink: 0, contactsToChange: 0,
  };
  const problems = new Map<string, CheckResult['problems'][number]>();
  const warningKinds = new Map<string, CheckResult['warnings'][number]>();
  const fixes = new Map<string, CheckResult['suggestedFixes'][number]>();
  const newGroups = new Map<string, string>();

  function addRejection(rowNumber: number, errors: readonly RowError[]) {
    result.rejected++;
    if (result.rejections.length < limits.rejections) result.rejections.push({ rowNumber, errors: [...errors] });
    for (const error of errors) {
      const key = `${error.code}\u0000${error.field}`;
      const problem = problems.get(key) ?? { code: error.code, field: error.field, column: error.column, count: 0, example: error.value };
      problem.count++;
      problems.set(key, problem);
      if (error.code === 'duplicate_in_file' && error.params.reason === 'address_only') result.addressOnlyDuplicates++;
      if (error.suggestion !== undefined && error.code === 'leading_zero_lost') addFix(error, error.code);
    }
  }

  /** A row imported with warnings: counted by kind, sampled, its spreadsheet damage offered as a fix. */
  function addWarnings(rowNumber: number, warnings: readonly RowError[]) {
    if (warnings.length === 0) return;
    result.warned++;
    if (result.warningRows.length < limits.rejections) result.warningRows.push({ rowNumber, warnings: [...warnings] });
    if (warnings.some((warning) => warning.code === 'password_hash_unknown')) result.passwordsDropped++;
    for (const warning of warnings) {
      const key = `${warning.code}\u0000${warning.field}`;
      const kind = warningKinds.get(key) ?? { code: warning.code, field: warning.field, column: warning.column, count: 0, example: warning.value };
      kind.count++;
      warningKinds.set(key, kind);
      if (warning.suggestion !== undefined && warning.code === 'leading_zero_lost') addFix(warning, warning.code);
    }
  }

  function addFix(error: RowError, code: SuggestedFixCode) {
    const key = `${error.field}\u0000${code}`;
    const fix = fixes.get(key) ?? { field: error.field, column: error.column, code, count: 0, examples: [] };
    fix.count++;
    if (fix.examples.length < limits.fixExamples) fix.examples.push({ value: error.value, suggestion: error.suggestion ?? '' });
    fixes.set(key, fix);
  }

  function addPlanned(planned: readonly PlannedRow[]) {
    for (const row of planned) {
      if (row.kind === 'reject') {
        addRejection(row.rowNumber, row.errors);
        continue;
      }
      addWarnings(row.rowNumber, row.warnings);
      countConsent(row);
      if (row.kind === 'unchanged') result.unchanged++;
      if (row.kind === 'ignore') result.ignored++;
      if (row.kind === 'delete') {
        result.deleted++;
        if (result.deletions.length < limits.creations) result.deletions.push({ rowNumber: row.rowNumber, customerId: row.customerId, email: row.email, name: row.name });
      }
      if (row.kind === 'create') {
        result.created++;
        if (result.creations.length < limits.creations) {
          result.creations.push({ rowNumber: row.rowNumber, email: row.record.email, name: customerDisplayName(row.record) });
        }
      }
      if (row.kind === 'update') {
        result.updated++;
        if (result.changes.length < limits.changes) result.changes.push({ rowNumber: row.rowNumber, customerId: row.customerId, email: row.record.email, changes: row.changes });
      }
      // The names the plan will give the customer; a name new to the shop is a group to create.
      if (row.kind === 'create' || row.kind === 'update') {
        for (const name of row.groupNames ?? []) {
          const normalized = normalizeGroupName(name);
          if (!knownGroups.has(normalized) && !newGroups.has(normalized)) newGroups.set(normalized, name);
        }
      }
    }
  }

  function countConsent(row: Exclude<PlannedRow, { kind: 'reject' }>) {
    const consent = result.consent;
    consent.keptUnsubscribed += row.warnings.filter((warning) => warning.code === 'consent_kept_unsubscribed').length;
    if (row.kind === 'create') {
      for (const state of [row.record.emailConsent, row.record.smsConsent]) {
        if (state === 'subscribed') consent.subscribed++;
        if (state === 'unsubscribed') consent.unsubscribed++;
      }
    }
    if (row.kind !== 'update') return;
    for (const change of row.changes.filter((candidate) => candidate.field === 'newsletter' || candidate.field === 'smsConsent')) {
      if (change.before === 'unsubscribed' && (change.after === 'subscribed' || change.after === 'pending')) consent.resubscribed++;
      else if (change.after === 'subscribed') consent.subscribed++;
      else if (change.after === 'unsubscribed') consent.unsubscribed++;
    }
  }

  function addDuplicates(rows: readonly DuplicateRow[]) {
    result.duplicates += rows.length;
    for (const row of rows) if (result.duplicateRows.length < limits.rejections) result.duplicateRows.push(row);
  }

  return {
    addDuplicates,
    /** What a batch's company columns would do (#19). */
    addCompanies(counts: { companiesCreated: number; companiesUpdated: number; contactsLinked: number; contactsChanged: number }) {
      result.companiesToCreate += counts.companiesCreated;
      result.companiesToUpdate += counts.companiesUpdated;
      result.contactsToLink += counts.contactsLinked;
      result.contactsToChange += counts.contactsChanged;
    },
    /** Addresses the rule "adds an address" would add to address books. */
    addAddresses(count: number) {
      result.addressesToAdd += count;
    },
    /** What an address file's rows would do to the address books, counted, and the first rows per outcome shown. */
    addAddressRows(plan: AddressPlan, items: readonly AddressRowItem[]) {
      result.addressesToAdd += plan.counts.added;
      result.addressesToChange += plan.counts.changed;
      result.addressesUnchanged += plan.counts.unchanged;
      result.addressesToRemove += plan.counts.removed;
      for (const item of items) {
        const outcome = plan.outcomes.get(item.rowNumber);
        if (!outcome || result.addressRows.length >= addressRowSample) continue;
        result.addressRows.push({ rowNumber: item.rowNumber, customer: item.customerKey ?? String(item.customerId), outcome, address: addressLines(item.address, (code) => code).filter(Boolean).join(', '), isDefaultBilling: item.isDefaultBilling, isDefaultShipping: item.isDefaultShipping });
      }
    },
    /** Addresses an address file's *replace* rows would remove once the whole file is in. */
    addReplaced(count: number) {
      result.addressesToRemove += count;
    },
    /** Every row the check read, valid or not. */
    countRows(count: number) {
      result.rows += count;
    },
    addRejection,
    addWarnings,
    addPlanned,
    result(fileError?: CheckResult['fileError']): CheckResult {
      return {
        ...result,
        groupsToCreate: [...newGroups.values()],
        problems: [...problems.values()].sort((a, b) => b.count - a.count),
        warnings: [...warningKinds.values()].sort((a, b) => b.count - a.count),
        suggestedFixes: [...fixes.values()],
        ...(fileError && { fileError }),
      };
    },
  };
}
