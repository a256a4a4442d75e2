import type { TFunction } from 'i18next';
import type { ImportOptions } from '../../../../../src/imports/import.schemas.ts';
import type { z } from 'zod';
import type {
  Credentials,
  Schedule,
  Source,
  sourceInputSchema,
} from '../../../../../src/sources/source.schemas.ts';
import type { FieldErrors } from '../../../api/http-client.ts';
import { translateFieldError } from '../../../i18n/field-errors.ts';

/**
 * The source form's values, flat so every input has a path of its own, and the pure steps between
 * them and the API: a stored source → values, values → the body to send, the form's own checks
 * (in the UI language) and the server's field errors → the inputs they belong to.
 */

type SourceInput = z.input<typeof sourceInputSchema>;
/** A PATCH body without its version: what changed, and what must always be sent. */
export type SourceChanges = Omit<SourceInput, 'location'> & { location?: SourceInput['location'] };

export const locationKinds = ['url', 's3', 'sftp'] as const;
export type LocationKind = (typeof locationKinds)[number];
export type CredentialsKind = Source['credentialsKind'];
export const credentialKindsFor: Record<LocationKind, readonly CredentialsKind[]> = {
  url: ['none', 'basic', 'header'],
  s3: ['none', 's3'],
  sftp: ['none', 'sftp-password'],
};
export const sourceModes = ['create-update', 'create', 'update'] as const;
type Every = Schedule['every'];

export type SourceFormValues = {
  name: string;
  kind: LocationKind;
  url: string;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  host: string;
  port: number | string;
  path: string;
  username: string;
  credentialsKind: CredentialsKind;
  /** Editing: the stored credentials stay (nothing is sent) until the user chooses Replace. */
  isKeepingCredentials: boolean;
  basicUsername: string;
  basicPassword: string;
  headerName: string;
  headerValue: string;
  accessKeyId: string;
  secretAccessKey: string;
  sftpPassword: string;
  /** Editing an SFTP source: send its location again, so the next run trusts the key it is shown. */
  isTrustingNewHostKey: boolean;
  savedMappingId: string | null;
  every: Every;
  minute: number | string;
  time: string;
  weekday: string;
  sameColumns: boolean;
  maxRejected: number | string;
  maxCreated: number | string;
  maxUpdated: number | string;
  mode: (typeof sourceModes)[number];
  blank: ImportOptions['blank'];
  isEnabled: boolean;
};

const secrets = {
  basicUsername: '',
  basicPassword: '',
  headerName: '',
  headerValue: '',
  accessKeyId: '',
  secretAccessKey: '',
  sftpPassword: '',
};

export const emptySourceValues: SourceFormValues = {
  name: '',
  kind: 'url',
  url: '',
  endpoint: '',
  region: 'us-east-1',
  bucket: '',
  prefix: '',
  host: '',
  port: 22,
  path: '',
  username: '',
  credentialsKind: 'none',
  isKeepingCredentials: false,
  ...secrets,
  isTrustingNewHostKey: false,
  savedMappingId: null,
  every: 'day',
  minute: 0,
  time: '06:00',
  weekday: '1',
  sameColumns: true,
  maxRejected: 0,
  maxCreated: '',
  maxUpdated: '',
  mode: 'create-update',
  blank: 'keep',
  isEnabled: true,
};

/** A stored source as form values; secrets are never sent by the server, so never pre-filled. */
export function valuesOfSource(source: Source): SourceFormValues {
  const { location, schedule, conditions } = source;
  return {
    ...emptySourceValues,
    name: source.name,
    kind: location.kind,
    ...(location.kind === 'url' && { url: location.url }),
    ...(location.kind === 's3' && {
      endpoint: location.endpoint ?? '',
      region: location.region,
      bucket: location.bucket,
      prefix: location.prefix,
    }),
    ...(location.kind === 'sftp' && {
      host: location.host,
      port: location.port,
      path: location.path,
      username: location.username,
    }),
    credentialsKind: source.credentialsKind,
    isKeepingCredentials: source.credentialsKind !== 'none',
    savedMappingId: source.savedMapping ? String(source.savedMapping.id) : null,
    every: schedule.every,
    minute: schedule.every === 'hour' ? schedule.minute : 0,
    time: schedule.every === 'day' || schedule.every === 'week' ? schedule.time : '06:00',
    weekday: schedule.every === 'week' ? String(schedule.weekday) : '1',
    sameColumns: conditions.sameColumns,
    maxRejected: conditions.maxRejected,
    maxCreated: conditions.maxCreated ?? '',
    maxUpdated: conditions.maxUpdated ?? '',
    mode: source.options.mode === 'delete' ? 'create-update' : source.options.mode,
    blank: source.options.blank,
    isEnabled: source.isEnabled,
  };
}

