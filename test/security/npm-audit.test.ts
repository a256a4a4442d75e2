import { describe, expect, it } from 'vitest';
import { evaluateAudit, type AuditReport } from '../../.ci/audit.ts';

/**
 * The CI audit step's rule (.ci/audit.ts) on reports shaped like `npm audit --json` (npm 11):
 * high and critical advisories fail the run unless allowed with a reason until a review date.
 * The step itself runs in .ci/run against the registry; docs/reliability.md has its last result.
 */

const advisory = (name: string, severity: string, ghsa: string) => ({
  source: 1,
  name,
  dependency: name,
  title: `${name} is vulnerable`,
  url: `https://github.com/advisories/${ghsa}`,
  severity,
  range: '<9',
});
const report: AuditReport = {
  vulnerabilities: {
    'fast-xml-parser': {
      name: 'fast-xml-parser',
      severity: 'high',
      via: [advisory('fast-xml-parser', 'high', 'GHSA-aaaa-bbbb-cccc')],
    },
    // Vulnerable only through fast-xml-parser: the same advisory, not a second finding.
    '@aws-sdk/xml-builder': { name: '@aws-sdk/xml-builder', severity: 'high', via: ['fast-xml-parser'] },
    'brace-expansion': {
      name: 'brace-expansion',
      severity: 'low',
      via: [advisory('brace-expansion', 'low', 'GHSA-low0-low0-low0')],
    },
    undici: {
      name: 'undici',
      severity: 'critical',
      via: [
        advisory('undici', 'moderate', 'GHSA-mod0-mod0-mod0'),
        advisory('undici', 'critical', 'GHSA-crit-crit-crit'),
      ],
    },
  },
};
const today = '2026-12-01';

describe('the npm audit step', () => {
  it('fails on each high or critical advisory once, and ignores low and moderate ones', () => {
    const outcome = evaluateAudit(report, [], today);
    expect(outcome.kind).toBe('audited');
    if (outcome.kind !== 'audited') return;
    expect(
      outcome.failing.map((finding) => `${finding.severity} ${finding.package} ${finding.advisory}`).sort(),
    ).toEqual(['critical undici GHSA-crit-crit-crit', 'high fast-xml-parser GHSA-aaaa-bbbb-cccc']);
  });

  it('passes an advisory allowed with a reason until its review date, and fails it again after that date', () => {
    const allowList = [
      {
        advisory: 'GHSA-aaaa-bbbb-cccc',
        package: 'fast-xml-parser',
        reason: 'only parses our own XML',
        reviewBy: '2027-01-31',
      },
    ];
    const allowed = evaluateAudit(report, allowList, today);
    expect(allowed.kind === 'audited' && allowed.failing.map((finding) => finding.package)).toEqual([
      'undici',
    ]);
    expect(allowed.kind === 'audited' && allowed.allowed.map((finding) => finding.package)).toEqual([
      'fast-xml-parser',
    ]);
    const expired = evaluateAudit(report, allowList, '2027-02-01');
    expect(expired.kind === 'audited' && expired.failing.map((finding) => finding.package).sort()).toEqual([
      'fast-xml-parser',
      'undici',
    ]);
    expect(expired.kind === 'audited' && expired.expired).toEqual(allowList);
  });

  it('allows an advisory only for the package named with it', () => {
    const outcome = evaluateAudit(
      report,
      [
        {
          advisory: 'GHSA-aaaa-bbbb-cccc',
          package: 'another-package',
          reason: 'wrong package',
          reviewBy: '2027-01-31',
        },
      ],
      today,
    );
    expect(outcome.kind === 'audited' && outcome.failing).toHaveLength(2);
  });

  it('passes a clean report, and calls a registry error what it is: no audit', () => {
    expect(evaluateAudit({ vulnerabilities: {} }, [], today)).toEqual({
      kind: 'audited',
      failing: [],
      allowed: [],
      expired: [],
    });
    expect(
      evaluateAudit(
        {
          message:
            '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
        },
        [],
        today,
      ),
    ).toEqual({
      kind: 'unavailable',
      reason: expect.stringContaining('405'),
    });
  });
});
