import { Table, Tbody, Th, Thead, Tr } from '@patternfly/react-table';
import type { ReactNode } from 'react';
import { EmptyRows } from './EmptyRows';

/** A column heading; `wrap` lets a long heading break instead of widening its column. */
export type Column = string | { title: string; wrap: true };

interface Props<T> {
  label: string;
  testId: string;
  columns: Column[];
  /** Adds the unlabelled last column that holds each row's buttons. */
  actions?: boolean;
  rows: T[];
  /** Shown instead of an empty table. */
  emptyTitle: string;
  emptyBody?: string;
  /** Renders one row, a <Tr> with a key. */
  children(row: T): ReactNode;
}

/** The compact list table of the screens: headings, one row per item, or the empty state. */
export function RowsTable<T>({ label, testId, columns, actions = true, rows, emptyTitle, emptyBody, children }: Props<T>) {
  if (rows.length === 0) {
    return <EmptyRows title={emptyTitle} body={emptyBody} />;
  }
  return (
    <Table aria-label={label} variant="compact" data-testid={testId}>
      <Thead>
        <Tr>
          {columns.map((c) =>
            typeof c === 'string' ? (
              <Th key={c}>{c}</Th>
            ) : (
              <Th key={c.title} modifier="wrap">
                {c.title}
              </Th>
            ),
          )}
          {actions ? <Th screenReaderText="Actions" /> : null}
        </Tr>
      </Thead>
      <Tbody>{rows.map(children)}</Tbody>
    </Table>
  );
}
