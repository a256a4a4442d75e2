/**
 * Where to go after logging in. Only paths inside the back office are followed, so a crafted
 * `?next=https://evil.example` or `//evil.example` link cannot send staff to another site.
 * Returns a router path (without the /admin basename).
 */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/admin/') || next.startsWith('//') || next.includes('\\'))
    return '/overview';
  const path = next.slice('/admin'.length);
  if (path.startsWith('/login') || path.startsWith('/setup') || path.startsWith('//')) return '/overview';
  return path;
}
