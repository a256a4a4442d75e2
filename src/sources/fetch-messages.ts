/**
 * Why a recurring import's file could not be fetched, in English and Dutch. A fetch error keeps
 * its message key and parameters, and the run's reason stores them with the English text, so the
 * history, the API and the approval e-mail say it in the reader's language (source.messages.ts).
 */

type Params = Record<string, string | number>;
type Template = (params: Params) => string;

const english = {
  timeout_answer: (p) => `${p.host} did not answer within ${p.seconds} seconds.`,
  timeout_silence: (p) => `${p.host} stopped sending for ${p.seconds} seconds.`,
  insecure: (p) =>
    `${p.address} is not an HTTPS address. Sources fetch over HTTPS (plain HTTP only from hosts an administrator allowed).`,
  network: (p) => `${p.host} could not be reached (${p.cause}).`,
  too_many_redirects: (p) => `${p.address} redirected more than 3 times.`,
  auth_http: (p) => `${p.host} refused the credentials (HTTP ${p.status}).`,
  not_found_http: (p) => `${p.address} does not exist (HTTP 404).`,
  http_status: (p) => `${p.host} answered HTTP ${p.status} instead of the file.`,
  refused_address: (p) =>
    `${p.host} resolves to ${p.address}, a private or local address that sources may not reach. An administrator can allow this host with SOURCE_ALLOWED_HOSTS.`,
  s3_empty: (p) => `The bucket ${p.bucket} has no file under “${p.prefix}”.`,
  s3_no_bucket: (p) => `The bucket ${p.bucket} does not exist.`,
  s3_auth: (p) => `The bucket ${p.bucket} refused the credentials (${p.cause}).`,
  s3_timeout: (p) => `The S3 service did not answer within ${p.seconds} seconds.`,
  s3_network: (p) => `The bucket ${p.bucket} could not be read (${p.cause}).`,
  sftp_no_password: () => 'An SFTP source needs its password.',
  sftp_host_key: (p) =>
    `${p.host} showed another host key than before (SHA-256 ${p.key}). If the server's key really changed, save the source's location again.`,
  sftp_auth: (p) => `${p.host} refused the user name or password.`,
  sftp_not_found: (p) => `${p.path} does not exist on ${p.host}.`,
} satisfies Record<string, Template>;

export type FetchMessageKey = keyof typeof english;

const dutch: Record<FetchMessageKey, Template> = {
  timeout_answer: (p) => `${p.host} gaf binnen ${p.seconds} seconden geen antwoord.`,
  timeout_silence: (p) => `${p.host} stuurde ${p.seconds} seconden lang niets meer.`,
  insecure: (p) =>
    `${p.address} is geen HTTPS-adres. Bronnen worden via HTTPS opgehaald (gewoon HTTP alleen van hosts die een beheerder heeft toegestaan).`,
  network: (p) => `${p.host} was niet bereikbaar (${p.cause}).`,
  too_many_redirects: (p) => `${p.address} stuurde meer dan 3 keer door.`,
  auth_http: (p) => `${p.host} weigerde de inloggegevens (HTTP ${p.status}).`,
  not_found_http: (p) => `${p.address} bestaat niet (HTTP 404).`,
  http_status: (p) => `${p.host} antwoordde met HTTP ${p.status} in plaats van het bestand.`,
  refused_address: (p) =>
    `${p.host} verwijst naar ${p.address}, een privé- of lokaal adres dat bronnen niet mogen bereiken. Een beheerder kan deze host toestaan met SOURCE_ALLOWED_HOSTS.`,
  s3_empty: (p) => `De bucket ${p.bucket} bevat geen bestand onder “${p.prefix}”.`,
  s3_no_bucket: (p) => `De bucket ${p.bucket} bestaat niet.`,
  s3_auth: (p) => `De bucket ${p.bucket} weigerde de inloggegevens (${p.cause}).`,
  s3_timeout: (p) => `De S3-dienst gaf binnen ${p.seconds} seconden geen antwoord.`,
  s3_network: (p) => `De bucket ${p.bucket} kon niet worden gelezen (${p.cause}).`,
  sftp_no_password: () => 'Een SFTP-bron heeft een wachtwoord nodig.',
  sftp_host_key: (p) =>
    `${p.host} toonde een andere hostsleutel dan eerder (SHA-256 ${p.key}). Is de sleutel van de server echt gewijzigd, sla de locatie van de bron dan opnieuw op.`,
  sftp_auth: (p) => `${p.host} weigerde de gebruikersnaam of het wachtwoord.`,
  sftp_not_found: (p) => `${p.path} bestaat niet op ${p.host}.`,
};

const isFetchMessageKey = (key: unknown): key is FetchMessageKey =>
  typeof key === 'string' && Object.hasOwn(english, key);

export function fetchMessage(key: FetchMessageKey, params: Params, language: 'en' | 'nl'): string {
  return (language === 'nl' ? dutch : english)[key](params);
}

/** A stored reason's fetch detail in Dutch, when it was stored with its key (runs since 4 December 2026); otherwise undefined. */
export function dutchFetchDetail(params: Params): string | undefined {
  return isFetchMessageKey(params.key) ? dutch[params.key](params) : undefined;
}