/** The stored credentials can stay only while the location is of a kind they fit. */
export function canKeepCredentials(values: SourceFormValues, stored: CredentialsKind | undefined): boolean {
  return stored !== undefined && stored !== 'none' && credentialKindsFor[values.kind].includes(stored);
}

function credentialsOf(values: SourceFormValues): Credentials {
  switch (values.credentialsKind) {
    case 'none':
      return { kind: 'none' };
    case 'basic':
      return { kind: 'basic', username: values.basicUsername.trim(), password: values.basicPassword };
    case 'header':
      return { kind: 'header', header: values.headerName.trim(), value: values.headerValue };
    case 's3':
      return { kind: 's3', accessKeyId: values.accessKeyId.trim(), secretAccessKey: values.secretAccessKey };
    case 'sftp-password':
      return { kind: 'sftp-password', password: values.sftpPassword };
  }
}

const isEmpty = (value: number | string) => value === '' || value === null;

function scheduleOf(values: SourceFormValues): Schedule {
  switch (values.every) {
    case 'manual':
      return { every: 'manual' };
    case 'hour':
      return { every: 'hour', minute: Number(values.minute) };
    case 'day':
      return { every: 'day', time: values.time };
    case 'week':
      return { every: 'week', weekday: Number(values.weekday), time: values.time };
  }
}

/**
 * The body of POST or PATCH. Options the form does not show keep their stored values; credentials
 * go only when they are new or replaced ("left out" keeps the stored ones).
 */
export function sourceInputOf(
  values: SourceFormValues,
  stored?: Pick<Source, 'options' | 'credentialsKind'>,
): SourceInput {
  const location: SourceInput['location'] =
    values.kind === 'url'
      ? { kind: 'url', url: values.url.trim() }
      : values.kind === 's3'
        ? {
            kind: 's3',
            endpoint: values.endpoint.trim() || null,
            region: values.region.trim() || 'us-east-1',
            bucket: values.bucket.trim(),
            prefix: values.prefix.trim(),
          }
        : {
            kind: 'sftp',
            host: values.host.trim(),
            port: Number(values.port),
            path: values.path.trim(),
            username: values.username.trim(),
          };
  const isKeeping = values.isKeepingCredentials && canKeepCredentials(values, stored?.credentialsKind);
  return {
    name: values.name.trim(),
    location,
    ...(!isKeeping && { credentials: credentialsOf(values) }),
    savedMappingId: Number(values.savedMappingId),
    options: { ...stored?.options, mode: values.mode, blank: values.blank },
    schedule: scheduleOf(values),
    conditions: {
      sameColumns: values.sameColumns,
      maxRejected: Number(values.maxRejected),
      maxCreated: isEmpty(values.maxCreated) ? null : Number(values.maxCreated),
      maxUpdated: isEmpty(values.maxUpdated) ? null : Number(values.maxUpdated),
    },
    isEnabled: values.isEnabled,
  };
}

const isSameLocation = (a: SourceInput['location'], b: Source['location']) => {
  const entries = (location: object) =>
    JSON.stringify(Object.entries(location).sort(([x], [y]) => x.localeCompare(y)));
  return entries(a) === entries(b);
};

/**
 * The body of PATCH. The location goes only when it changed (or to trust an SFTP server's new host
 * key): the server forgets the remembered host key and the last file's ETag whenever it gets one.
 * The rest is always sent whole.
 */
export function sourceChangesOf(values: SourceFormValues, stored: Source): SourceChanges {
  const { location, ...rest } = sourceInputOf(values, stored);
  const isRetrusting = values.kind === 'sftp' && values.isTrustingNewHostKey;
  return isSameLocation(location, stored.location) && !isRetrusting ? rest : { ...rest, location };
}

