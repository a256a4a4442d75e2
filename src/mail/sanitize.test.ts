import { describe, expect, it } from 'vitest';
import { renderMessage } from './render.ts';
import { htmlToPlainText, linksInHtml, sanitizeEmailHtml } from './sanitize.ts';

describe('sanitising e-mail HTML', () => {
  it.each([
    ['<p>Hi<script>alert(1)</script></p>', '<p>Hi</p>'],
    ['<img src="https://x.example/a.png" onerror="alert(1)">', '<img src="https://x.example/a.png" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer" target="_blank">x</a>'],
    ['<a href="  JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer" target="_blank">x</a>'],
    ['<a href="data:text/html,hi">x</a>', '<a rel="noopener noreferrer" target="_blank">x</a>'],
    ['<form action="https://evil"><input name="p"><button>Go</button></form>', 'Go'],
    [
      '<iframe src="https://evil"></iframe><style>p{}</style><p style="color:red;text-align:center">t</p>',
      '<p style="text-align:center">t</p>',
    ],
    [
      '<a href="[[reset_link]]">Set</a>',
      '<a href="[[reset_link]]" rel="noopener noreferrer" target="_blank">Set</a>',
    ],
  ])('%s → %s', (input, output) => {
    expect(sanitizeEmailHtml(input)).toBe(output);
  });

  it('makes a readable plain-text part', () => {
    expect(
      htmlToPlainText(
        '<p>Hello <strong>Jan</strong></p><p><a href="https://shop.example/x">Set password</a></p>',
      ),
    ).toBe('Hello Jan\n\nSet password [https://shop.example/x]');
  });

  it('escapes values and strips line breaks from the subject when rendering', () => {
    const values = {
      reset_link: 'https://s/r?t=1&l=en',
      first_name: '<img src=x onerror=alert(1)>',
      last_name: 'B',
      email: 'e@x',
      shop_name: 'Shop',
      shop_url: 'https://s',
    };
    const message = renderMessage(
      {
        subject: 'Hi [[first_name]]\r\nBcc: evil@example.com',
        bodyHtml: '<p>[[first_name]] <a href="[[reset_link]]">go</a></p>',
      },
      values,
      'en',
    );
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('href="https://s/r?t=1&amp;l=en"');
    expect(message.subject).toBe('Hi <img src=x onerror=alert(1)> Bcc: evil@example.com');
    expect(message.subject).not.toMatch(/[\r\n]/);
  });
});

describe('links of a message (for the mailbox)', () => {
  it('lists every link with its text and decoded address, in order', () => {
    const html =
      '<p>Dear Emma, <a href="https://shop.example/account/reset-password?token=abc&amp;lang=en" target="_blank">Set my <b>password</b></a></p>' +
      '<p>See <a href="https://shop.example">the\n  shop</a> or <a>nothing</a> or <a href="mailto:help@shop.example">mail us</a>.</p>';
    expect(linksInHtml(html)).toEqual([
      { text: 'Set my password', href: 'https://shop.example/account/reset-password?token=abc&lang=en' },
      { text: 'the shop', href: 'https://shop.example' },
      { text: 'mail us', href: 'mailto:help@shop.example' },
    ]);
    expect(linksInHtml('<p>No links here</p>')).toEqual([]);
  });
});
