import '@mantine/tiptap/styles.css';
import { Input, Text } from '@mantine/core';
import { Link, RichTextEditor } from '@mantine/tiptap';
import { useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useTranslation } from 'react-i18next';
import { LinkControl } from './link-dialog.tsx';

/**
 * The TipTap editor of a template body. Only what an e-mail may contain (the server's sanitiser
 * keeps paragraphs, headings, lists, quotes, lines, bold/italic/underline/strike and links): no
 * code blocks, no images from the clipboard. Links do not open on click while editing.
 */
export function useTemplateEditor(
  initialHtml: string,
  label: string,
  onChange: (html: string) => void,
): Editor | null {
  return useEditor({
    // The editable element itself carries the name screen readers announce.
    editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true' } },
    extensions: [
      StarterKit.configure({ link: false, code: false, codeBlock: false, heading: { levels: [2, 3] } }),
      Link.configure({ openOnClick: false, autolink: true, defaultProtocol: 'https' }),
    ],
    content: initialHtml,
    onUpdate: ({ editor }) => onChange(editor.getHTML()),
  });
}

type Props = {
  editor: Editor;
  label: string;
  error?: string;
  canUseResetLink: boolean;
  onFocus?: () => void;
};

export function RichTextField({ editor, label, error, canUseResetLink, onFocus }: Props) {
  const { t } = useTranslation();
  const labels = {
    boldControlLabel: t('mail.editor.bold'),
    italicControlLabel: t('mail.editor.italic'),
    underlineControlLabel: t('mail.editor.underline'),
    strikeControlLabel: t('mail.editor.strike'),
    clearFormattingControlLabel: t('mail.editor.clearFormatting'),
    h2ControlLabel: t('mail.editor.h2'),
    h3ControlLabel: t('mail.editor.h3'),
    bulletListControlLabel: t('mail.editor.bulletList'),
    orderedListControlLabel: t('mail.editor.orderedList'),
    blockquoteControlLabel: t('mail.editor.blockquote'),
    hrControlLabel: t('mail.editor.hr'),
    undoControlLabel: t('mail.editor.undo'),
    redoControlLabel: t('mail.editor.redo'),
    unlinkControlLabel: t('mail.editor.unlink'),
  };
  return (
    <Input.Wrapper label={label} error={error} id="template-body" labelElement="div">
      <RichTextEditor
        editor={editor}
        labels={labels}
        onFocus={onFocus}
        style={error ? { borderColor: 'var(--mantine-color-error)' } : undefined}
      >
        <RichTextEditor.Toolbar aria-label={t('mail.editor.toolbar')} role="toolbar">
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Underline />
            <RichTextEditor.Strikethrough />
            <RichTextEditor.ClearFormatting />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.H2 />
            <RichTextEditor.H3 />
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Blockquote />
            <RichTextEditor.Hr />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <LinkControl editor={editor} canUseResetLink={canUseResetLink} />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Undo />
            <RichTextEditor.Redo />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content mih={260} />
      </RichTextEditor>
      <LinkSummary editor={editor} />
    </Input.Wrapper>
  );
}

/** Under the editor: where each link goes, since a link's address is not visible in the text. */
function LinkSummary({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const links = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      const found: { text: string; href: string }[] = [];
      current.state.doc.descendants((node) => {
        const href = node.marks.find((mark) => mark.type.name === 'link')?.attrs.href as string | undefined;
        if (!node.isText || !href) return;
        const previous = found.at(-1);
        if (previous?.href === href) previous.text += node.text ?? '';
        else found.push({ text: node.text ?? '', href });
      });
      return JSON.stringify(found);
    },
  });
  const list = JSON.parse(links) as { text: string; href: string }[];
  if (list.length === 0) return null;
  const target = (href: string) => {
    const decoded = href.replace(/%5B%5B/gi, '[[').replace(/%5D%5D/gi, ']]');
    if (decoded === '[[reset_link]]') return t('mail.notificationEmails.linkToResetLink');
    if (decoded === '[[shop_url]]') return t('mail.notificationEmails.linkToShopUrl');
    return decoded;
  };
  return (
    <Text size="xs" c="dimmed" mt={6}>
      {t('mail.notificationEmails.linksInText')}{' '}
      {list.map((link, index) => (
        <span key={index}>
          {index > 0 && '; '}“{link.text}” → {target(link.href)}
        </span>
      ))}
    </Text>
  );
}
