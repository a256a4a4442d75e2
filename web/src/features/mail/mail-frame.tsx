/**
 * An e-mail's HTML, shown in an iframe that can do nothing: `sandbox` with no permissions means
 * no scripts, no forms, no plug-ins, no top navigation and a unique origin (so it cannot read the
 * back office's cookies or DOM), and the iframe also inherits the back office's CSP. The HTML
 * was sanitised on save and on send; this is the second wall, not the first.
 */
export function MailFrame({ html, title, height = 460 }: { html: string; title: string; height?: number }) {
  return (
    <iframe
      title={title}
      srcDoc={html}
      sandbox=""
      referrerPolicy="no-referrer"
      style={{
        width: '100%',
        height,
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 'var(--mantine-radius-md)',
        background: '#f6f6f4',
      }}
    />
  );
}
