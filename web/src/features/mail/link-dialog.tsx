import { Button, Group, Modal, Radio, Stack, TextInput } from '@mantine/core';
import { useWindowEvent } from '@mantine/hooks';
import { RichTextEditor } from '@mantine/tiptap';
import { IconLink } from '@tabler/icons-react';
import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

type Target = 'reset_link' | 'shop_url' | 'other';
const placeholderHref = { reset_link: '[[reset_link]]', shop_url: '[[shop_url]]' } as const;
const isWebOrMailAddress = (href: string) => /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i.test(href);

type Draft = { target: Target; url: string; text: string; isEditing: boolean; hasSelection: boolean };

/** The decoded href of the link under the cursor (editors may percent-encode `[[ ]]`). */
function currentHref(editor: Editor): string {
  const href = String(editor.getAttributes('link').href ?? '');
  return href.replace(/%5B%5B/gi, '[[').replace(/%5D%5D/gi, ']]');
}

function draftFrom(editor: Editor): Draft {
  const href = currentHref(editor);
  const isEditing = editor.isActive('link');
  const target: Target =
    href === placeholderHref.reset_link
      ? 'reset_link'
      : href === placeholderHref.shop_url
        ? 'shop_url'
        : 'other';
  const { from, to } = editor.state.selection;
  return {
    target: isEditing ? target : 'reset_link',
    url: target === 'other' ? href : '',
    text: '',
    isEditing,
    hasSelection: from !== to || isEditing,
  };
}

/**
 * The toolbar's "Insert or edit link" (also Ctrl/Cmd+K): a link to the password link
 * `[[reset_link]]`, to the shop `[[shop_url]]`, or to any web or e-mail address. Without a selection
 * it inserts the link text too.
 */
export function LinkControl({ editor, canUseResetLink }: { editor: Editor; canUseResetLink: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft | undefined>();
  const isActive = useEditorState({ editor, selector: (state) => state.editor.isActive('link') });
  const open = () => setDraft(draftFrom(editor));
  useWindowEvent('edit-link', open);

  return (
    <>
      <RichTextEditor.Control
        onClick={open}
        aria-label={t('mail.editor.link')}
        title={t('mail.editor.link')}
        active={isActive}
      >
        <IconLink size={16} stroke={1.6} aria-hidden />
      </RichTextEditor.Control>
      {draft && (
        <LinkModal
          editor={editor}
          initial={draft}
          canUseResetLink={canUseResetLink}
          onClose={() => setDraft(undefined)}
        />
      )}
    </>
  );
}

function LinkModal({
  editor,
  initial,
  canUseResetLink,
  onClose,
}: {
  editor: Editor;
  initial: Draft;
  canUseResetLink: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(
    !canUseResetLink && initial.target === 'reset_link' && !initial.isEditing
      ? { ...initial, target: 'shop_url' }
      : initial,
  );
  const [errors, setErrors] = useState<{ url?: string; text?: string }>({});
  const href = draft.target === 'other' ? draft.url.trim() : placeholderHref[draft.target];

  const save = () => {
    const problems = {
      url:
        draft.target === 'other' && !isWebOrMailAddress(href) ? t('mail.linkDialog.urlInvalid') : undefined,
      text: !draft.hasSelection && draft.text.trim() === '' ? t('mail.linkDialog.textRequired') : undefined,
    };
    setErrors(problems);
    if (problems.url || problems.text) return;
    const chain = editor.chain().focus().extendMarkRange('link');
    if (draft.hasSelection) chain.setLink({ href }).run();
    else
      chain
        .insertContent({ type: 'text', text: draft.text.trim(), marks: [{ type: 'link', attrs: { href } }] })
        .unsetMark('link')
        .run();
    onClose();
  };
  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('mail.closeDialog') }}
      opened
      onClose={onClose}
      centered
      title={draft.isEditing ? t('mail.linkDialog.editTitle') : t('mail.linkDialog.insertTitle')}
    >
      <form
        onSubmit={(event) => {
          // The modal is portalled, but React still bubbles its submit to any form around the editor.
          event.preventDefault();
          event.stopPropagation();
          save();
        }}
        noValidate
      >
        <Stack gap="md">
          <Radio.Group
            label={t('mail.linkDialog.target')}
            value={draft.target}
            onChange={(value) => setDraft({ ...draft, target: value as Target })}
          >
            <Stack gap="xs" mt={6}>
              {(canUseResetLink || draft.target === 'reset_link') && (
                <Radio value="reset_link" label={t('mail.linkDialog.resetLink')} />
              )}
              <Radio value="shop_url" label={t('mail.linkDialog.shopUrl')} />
              <Radio value="other" label={t('mail.linkDialog.other')} />
            </Stack>
          </Radio.Group>
          {draft.target === 'other' && (
            <TextInput
              label={t('mail.linkDialog.url')}
              placeholder={t('mail.linkDialog.urlPlaceholder')}
              value={draft.url}
              onChange={(event) => setDraft({ ...draft, url: event.currentTarget.value })}
              error={errors.url}
              data-autofocus
            />
          )}
          {!draft.hasSelection && (
            <TextInput
              label={t('mail.linkDialog.text')}
              value={draft.text}
              onChange={(event) => setDraft({ ...draft, text: event.currentTarget.value })}
              error={errors.text}
            />
          )}
          <Group justify="space-between" gap="sm">
            <div>
              {draft.isEditing && (
                <Button variant="subtle" color="red" c="red.9" onClick={remove}>
                  {t('mail.linkDialog.remove')}
                </Button>
              )}
            </div>
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit">
                {draft.isEditing ? t('mail.linkDialog.save') : t('mail.linkDialog.insert')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
