import { Badge, Box, Loader, Text, TextInput, Tooltip } from '@mantine/core';
import { useId, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { gridPageSize, useEditRow, useGridPages, type RejectedGridRow } from '../../api/fix-rows.queries.ts';

/** Every row has this height: only the rows in view (and a few around) are rendered. */
const rowHeight = 88;
const headerHeight = 40;
const overscan = 4;
const viewportHeight = 560;
const statusWidth = 150;
const cellWidth = 200;

type Problem = RejectedGridRow['errors'][number];

/**
 * The rejected rows in the file's own columns, editable: each change is saved when the cell is
 * left and the row is checked again at once (its status and messages follow). Only the rows in
 * view are rendered, and only the pages of rows in view are fetched.
 */
export function FixRowsGrid({
  importId,
  code,
  headings,
  total,
}: {
  importId: number;
  code: string | null;
  headings: readonly string[];
  total: number;
}) {
  const { t } = useTranslation();
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  const pages = [
    ...new Set([first, Math.max(first, last - 1)].map((index) => Math.floor(index / gridPageSize))),
  ];
  const results = useGridPages(importId, code, pages);
  const rowAt = (index: number) =>
    results[pages.indexOf(Math.floor(index / gridPageSize))]?.data?.rows[index % gridPageSize];
  const visible = Array.from({ length: Math.max(0, last - first) }, (_, offset) => first + offset);
  const width = Math.max(headings.length, ...visible.map((index) => rowAt(index)?.cells.length ?? 0));
  const columns = `${statusWidth}px repeat(${width}, minmax(${cellWidth}px, 1fr))`;
  const height = Math.min(viewportHeight, headerHeight + total * rowHeight + 2);

  return (
    <Box
      style={{
        height,
        overflow: 'auto',
        position: 'relative',
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 8,
      }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      role="table"
      aria-label={t('imports.fix.gridLabel')}
      aria-rowcount={total + 1}
      tabIndex={0}
    >
      <div style={{ height: headerHeight + total * rowHeight, minWidth: statusWidth + width * cellWidth }}>
        <div
          role="row"
          style={{
            ...rowStyle(columns),
            height: headerHeight,
            position: 'sticky',
            top: 0,
            zIndex: 2,
            background: 'var(--mantine-color-gray-1)',
            borderBottom: '1px solid var(--mantine-color-gray-3)',
          }}
        >
          <HeaderCell>{t('imports.fix.status')}</HeaderCell>
          {Array.from({ length: width }, (_, index) => (
            <HeaderCell key={index}>
              {headings[index] || t('imports.fix.column', { number: index + 1 })}
            </HeaderCell>
          ))}
        </div>
        {visible.map((index) => {
          const row = rowAt(index);
          const style: CSSProperties = {
            ...rowStyle(columns),
            position: 'absolute',
            top: headerHeight + index * rowHeight,
            height: rowHeight,
            left: 0,
            right: 0,
          };
          return row ? (
            <GridRow
              key={row.rowNumber}
              importId={importId}
              row={row}
              width={width}
              headings={headings}
              style={style}
              index={index}
            />
          ) : (
            <div key={`loading-${index}`} role="row" style={style} aria-rowindex={index + 2}>
              <Box px="sm" py="xs">
                <Loader size="xs" />
              </Box>
            </div>
          );
        })}
      </div>
    </Box>
  );
}

const rowStyle = (columns: string): CSSProperties => ({
  display: 'grid',
  gridTemplateColumns: columns,
  alignItems: 'start',
});

function HeaderCell({ children }: { children: ReactNode }) {
  return (
    <Text role="columnheader" size="sm" fw={600} px="sm" py={10} truncate="end">
      {children}
    </Text>
  );
}

function GridRow({
  importId,
  row,
  width,
  headings,
  style,
  index,
}: {
  importId: number;
  row: RejectedGridRow;
  width: number;
  headings: readonly string[];
  style: CSSProperties;
  index: number;
}) {
  const { t } = useTranslation();
  const edit = useEditRow(importId);
  const [failed, setFailed] = useState<string | null>(null);
  const byColumn = new Map<number, Problem>();
  for (const problem of [...row.errors, ...row.warnings]) {
    if (problem.columnIndex !== null && problem.columnIndex < width && !byColumn.has(problem.columnIndex))
      byColumn.set(problem.columnIndex, problem);
  }
  // Problems no cell holds (a missing column, a conflict with a stored customer) are said in the status.
  const rowProblems = row.errors.filter(
    (problem) => problem.columnIndex === null || problem.columnIndex >= width,
  );
  const save = (columnIndex: number, value: string) => {
    setFailed(null);
    edit.mutate(
      { rowNumber: row.rowNumber, cells: { [String(columnIndex)]: value } },
      { onError: (error) => setFailed(error.message) },
    );
  };
  const background = index % 2 === 1 ? 'var(--mantine-color-gray-0)' : 'var(--mantine-color-white)';

  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-row-number={row.rowNumber}
      style={{ ...style, background, borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Box role="cell" px="sm" py={6} style={{ minWidth: 0 }}>
        <Text size="xs" c="dimmed">
          {t('imports.fix.row', { number: row.rowNumber })}
        </Text>
        {edit.isPending ? (
          <Badge color="gray" variant="light" leftSection={<Loader size={10} />}>
            {t('imports.fix.saving')}
          </Badge>
        ) : row.isFixed ? (
          <Badge color="green" variant="light">
            {t('imports.fix.fixed')}
          </Badge>
        ) : (
          <Badge color="red" variant="light">
            {t('imports.fix.problems', { count: row.errors.length })}
          </Badge>
        )}
        {(failed ?? rowProblems[0]) && (
          <Tooltip
            label={failed ?? rowProblems.map((problem) => problem.message).join(' ')}
            multiline
            w={340}
            withArrow
          >
            <Text size="xs" c="red.8" lineClamp={2} lh={1.3} tabIndex={0}>
              {failed ?? rowProblems[0]?.message}
            </Text>
          </Tooltip>
        )}
      </Box>
      {Array.from({ length: width }, (_, columnIndex) => (
        <GridCell
          key={`${columnIndex}\u0000${row.cells[columnIndex] ?? ''}`}
          value={row.cells[columnIndex] ?? ''}
          label={t('imports.fix.cellLabel', {
            row: row.rowNumber,
            column: headings[columnIndex] || t('imports.fix.column', { number: columnIndex + 1 }),
          })}
          problem={byColumn.get(columnIndex)}
          isEdited={row.edited.includes(columnIndex)}
          onSave={(value) => save(columnIndex, value)}
        />
      ))}
    </div>
  );
}

function GridCell({
  value,
  label,
  problem,
  isEdited,
  onSave,
}: {
  value: string;
  label: string;
  problem: Problem | undefined;
  isEdited: boolean;
  onSave: (value: string) => void;
}) {
  const { t } = useTranslation();
  const isError = problem !== undefined && problem.isWarning !== true;
  const messageId = useId();
  return (
    <Box role="cell" px={6} py={6} style={{ minWidth: 0 }}>
      <TextInput
        size="xs"
        defaultValue={value}
        aria-label={label}
        aria-invalid={isError}
        aria-describedby={problem ? messageId : undefined}
        error={isError}
        title={isEdited ? t('imports.fix.edited') : undefined}
        styles={{
          input: {
            ...(isEdited && { background: 'var(--mantine-color-blue-0)' }),
            ...(problem?.isWarning && { borderColor: 'var(--mantine-color-yellow-6)' }),
          },
        }}
        onBlur={(event) => {
          if (event.currentTarget.value !== value) onSave(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') event.currentTarget.blur();
          if (event.key === 'Escape') {
            event.currentTarget.value = value;
            event.currentTarget.blur();
          }
        }}
      />
      {problem && (
        <Tooltip label={problem.message} multiline w={340} withArrow openDelay={200}>
          <Text
            id={messageId}
            size="xs"
            mt={2}
            c={isError ? 'red.8' : 'yellow.9'}
            lineClamp={2}
            lh={1.3}
            style={{ overflowWrap: 'anywhere' }}
            tabIndex={0}
          >
            {problem.message}
          </Text>
        </Tooltip>
      )}
    </Box>
  );
}