const isWholeNumber = (value: number | string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  !isEmpty(value) && Number.isInteger(Number(value)) && Number(value) >= min && Number(value) <= max;

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The form's own checks, before anything is sent; messages in the UI language. */
export function validateSourceForm(
  values: SourceFormValues,
  t: TFunction,
  storedCredentials?: CredentialsKind,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const need = (path: keyof SourceFormValues, isValid: boolean, key: string) => {
    if (!isValid) errors[path] = t(`sources.validation.${key}`);
  };
  need('name', values.name.trim() !== '', 'name');
  if (values.kind === 'url') need('url', isWebAddress(values.url), 'url');
  if (values.kind === 's3') {
    need('bucket', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(values.bucket.trim()), 'bucket');
    need('endpoint', values.endpoint.trim() === '' || isWebAddress(values.endpoint), 'endpoint');
  }
  if (values.kind === 'sftp') {
    need('host', values.host.trim() !== '', 'host');
    need('port', isWholeNumber(values.port, 1, 65535), 'port');
    need('path', values.path.trim() !== '', 'path');
    need('username', values.username.trim() !== '', 'username');
  }
  const isKeeping = values.isKeepingCredentials && canKeepCredentials(values, storedCredentials);
  if (!isKeeping) {
    const kind = values.credentialsKind;
    if (kind === 'basic') {
      need('basicUsername', values.basicUsername.trim() !== '', 'credentialUsername');
      need('basicPassword', values.basicPassword !== '', 'password');
    }
    if (kind === 'header') {
      need('headerName', /^[A-Za-z0-9-]{1,64}$/.test(values.headerName.trim()), 'headerName');
      need('headerValue', values.headerValue !== '', 'headerValue');
    }
    if (kind === 's3') {
      need('accessKeyId', values.accessKeyId.trim() !== '', 'accessKeyId');
      need('secretAccessKey', values.secretAccessKey !== '', 'secretAccessKey');
    }
    if (kind === 'sftp-password') need('sftpPassword', values.sftpPassword !== '', 'password');
  }
  need('savedMappingId', values.savedMappingId !== null && values.savedMappingId !== '', 'savedMapping');
  if (values.every === 'hour') need('minute', isWholeNumber(values.minute, 0, 59), 'minute');
  if (values.every === 'day' || values.every === 'week')
    need('time', /^([01]\d|2[0-3]):[0-5]\d$/.test(values.time), 'time');
  need('maxRejected', isWholeNumber(values.maxRejected, 0), 'maxRejected');
  for (const path of ['maxCreated', 'maxUpdated'] as const)
    need(path, isEmpty(values[path]) || isWholeNumber(values[path], 0), 'maxChanges');
  return errors;
}

const credentialInputs: Record<string, Partial<Record<CredentialsKind, keyof SourceFormValues>>> = {
  username: { basic: 'basicUsername' },
  password: { basic: 'basicPassword', 'sftp-password': 'sftpPassword' },
  header: { header: 'headerName' },
  value: { header: 'headerValue' },
  accessKeyId: { s3: 'accessKeyId' },
  secretAccessKey: { s3: 'secretAccessKey' },
};

/** The form input a server field error belongs to (`location.url` → `url`), or undefined. */
function inputOf(serverPath: string, values: SourceFormValues): keyof SourceFormValues | undefined {
  const [head, rest] = [serverPath.split('.')[0], serverPath.split('.').slice(1).join('.')];
  const known = (path: string) => (path in emptySourceValues ? (path as keyof SourceFormValues) : undefined);
  if (head === 'location') {
    if (rest === '') return values.kind === 's3' ? 'endpoint' : values.kind === 'sftp' ? 'host' : 'url';
    return known(rest);
  }
  if (head === 'credentials') return credentialInputs[rest]?.[values.credentialsKind] ?? 'credentialsKind';
  if (head === 'schedule' || head === 'conditions' || head === 'options') return known(rest);
  return known(serverPath);
}

/**
 * The server's field errors on the inputs they are about, translated by code where the UI knows
 * the code; those that belong to no input are returned apart, to show above the buttons.
 */
export function placeServerErrors(
  fields: FieldErrors,
  values: SourceFormValues,
  t: TFunction,
): { onInputs: Record<string, string>; elsewhere: string[] } {
  const onInputs: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const [path, error] of Object.entries(fields)) {
    const message = t(`sources.serverErrors.${error.code}`, { defaultValue: translateFieldError(error, t) });
    const input = inputOf(path, values);
    if (input) onInputs[input] = message;
    else elsewhere.push(message);
  }
  return { onInputs, elsewhere };
}
