import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconFileExport } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import {
  exportFormats,
  type ExportCreateInput,
  type ExportFormat,
  type ExportPurpose,
  type ExportTypeId,
} from '../../../../src/exports/export.schemas.ts';
import { useCreateExport, useExportOptions } from '../../api/exports.queries.ts';
import { ApiError, type FieldErrors } from '../../api/http-client.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { RadioCards } from '../../components/radio-cards.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { isUiLanguage, uiLanguages } from '../../i18n/i18n.ts';
import { ExportPurposeChoice } from './export-purpose-choice.tsx';
import { ListSelectionNote, listSelectionFrom, type ListSelection } from './list-selection-note.tsx';
import { languageNames } from '../../components/language-menu.tsx';
import { ExportColumnPicker, type ColumnChoice } from './export-column-picker.tsx';
import {
  emptyFilters,
  ExportFilters,
  invalidDates,
  toFilters,
  type FilterValues,
} from './export-filters.tsx';

function Step({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label={title}>
      <Title order={2} fz="lg" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** Filters can come in the address, e.g. /exports/new?q=…&groupId=… from a customer search or an import report. */
function filtersFromAddress(params: URLSearchParams): FilterValues {
  return {
    ...emptyFilters,
    q: params.get('q') ?? '',
    groupId: params.get('groupId'),
    importId: params.get('importId') ?? '',
    // From the customer list: its country (a code; "no country" travels in the list selection) and newsletter filters.
    country: /^[A-Z]{2}$/.test(params.get('country') ?? '') ? params.get('country') : null,
    newsletter: params.get('newsletter') === 'true' ? 'yes' : params.get('newsletter') === 'false' ? 'no' : 'any',
  };
}

/** New export: what, format, columns, which customers; then the job starts and the list shows it. */
export function NewExportPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('exports.new.title'));
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const options = useExportOptions(i18n.language);
  const create = useCreateExport();
  const [typeId, setTypeId] = useState<ExportTypeId>('customers');
  const [format, setFormat] = useState<ExportFormat>(i18n.language === 'nl' ? 'csv-semicolon' : 'csv');
  const [purpose, setPurpose] = useState<ExportPurpose>('spreadsheet');
  const [columns, setColumns] = useState<ColumnChoice>({ mode: 'all', keys: [] });
  const [filters, setFilters] = useState<FilterValues>(() => filtersFromAddress(searchParams));
  const location = useLocation();
  // A selection made in the customer list: its ids (page state) or its filters the form has no field for.
  const [listSelection, setListSelection] = useState<ListSelection>(() => listSelectionFrom(location.state, searchParams));
  const [language, setLanguage] = useState(isUiLanguage(i18n.language) ? i18n.language : 'en');
  const [notify, setNotify] = useState(false);
  const [problem, setProblem] = useState<{ message: string; fields: FieldErrors } | undefined>();

  if (options.isPending) return <PageLoader />;
  if (options.isError) return <LoadError error={options.error} onRetry={() => void options.refetch()} />;
  const type = options.data.types.find((candidate) => candidate.id === typeId) ?? options.data.types[0]!;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (columns.mode === 'custom' && columns.keys.length === 0) {
      return setProblem({
        message: t('exports.new.noColumns'),
        fields: { columns: { code: 'required', message: t('exports.new.noColumns') } },
      });
    }
    const badDates = invalidDates(filters);
    if (badDates.length > 0) {
      const message = t('exports.filters.dateInvalid');
      return setProblem({
        message,
        fields: Object.fromEntries(
          badDates.map((key) => [`filters.${key}`, { code: 'date_invalid', message }]),
        ),
      });
    }
    const input: ExportCreateInput = {
      type: type.id,
      format,
      purpose,
      language,
      notify,
      filters: { ...toFilters(filters, type.filters), ...(type.id === 'customers' ? listSelection : {}) },
      ...(columns.mode === 'mailing-list' ? { preset: 'mailing-list' } : {}),
      ...(columns.mode === 'custom' ? { columns: columns.keys } : {}),
    };
    create.mutate(input, {
      onSuccess: () => {
        notifications.show({
          closeButtonProps: { 'aria-label': t('exports.closeNotification') },
          color: 'green',
          message: t('exports.new.started'),
        });
        void navigate('/exports');
      },
      onError: (error) =>
        setProblem({ message: error.message, fields: error instanceof ApiError ? error.fields : {} }),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={1000}>
        <div>
          <Anchor component={Link} to="/exports" size="sm">
            <Group gap={4} component="span">
              <IconArrowLeft size={14} aria-hidden />
              {t('exports.new.back')}
            </Group>
          </Anchor>
          <Title order={1} fz={26} mt={4}>
            {t('exports.new.title')}
          </Title>
        </div>
        {problem && (
          <Alert
            color="red"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('exports.new.createFailed')}
            role="alert"
          >
            {problem.message}
            {Object.entries(problem.fields)
              .filter(([, error]) => error.message !== problem.message)
              .map(([field, error]) => (
                <Text key={field} size="sm">
                  {error.message}
                </Text>
              ))}
          </Alert>
        )}
        <Step title={t('exports.new.whatLabel')}>
          <Radio.Group
            value={type.id}
            onChange={(value) => {
              setTypeId(value as ExportTypeId);
              setColumns({ mode: 'all', keys: [] });
              setProblem(undefined);
            }}
            aria-label={t('exports.new.whatLabel')}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {options.data.types.map((candidate) => (
                <Radio.Card key={candidate.id} value={candidate.id} radius="md" p="md" withBorder>
                  <Group wrap="nowrap" align="flex-start">
                    <Radio.Indicator />
                    <div>
                      <Text fw={600}>{t(`exports.types.${candidate.id}`)}</Text>
                      <Text size="sm" c="dimmed">
                        {t(`exports.typeHints.${candidate.id}`)}
                      </Text>
                    </div>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
        </Step>
        <Step title={t('exports.new.formatLabel')}>
          <Radio.Group
            value={format}
            onChange={(value) => setFormat(value as ExportFormat)}
            aria-label={t('exports.new.formatLabel')}
          >
            <RadioCards
              options={exportFormats}
              columns={3}
              labelOf={(candidate) => t(`exports.formatLabels.${candidate}`)}
              hintOf={(candidate) => t(`exports.formatHints.${candidate}`)}
            />
          </Radio.Group>
          <ExportPurposeChoice format={format} value={purpose} onChange={setPurpose} />
          <Group mt="md" gap="sm">
            <Text size="sm" fw={500} id="headings-language">
              {t('exports.new.headingsLanguage')}
            </Text>
            <SegmentedControl
              aria-labelledby="headings-language"
              value={language}
              onChange={(value) => isUiLanguage(value) && setLanguage(value)}
              data={uiLanguages.map((code) => ({ value: code, label: languageNames[code] }))}
            />
          </Group>
        </Step>
        <Step title={t('exports.new.columnsLabel')}>
          <ExportColumnPicker
            type={type}
            value={columns}
            onChange={setColumns}
            error={problem?.fields.columns?.message}
          />
        </Step>
        {type.filters.length > 0 && (
          <Step title={t('exports.new.filtersTitle')}>
            <Text size="sm" c="dimmed" mb="sm">
              {t('exports.new.filtersHint')}
            </Text>
            {type.id === 'customers' && <ListSelectionNote selection={listSelection} onRemove={() => setListSelection({})} />}
            <ExportFilters
              values={filters}
              supported={type.filters}
              onChange={setFilters}
              errors={problem?.fields ?? {}}
            />
          </Step>
        )}
        <Group justify="space-between">
          <Checkbox
            label={t('exports.new.notify')}
            checked={notify}
            onChange={(event) => setNotify(event.currentTarget.checked)}
          />
          <Group gap="sm">
            <Button component={Link} to="/exports" variant="default">
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              leftSection={<IconFileExport size={18} aria-hidden />}
            >
              {t('exports.new.submit')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
