import { Tabs, Text } from '@mantine/core';

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

/** An e-mail as its two parts, in tabs: the HTML in a `MailFrame`, and the plain text. */
export function MailParts({
  html,
  text,
  labels,
  frameTitle,
  height,
  listGap = 'md',
}: {
  html: string;
  text: string;
  labels: { html: string; text: string };
  frameTitle: string;
  height?: number;
  listGap?: 'sm' | 'md';
}) {
  return (
    <Tabs defaultValue="html" keepMounted={false}>
      <Tabs.List mb={listGap}>
        <Tabs.Tab value="html">{labels.html}</Tabs.Tab>
        <Tabs.Tab value="text">{labels.text}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="html">
        <MailFrame html={html} title={frameTitle} {...(height !== undefined && { height })} />
      </Tabs.Panel>
      <Tabs.Panel value="text">
        <Text
          component="pre"
          size="sm"
          p="md"
          bg="gray.0"
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', borderRadius: 8, margin: 0 }}
        >
          {text}
        </Text>
      </Tabs.Panel>
    </Tabs>
  );
}
