import { EmptyState, EmptyStateBody, PageSection } from '@patternfly/react-core';
import { WrenchIcon } from '@patternfly/react-icons';
import { ScreenHeader } from './ScreenHeader';

export function NotBuilt({ title }: { title: string }) {
  return (
    <>
      <ScreenHeader title={title} />
      <PageSection>
        <EmptyState titleText="Not built yet" headingLevel="h2" icon={WrenchIcon} data-testid="not-built">
          <EmptyStateBody>This screen comes in a later step of the admin panel.</EmptyStateBody>
        </EmptyState>
      </PageSection>
    </>
  );
}
