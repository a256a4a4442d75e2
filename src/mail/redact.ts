/**
 * Hides the token of every reset link (storefront `/account/reset-password?token=…`, back office
 * `/admin/reset-password?token=…`, or any other `token=` parameter) in a mailbox message, for
 * staff whose role may read the mailbox but not use the live links in it.
 */
export const redactedToken = 'hidden-for-your-role';

const tokenParameter = /([?&](?:amp;)?token=)[^&"'\s<>]+/gi;

export const redactResetTokens = (text: string): string => text.replace(tokenParameter, `$1${redactedToken}`);
