import { EmptyState, EmptyStateBody } from '@patternfly/react-core';
import { CubesIcon } from '@patternfly/react-icons';

export function EmptyRows({ title, body }: { title: string; body?: string }) {
  return (
    <EmptyState titleText={title} headingLevel="h2" icon={CubesIcon} variant="sm">
      {body ? <EmptyStateBody>{body}</EmptyStateBody> : null}
    </EmptyState>
  );
}
