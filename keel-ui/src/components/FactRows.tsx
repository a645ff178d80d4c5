import type { ReactNode } from 'react';
import { DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core';

/** The term and value rows of an overview, below whatever rows (a status) the overview puts first. */
export function FactRows({ items }: { items: [string, ReactNode][] }) {
  return (
    <>
      {items.map(([term, value]) => (
        <DescriptionListGroup key={term}>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>{value}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </>
  );
}
