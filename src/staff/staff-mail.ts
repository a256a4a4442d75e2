import escapeHtml from 'escape-html';
import type { StaffLanguage } from './staff.schemas.ts';

export type StaffPasswordPurpose = 'invite' | 'reset';

/** Where a one-time link sets a staff user's password: the back office's own page. */
export const staffPasswordLinkFor = (baseUrl: string, token: string): string =>
  `${baseUrl.replace(/\/$/, '')}/admin/reset-password?token=${encodeURIComponent(token)}`;

const texts = {
  en: {
    invite: {
      subject: (shop: string) => `Your ${shop} back-office account`,
      intro: (shop: string) =>
        `You have been given an account in the ${shop} back office. Choose your password to start:`,
      action: 'Choose your password',
    },
    reset: {
      subject: (shop: string) => `Reset your ${shop} back-office password`,
      intro: () => 'Someone (hopefully you) asked to reset your back-office password. Choose a new one here:',
      action: 'Choose a new password',
    },
    hello: (name: string) => `Hello ${name},`,
    expiry: (hours: number) =>
      `The link works once and for ${hours === 1 ? 'one hour' : `${hours} hours`}. If you did not expect this e-mail, ignore it: nothing changes.`,
  },
  nl: {
    invite: {
      subject: (shop: string) => `Je account voor de backoffice van ${shop}`,
      intro: (shop: string) =>
        `Je hebt een account gekregen in de backoffice van ${shop}. Kies je wachtwoord om te beginnen:`,
      action: 'Kies je wachtwoord',
    },
    reset: {
      subject: (shop: string) => `Nieuw wachtwoord voor de backoffice van ${shop}`,
      intro: () =>
        'Iemand (hopelijk jij) heeft gevraagd je wachtwoord voor de backoffice opnieuw in te stellen. Kies hier een nieuw wachtwoord:',
      action: 'Kies een nieuw wachtwoord',
    },
    hello: (name: string) => `Hallo ${name},`,
    expiry: (hours: number) =>
      `De link werkt één keer en ${hours === 1 ? 'één uur' : `${hours} uur`} lang. Had je deze e-mail niet verwacht? Negeer hem dan: er verandert niets.`,
  },
} as const;

/** The invitation or reset e-mail of a staff user, in their back-office language. */
export function staffPasswordMessage(input: {
  purpose: StaffPasswordPurpose;
  language: StaffLanguage;
  name: string;
  shopName: string;
  link: string;
  validHours: number;
}): { subject: string; html: string; text: string } {
  const text = texts[input.language];
  const kind = text[input.purpose];
  const lines = [
    text.hello(input.name),
    kind.intro(input.shopName),
    input.link,
    text.expiry(input.validHours),
  ];
  return {
    subject: kind.subject(input.shopName),
    text: lines.join('\n\n'),
    html:
      `<p>${escapeHtml(text.hello(input.name))}</p><p>${escapeHtml(kind.intro(input.shopName))}</p>` +
      `<p><a href="${escapeHtml(input.link)}">${escapeHtml(kind.action)}</a></p>` +
      `<p>${escapeHtml(text.expiry(input.validHours))}</p>`,
  };
}
