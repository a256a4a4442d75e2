import '@mantine/dropzone/styles.css';
import { Alert, Anchor, Button, Card, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconFileSpreadsheet,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/http-client.ts';
import { useImportLimits, useUploadImport } from '../../api/imports.queries.ts';
import { usePageTitle } from '../../components/page-title.ts';
import { formatBytes } from './import-format.ts';

type Upload = { fileName: string; sentBytes: number; totalBytes: number };
type Problem = { title: string; message: string };

/** The file picker shows these; anything else is still sent, so the server can say what to do instead. */
const pickerAccept = '.csv,.tsv,.txt,.xlsx,.xls,text/csv,text/plain,text/tab-separated-values';

/** New import: "Browse computer" or drag and drop; the size limit is checked before uploading. */
export function NewImportPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('imports.upload.title'));
  const navigate = useNavigate();
  // "Import the corrected file" of a report: the new import starts with that import's choices.
  const [searchParams] = useSearchParams();
  const basedOn = Number(searchParams.get('basedOn'));
  const basedOnImportId = Number.isInteger(basedOn) && basedOn > 0 ? basedOn : undefined;
  const limits = useImportLimits();
  const uploadMutation = useUploadImport();
  const openRef = useRef<() => void>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [upload, setUpload] = useState<Upload | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const maxBytes = limits.data?.maxFileBytes;
  const size = (bytes: number) => formatBytes(bytes, i18n.language);

  const send = (file: File) => {
    setProblem(undefined);
    if (maxBytes !== undefined && file.size > maxBytes) {
      setProblem({
        title: t('imports.upload.tooLargeTitle'),
        message: t('imports.upload.tooLarge', {
          fileName: file.name,
          size: size(file.size),
          max: size(maxBytes),
        }),
      });
      return;
    }
    if (file.size === 0) {
      setProblem({
        title: t('imports.upload.refusedTitle'),
        message: t('imports.upload.empty', { fileName: file.name }),
      });
      return;
    }
    const controller = new AbortController();
    abortRef.current = controller;
    setUpload({ fileName: file.name, sentBytes: 0, totalBytes: file.size });
    uploadMutation.mutate(
      {
        file,
        signal: controller.signal,
        ...(basedOnImportId !== undefined && { basedOnImportId }),
        onProgress: (sentBytes, totalBytes) => setUpload({ fileName: file.name, sentBytes, totalBytes }),
      },
      {
        onSuccess: (detail) => void navigate(`/imports/${detail.id}`),
        onError: (error) => {
          setUpload(undefined);
          if (error instanceof DOMException && error.name === 'AbortError') return;
          setProblem({
            title: t('imports.upload.refusedTitle'),
            message:
              error instanceof ApiError && error.code === 'network_error'
                ? t('errors.network')
                : error.message,
          });
        },
      },
    );
  };

  const onReject = (rejections: FileRejection[]) => {
    const isTooMany = rejections.some((rejection) =>
      rejection.errors.some((error) => error.code === 'too-many-files'),
    );
    setProblem({
      title: t('imports.upload.refusedTitle'),
      message: isTooMany ? t('imports.upload.oneFile') : (rejections[0]?.errors[0]?.message ?? ''),
    });
  };

  const percent =
    upload && upload.totalBytes > 0 ? Math.round((upload.sentBytes / upload.totalBytes) * 100) : 0;
  const isAnalysing = upload !== undefined && percent >= 100;

  return (
    <Stack gap="md" maw={860}>
      <Anchor component={Link} to="/imports" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={16} aria-hidden />
          {t('imports.list.title')}
        </Group>
      </Anchor>
      <Title order={1} fz={26}>
        {t('imports.upload.title')}
      </Title>
      <Text>{t('imports.upload.intro')}</Text>
      {basedOnImportId !== undefined && (
        <Alert color="blue" variant="light" data-testid="based-on">
          {t('imports.upload.basedOn', { id: basedOnImportId })}
        </Alert>
      )}

      {problem && (
        <Alert
          color="red"
          icon={<IconAlertTriangle aria-hidden />}
          title={problem.title}
          role="alert"
          withCloseButton
          closeButtonLabel={t('imports.upload.dismiss')}
          onClose={() => setProblem(undefined)}
        >
          {problem.message}
        </Alert>
      )}

      <Card withBorder radius="md" padding="lg">
        {upload ? (
          <Stack gap="sm" aria-live="polite">
            <Group gap="xs" wrap="nowrap">
              <IconFileSpreadsheet size={22} aria-hidden />
              <Text fw={600} style={{ wordBreak: 'break-word' }}>
                {upload.fileName}
              </Text>
            </Group>
            <Progress
              value={percent}
              size="lg"
              aria-label={t('imports.upload.progressLabel')}
              animated={isAnalysing}
            />
            <Text size="sm" c="dimmed">
              {isAnalysing
                ? t('imports.upload.analysing')
                : t('imports.upload.sent', {
                    percent,
                    sent: size(upload.sentBytes),
                    total: size(upload.totalBytes),
                  })}
            </Text>
            {!isAnalysing && (
              <Group>
                <Button variant="default" onClick={() => abortRef.current?.abort()}>
                  {t('imports.upload.cancel')}
                </Button>
              </Group>
            )}
          </Stack>
        ) : (
          <Dropzone
            onDrop={(files) => files[0] && send(files[0])}
            onReject={onReject}
            multiple={false}
            openRef={openRef}
            activateOnClick={false}
            inputProps={{ accept: pickerAccept }}
            aria-label={t('imports.upload.dropLabel')}
            radius="md"
          >
            <Stack align="center" gap="sm" py="xl" style={{ pointerEvents: 'none' }}>
              <Dropzone.Idle>
                <IconUpload size={44} stroke={1.4} aria-hidden />
              </Dropzone.Idle>
              <Dropzone.Accept>
                <IconUpload size={44} stroke={1.4} aria-hidden />
              </Dropzone.Accept>
              <Dropzone.Reject>
                <IconX size={44} stroke={1.4} aria-hidden />
              </Dropzone.Reject>
              <Text size="lg" fw={600} ta="center">
                {t('imports.upload.dropHere')}
              </Text>
              <Text size="sm" c="dimmed" ta="center">
                {maxBytes === undefined
                  ? t('imports.upload.types')
                  : t('imports.upload.typesAndLimit', { max: size(maxBytes) })}
              </Text>
              <Button style={{ pointerEvents: 'all' }} onClick={() => openRef.current?.()}>
                {t('imports.upload.browse')}
              </Button>
            </Stack>
          </Dropzone>
        )}
      </Card>

      <Card withBorder radius="md" padding="lg">
        <Title order={2} fz="lg" mb="xs">
          {t('imports.upload.tipsTitle')}
        </Title>
        <List size="sm" spacing={6}>
          {(t('imports.upload.tips', { returnObjects: true }) as string[]).map((tip) => (
            <List.Item key={tip}>{tip}</List.Item>
          ))}
        </List>
      </Card>
    </Stack>
  );
}
